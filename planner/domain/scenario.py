"""Immutable domain types of a scenario (SPEC §1), already scaled to integers.

Money is in cents, shares in parts per million, durations in minutes, distances in
hectometres, months as integers (see :mod:`planner.domain.units` and :mod:`planner.domain.months`).
Precedence rules of the SPEC (offer → module → policy, ...) live here as small methods so
that every consumer resolves them the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from planner.domain.errors import Problem
from planner.domain.months import Month, month_range


class MemberKind(StrEnum):
    AI = "AI"
    ACI = "ACI"
    EI = "EI"
    ETTI = "ETTI"
    EITI = "EITI"
    SAP = "SAP"


class Family(StrEnum):
    SHORT = "short"
    KEY_SKILLS = "key_skills"
    QUALIFYING = "qualifying"


class CostItem(StrEnum):
    PEDAGOGY = "pedagogy"
    TRAVEL = "travel"
    WAGE = "wage"
    ENGINEERING = "engineering"


class Stage(StrEnum):
    SERVED = "served"
    PUBLIC_COST = "public_cost"
    TRAVEL = "travel"
    EQUITY = "equity"
    SESSIONS = "sessions"


@dataclass(frozen=True, slots=True)
class Territory:
    id: str
    name: str
    rural: bool
    min_fill: int | None = None


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    name: str
    kind: MemberKind
    territory_id: str
    commune: str
    lat: float
    lon: float
    opca: str | None = None
    own_funds_cents: int = 0
    release_cap: int | None = None
    max_travel_min: int | None = None
    wage_cents_per_hour: int | None = None
    siret: str | None = None


@dataclass(frozen=True, slots=True)
class Module:
    code: str
    title: str
    family: Family
    minutes: int  # module length, in minutes of training
    months: int = 1
    min_fill: int | None = None
    max_size: int | None = None
    rate_cents_per_hour: int | None = None
    trade: str | None = None

    @property
    def hours(self) -> float:
        return self.minutes / 60


@dataclass(frozen=True, slots=True)
class Provider:
    id: str
    name: str
    max_parallel_sessions: int | None = None


@dataclass(frozen=True, slots=True)
class Venue:
    id: str
    provider_id: str
    name: str
    territory_id: str
    commune: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Offer:
    provider_id: str
    module_code: str
    territory_id: str
    rate_cents_per_hour: int | None = None


@dataclass(frozen=True, slots=True)
class Request:
    """One survey row: a trainee of a member asks for a module."""

    index: int  # position in the survey, the request's id inside a scenario
    member_id: str
    trainee_ref: str
    module_code: str
    priority: int
    available_from: Month
    available_to: Month
    max_travel_min: int | None = None

    @property
    def trainee(self) -> tuple[str, str]:
        return (self.member_id, self.trainee_ref)


@dataclass(frozen=True, slots=True)
class Leg:
    """One-way trip from a member to a venue."""

    minutes: int
    road_hm: int  # road distance in hectometres


@dataclass(frozen=True, slots=True)
class Funder:
    id: str
    name: str
    opca: bool = False
    access_fee_cents: int | None = None  # None: no access for non-adherents


# the funding-table line id of a member's own funds (SPEC §3 funding.csv), beside the budget lines' ids
OWN = "own"


@dataclass(frozen=True, slots=True)
class BudgetLine:
    id: str
    funder_id: str
    envelope_cents: int | None = None  # None: no cap


@dataclass(frozen=True, slots=True)
class Rule:
    """A budget line pays a share of one cost item for matching trainees.

    Empty ``families``/``member_kinds``/``territories`` mean "all". A fixed share has
    ``share_min_ppm == share_max_ppm``.
    """

    index: int
    line_id: str
    cost_item: CostItem
    share_min_ppm: int
    share_max_ppm: int
    families: frozenset[Family] = frozenset()
    member_kinds: frozenset[MemberKind] = frozenset()
    territories: frozenset[str] = frozenset()

    @property
    def fixed(self) -> bool:
        return self.share_min_ppm == self.share_max_ppm

    def matches(self, family: Family, kind: MemberKind, territory_id: str) -> bool:
        return (
            (not self.families or family in self.families)
            and (not self.member_kinds or kind in self.member_kinds)
            and (not self.territories or territory_id in self.territories)
        )


@dataclass(frozen=True, slots=True)
class Policy:
    min_fill: int = 6
    max_size: int = 12
    rate_cents_per_hour: int = 1400
    hours_per_day: int = 7
    max_travel_min: int = 45
    max_sessions_per_trainee_per_month: int = 1
    external_seats_max: int = 0
    engineering_cents_per_session: int = 0


@dataclass(frozen=True, slots=True)
class TravelPolicy:
    road_factor: float = 1.3
    speed_kmh: float = 50.0
    # cents per km, times 100, so that 0.325 EUR/km stays exact (3250)
    allowance_centicents_per_km: int = 0
    allowance_threshold_hm: int = 0


@dataclass(frozen=True, slots=True)
class Objective:
    stages: tuple[Stage, ...] = (Stage.SERVED, Stage.PUBLIC_COST, Stage.TRAVEL)
    served: str = "hours"  # "hours" or "trainees"
    priority_weights: Mapping[int, int] = field(default_factory=lambda: {1: 3, 2: 2, 3: 1})


@dataclass(frozen=True)
class Scenario:
    """A whole scenario folder, validated and scaled. Build it with :func:`planner.load_scenario`."""

    id: str
    title: str
    horizon_start: Month
    horizon_end: Month
    closed_months: frozenset[Month]
    policy: Policy
    travel: TravelPolicy
    objective: Objective
    funders: tuple[Funder, ...]
    budget_lines: tuple[BudgetLine, ...]
    rules: tuple[Rule, ...]
    territories: tuple[Territory, ...]
    members: tuple[Member, ...]
    modules: tuple[Module, ...]
    providers: tuple[Provider, ...]
    venues: tuple[Venue, ...]
    offers: tuple[Offer, ...]
    requests: tuple[Request, ...]
    legs: Mapping[tuple[str, str], Leg]  # (member_id, venue_id) -> leg, for every pair
    source_hash: str = ""
    # how files were read when not UTF-8 with commas ("members.csv: Windows-1252, ';'-separated")
    readings: tuple[str, ...] = ()
    # doubts about valid data, naming the row (a member far from all others): shown, never blocking
    doubts: tuple[Problem, ...] = ()

    # --- lookups -------------------------------------------------------------------------
    @cached_property
    def territory(self) -> dict[str, Territory]:
        return {t.id: t for t in self.territories}

    @cached_property
    def member(self) -> dict[str, Member]:
        return {m.id: m for m in self.members}

    @cached_property
    def module(self) -> dict[str, Module]:
        return {m.code: m for m in self.modules}

    @cached_property
    def provider(self) -> dict[str, Provider]:
        return {p.id: p for p in self.providers}

    @cached_property
    def venue(self) -> dict[str, Venue]:
        return {v.id: v for v in self.venues}

    @cached_property
    def funder(self) -> dict[str, Funder]:
        return {f.id: f for f in self.funders}

    @cached_property
    def budget_line(self) -> dict[str, BudgetLine]:
        return {b.id: b for b in self.budget_lines}

    @cached_property
    def offer(self) -> dict[tuple[str, str, str], Offer]:
        """(provider_id, module_code, territory_id) -> offer."""
        return {(o.provider_id, o.module_code, o.territory_id): o for o in self.offers}

    @cached_property
    def request_by_key(self) -> dict[tuple[str, str, str], Request]:
        """(member_id, trainee_ref, module_code) -> request: how plan files name a request."""
        return {(r.member_id, r.trainee_ref, r.module_code): r for r in self.requests}

    @cached_property
    def open_months(self) -> tuple[Month, ...]:
        """Months of the horizon in which sessions may run."""
        return tuple(
            m for m in month_range(self.horizon_start, self.horizon_end) if m not in self.closed_months
        )

    # --- precedence rules of SPEC §1 -------------------------------------------------------
    def rate_cents_per_hour(self, offer: Offer) -> int:
        """Offer, then module, then policy."""
        if offer.rate_cents_per_hour is not None:
            return offer.rate_cents_per_hour
        module = self.module[offer.module_code]
        if module.rate_cents_per_hour is not None:
            return module.rate_cents_per_hour
        return self.policy.rate_cents_per_hour

    def min_fill(self, module_code: str, venue_id: str) -> int:
        """Module, then the venue's territory, then policy."""
        module = self.module[module_code]
        if module.min_fill is not None:
            return module.min_fill
        territory = self.territory[self.venue[venue_id].territory_id]
        if territory.min_fill is not None:
            return territory.min_fill
        return self.policy.min_fill

    def max_size(self, module_code: str) -> int:
        module = self.module[module_code]
        return module.max_size if module.max_size is not None else self.policy.max_size

    def max_travel_min(self, request: Request) -> int:
        """Survey row, then member, then policy."""
        if request.max_travel_min is not None:
            return request.max_travel_min
        member = self.member[request.member_id]
        if member.max_travel_min is not None:
            return member.max_travel_min
        return self.policy.max_travel_min

    def start_months(self, module_code: str) -> tuple[Month, ...]:
        """Start months whose whole span lies in the horizon and avoids closed months."""
        span = self.module[module_code].months
        return tuple(
            s
            for s in month_range(self.horizon_start, self.horizon_end - span + 1)
            if not any(m in self.closed_months for m in range(s, s + span))
        )

    def days(self, module_code: str) -> int:
        """Meeting days of a module: ceil(hours / hours_per_day)."""
        per_day = self.policy.hours_per_day * 60
        return -(-self.module[module_code].minutes // per_day)

    def priority_weight(self, priority: int) -> int:
        return self.objective.priority_weights.get(priority, 1)
