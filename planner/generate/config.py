"""The non-tabular part of a generated ``scenario.toml``: horizon, policy, travel, objective."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

HORIZON = ("2012-01", "2012-12")
CLOSED_MONTHS = ("2012-08",)  # summer closure: no session runs in August

# The network's practice in 2011-2012 (DOMAIN.md): 14 EUR per trainee-hour, groups of up to
# 12; sessions need more than the six trainees the network asks for, hence 8.
POLICY: dict[str, Any] = {
    "min_fill": 8,
    "max_size": 12,
    "rate_eur_per_hour": 14.0,
    "hours_per_day": 7,
    "max_travel_min": 45,
    "max_sessions_per_trainee_per_month": 1,
    "external_seats_max": 0,
    "engineering_eur_per_session": 280.0,
}

# A mobility allowance of 0.25 EUR per km for trainees living more than 20 km from the venue
# (the seed asks to fund the travel of the farthest trainees).
TRAVEL: dict[str, Any] = {
    "road_factor": 1.3,
    "speed_kmh": 50,
    "allowance_eur_per_km": 0.25,
    "allowance_threshold_km": 20,
}

OBJECTIVE: dict[str, Any] = {
    "stages": ["served", "public_cost", "travel"],
    "served": "hours",
    "priority_weights": {1: 3, 2: 2, 3: 1},
}


def scenario_config(
    scenario_id: str,
    title: str,
    funding: Mapping[str, Any],
    *,
    horizon: tuple[str, str] = HORIZON,
    closed_months: tuple[str, ...] = CLOSED_MONTHS,
    policy: Mapping[str, Any] | None = None,
    travel: Mapping[str, Any] | None = None,
    objective: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A scenario.toml document; ``policy`` and ``travel`` override the defaults above key by key."""
    return {
        "id": scenario_id,
        "title": title,
        "horizon": {"start": horizon[0], "end": horizon[1]},
        "closed_months": list(closed_months),
        "policy": {**POLICY, **(policy or {})},
        "travel": {**TRAVEL, **(travel or {})},
        "objective": dict(objective or OBJECTIVE),
        **funding,
    }
