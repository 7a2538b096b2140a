"""Plan files in and out (SPEC §3) and the plan's figures (stage values, KPIs)."""
