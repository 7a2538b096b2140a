"""Which venues and start months can serve a request: the candidate sessions of SPEC §2.1–2.3.

Shared by the model builders, the greedy baseline and the diagnostics (not by the checker,
which recomputes everything on its own).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from planner.domain import Leg, Offer, Request, Scenario, Venue
from planner.rules.geography import EARTH_RADIUS_KM
from planner.domain.months import Month


@dataclass(frozen=True, slots=True)
class Site:
    """A venue where a provider offers a module."""

    offer: Offer
    venue: Venue


class Reach:
    """Candidate sites and start months per request, computed once per scenario."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self._near_cache: dict[tuple[str, str, int], list[tuple[Site, Leg]]] = {}

    @cached_property
    def sites_by_module(self) -> dict[str, list[Site]]:
        venues_by = defaultdict(list)
        for venue in self.scenario.venues:
            venues_by[(venue.provider_id, venue.territory_id)].append(venue)
        out: dict[str, list[Site]] = defaultdict(list)
        for offer in self.scenario.offers:
            for venue in venues_by[(offer.provider_id, offer.territory_id)]:
                out[offer.module_code].append(Site(offer, venue))
        return out

    @cached_property
    def _site_coords(self) -> dict[str, np.ndarray]:
        """Per module, radians of its sites' venues, for a vectorised distance prefilter."""
        return {
            module: np.radians(np.array([[site.venue.lat, site.venue.lon] for site in sites], dtype=float))
            for module, sites in self.sites_by_module.items()
        }

    def _near(self, member_id: str, module_code: str, limit: int) -> list[tuple[Site, Leg]]:
        key = (member_id, module_code, limit)
        cached = self._near_cache.get(key)
        if cached is not None:
            return cached
        sites = self.sites_by_module.get(module_code, [])
        out: list[tuple[Site, Leg]] = []
        if sites:
            member = self.scenario.member[member_id]
            coords = self._site_coords[module_code]
            lat, lon = np.radians(member.lat), np.radians(member.lon)
            a = np.sin((coords[:, 0] - lat) / 2) ** 2 + np.cos(lat) * np.cos(coords[:, 0]) * np.sin((coords[:, 1] - lon) / 2) ** 2
            km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a))) * self.scenario.travel.road_factor
            minutes = km / self.scenario.travel.speed_kmh * 60
            overrides = getattr(self.scenario.legs, "overrides", None)
            for i, site in enumerate(sites):
                # the estimate only discards clear misses; the exact leg decides (travel.csv first)
                pair = (member_id, site.venue.id)
                if minutes[i] > limit + 2 and (overrides is None or pair not in overrides):
                    continue
                leg = self.scenario.legs[pair]
                if leg.minutes <= limit:
                    out.append((site, leg))
        self._near_cache[key] = out
        return out

    def sites(self, request: Request) -> list[tuple[Site, Leg]]:
        """Offering venues within the request's travel limit, with the leg to each."""
        return self._near(request.member_id, request.module_code, self.scenario.max_travel_min(request))

    def starts(self, request: Request) -> list[Month]:
        """Allowed start months whose whole span lies in the request's window."""
        span = self.scenario.module[request.module_code].months
        return [
            s for s in self.scenario.start_months(request.module_code)
            if s >= request.available_from and s + span - 1 <= request.available_to
        ]
