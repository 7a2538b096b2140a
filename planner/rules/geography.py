"""Travel between members and venues: great-circle distance times a road factor (SPEC §1)."""

from __future__ import annotations

import math

from planner.domain import Leg, TravelPolicy
from planner.domain.units import div_round, km_to_hm

EARTH_RADIUS_KM = 6371.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def computed_leg(lat1: float, lon1: float, lat2: float, lon2: float, travel: TravelPolicy) -> Leg:
    """Road km = great-circle km × road_factor; minutes = road km / speed × 60, rounded."""
    road_hm = km_to_hm(round(haversine_km(lat1, lon1, lat2, lon2) * travel.road_factor, 6))
    # minutes from the already-rounded road distance, so that minutes and km always agree
    minutes = div_round(road_hm * 60 * 1000, round(travel.speed_kmh * 1000) * 10)
    return Leg(minutes=minutes, road_hm=road_hm)
