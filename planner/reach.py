"""Which venues and start months can serve a request: the candidate sessions of SPEC §2.1–2.3.

Shared by the model builders, the greedy baseline and the diagnostics (not by the checker,
which recomputes everything on its own).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from planner.domain import Leg, Offer, Request, Scenario, Venue
from planner.months import Month


@dataclass(frozen=True, slots=True)
class Site:
    """A venue where a provider offers a module."""

    offer: Offer
    venue: Venue


class Reach:
    """Candidate sites and start months per request, computed once per scenario."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario

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

    def sites(self, request: Request) -> list[tuple[Site, Leg]]:
        """Offering venues within the request's travel limit, with the leg to each."""
        limit = self.scenario.max_travel_min(request)
        out = []
        for site in self.sites_by_module.get(request.module_code, []):
            leg = self.scenario.legs[(request.member_id, site.venue.id)]
            if leg.minutes <= limit:
                out.append((site, leg))
        return out

    def starts(self, request: Request) -> list[Month]:
        """Allowed start months whose whole span lies in the request's window."""
        span = self.scenario.module[request.module_code].months
        return [
            s for s in self.scenario.start_months(request.module_code)
            if s >= request.available_from and s + span - 1 <= request.available_to
        ]
