"""Doubts about coordinates that are valid numbers but unlikely places (SPEC §1 lat/lon).

A member or venue whose lat and lon were swapped, or typed with a wrong sign, still loads; its
requests then only show up later as out of reach. These checks name the row at validation time.
They are warnings, never errors: a scenario may really reach far.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from planner.domain.errors import Problem
from planner.rules.geography import haversine_km

# (south, north, west, east) of metropolitan France with Corsica, and of the overseas départements
FRANCE = (
    (41.2, 51.2, -5.3, 9.7),     # metropolitan France and Corsica
    (15.8, 16.6, -61.9, -60.9),  # Guadeloupe
    (14.3, 14.9, -61.3, -60.7),  # Martinique
    (2.0, 5.9, -54.7, -51.5),    # Guyane
    (-21.5, -20.8, 55.1, 55.9),  # La Réunion
    (-13.1, -12.6, 44.9, 45.4),  # Mayotte
)
# a place is far from the others when it lies this many times further from their centre than
# half of them, and at least this far: a département spans ~100 km, France ~1,000 km
SPREAD_FACTOR = 4.0
FLOOR_KM = 150.0


@dataclass(frozen=True)
class Place:
    file: str
    row: int
    id: str
    lat: float
    lon: float


def france_area(lat: float, lon: float) -> int | None:
    """Which of :data:`FRANCE`'s areas holds the place, if any."""
    return next((i for i, (s, n, w, e) in enumerate(FRANCE) if s <= lat <= n and w <= lon <= e), None)


def coordinate_doubts(places: list[Place]) -> list[Problem]:
    """Places outside France when most are in France, and places far from the others of their area."""
    french = sum(france_area(p.lat, p.lon) is not None for p in places) * 2 > len(places)
    areas: dict[int | None, list[Place]] = {}
    doubts: list[Problem] = []
    for p in places:
        area = france_area(p.lat, p.lon) if french else None
        swapped = f" (swapped, {p.lon:g}, {p.lat:g} would be in France)" if france_area(p.lon, p.lat) is not None else ""
        if french and area is None:
            doubts.append(Problem(p.file, f"{p.id!r} lies outside France{swapped}", row=p.row, column="lat",
                                  value=f"{p.lat:g}, {p.lon:g}", expected="the place's latitude and longitude in France"))
        else:
            areas.setdefault(area, []).append(p)
    for group in areas.values():
        doubts.extend(_far_from_the_others(group))
    return sorted(doubts, key=lambda d: (d.file, d.row or 0))


def _far_from_the_others(places: list[Place]) -> list[Problem]:
    centre = (statistics.median(p.lat for p in places), statistics.median(p.lon for p in places))
    distance = [haversine_km(*centre, p.lat, p.lon) for p in places]
    far_km = max(FLOOR_KM, SPREAD_FACTOR * statistics.median(distance))
    return [Problem(p.file, f"{p.id!r} lies {d:,.0f} km from the centre of the others", row=p.row, column="lat",
                    value=f"{p.lat:g}, {p.lon:g}", expected=f"within about {far_km:,.0f} km of the other members and venues")
            for p, d in zip(places, distance) if d > far_km]
