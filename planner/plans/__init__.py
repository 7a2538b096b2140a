"""Plan files in and out (SPEC §3), their typed tables, and the plan's figures (stage values, KPIs)."""
