"""Scenario builder, backend list and plan helpers of the solver and model tests.

* :class:`Build` assembles a :class:`planner.domain.Scenario` in Python (EUR, hours and shares
  as a coordinator writes them; scaled to the domain's integers here, as the loader does), with
  the records of :mod:`scenario_factory`.
* :data:`BACKENDS`: ``highs``, ``cpsat``, and ``cbc`` when PuLP's CBC is installed, restricted by
  the environment variable ``PLANNER_TEST_SOLVERS=highs,cpsat`` (a comma-separated subset); the
  ``solver`` fixture of ``conftest.py`` runs a test once per backend.
* :func:`solve_and_check` solves, writes the plan folder, runs the independent checker and
  fails the test on any violation.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import scenario_factory as factory

from planner.checker import check_plan
from planner.domain import (
    BudgetLine, CostItem, Family, Funder, Leg, Member, MemberKind, Module, Objective, Offer, Policy, Provider,
    Request, Rule, Scenario, Stage, Territory, TravelPolicy, Venue,
)
from planner.rules.geography import computed_leg
from planner.domain.months import Month, parse_month
from planner.domain.plan import Plan, SolveStatus
from planner.plans.writer import write_plan
from planner.domain.units import eur_to_cents, km_to_hm

# --- backends ---------------------------------------------------------------------------------


def _cbc_available() -> bool:
    try:
        import pulp

        return bool(pulp.PULP_CBC_CMD().available())
    except Exception:  # noqa: BLE001 - no PuLP or no CBC binary: simply not a backend here
        return False


def available_backends() -> list[str]:
    names = ["highs", "cpsat", "lns"] + (["cbc"] if _cbc_available() else [])
    wanted = os.environ.get("PLANNER_TEST_SOLVERS", "").strip()
    if wanted:
        names = [n for n in names if n in {w.strip() for w in wanted.split(",")}]
    return names


BACKENDS = available_backends()


# --- scenario builder -------------------------------------------------------------------------


def m(text: str) -> Month:
    """'2012-03' -> Month."""
    return parse_month(text)


class Build:
    """Fluent builder of small scenarios.

    Money in EUR, durations in hours, shares as fractions, months as ``YYYY-MM``: converted to
    the domain's integer units on the way in. Legs not given explicitly are computed from the
    coordinates (everything sits at the same point by default: 0 min, 0 km).
    """

    def __init__(self, *, start: str = "2012-01", end: str = "2012-12", closed: Iterable[str] = (),
                 served: str = "hours", stages: Iterable[str] = ("served", "public_cost", "travel"),
                 priority_weights: dict[int, int] | None = None, allowance_eur_per_km: float = 0.0,
                 allowance_threshold_km: float = 0.0, id: str = "test", **policy: object):
        self.id = id
        self.window = (start, end)
        self.start, self.end = m(start), m(end)
        self.closed = frozenset(m(c) for c in closed)
        policy = dict(policy)
        for eur_key, cents_key in (("rate_eur_per_hour", "rate_cents_per_hour"),
                                   ("engineering_eur_per_session", "engineering_cents_per_session")):
            if eur_key in policy:
                policy[cents_key] = eur_to_cents(policy.pop(eur_key))  # type: ignore[arg-type]
        self.policy = Policy(**{"min_fill": 2, "max_size": 12, **policy})  # type: ignore[arg-type]
        self.travel = TravelPolicy(
            allowance_centicents_per_km=int((Decimal(str(allowance_eur_per_km)) * 10_000).to_integral_value()),
            allowance_threshold_hm=km_to_hm(allowance_threshold_km),
        )
        weights = priority_weights if priority_weights is not None else {1: 3, 2: 2, 3: 1}
        self.objective = Objective(tuple(Stage(s) for s in stages), served, dict(weights))
        self.territories: dict[str, Territory] = {}
        self.members: dict[str, Member] = {}
        self.modules: dict[str, Module] = {}
        self.providers: dict[str, Provider] = {}
        self.venues: dict[str, Venue] = {}
        self.offers: dict[tuple[str, str, str], Offer] = {}
        self.requests: list[Request] = []
        self.funders: dict[str, Funder] = {}
        self.lines: dict[str, BudgetLine] = {}
        self.rules: list[Rule] = []
        self.legs: dict[tuple[str, str], Leg] = {}

    # --- catalogue ---------------------------------------------------------------------------
    def territory(self, id: str, *, rural: bool = False, min_fill: int | None = None) -> Build:
        self.territories[id] = Territory(id, f"Territory {id}", rural, min_fill)
        return self

    def member(self, id: str, territory: str = "T", *, kind: str = "ACI", lat: float = 45.0, lon: float = 5.0,
               opca: str | None = None, own_funds_eur: float = 0, release_cap: int | None = None,
               max_travel_min: int | None = None, wage_eur_per_hour: float | None = None) -> Build:
        self._need_territory(territory)
        self.members[id] = factory.member(
            id, territory, MemberKind(kind), commune=f"Commune {id}", lat=lat, lon=lon, opca=opca,
            own_funds_cents=eur_to_cents(own_funds_eur), release_cap=release_cap, max_travel_min=max_travel_min,
            wage_cents_per_hour=None if wage_eur_per_hour is None else eur_to_cents(wage_eur_per_hour),
        )
        return self

    def module(self, code: str, hours: float = 21, *, family: str = "short", months: int = 1,
               min_fill: int | None = None, max_size: int | None = None,
               rate_eur_per_hour: float | None = None) -> Build:
        self.modules[code] = factory.module(
            code, hours, Family(family), months=months, min_fill=min_fill, max_size=max_size,
            rate_cents_per_hour=None if rate_eur_per_hour is None else eur_to_cents(rate_eur_per_hour),
        )
        return self

    def provider(self, id: str, *, max_parallel_sessions: int | None = None) -> Build:
        self.providers[id] = Provider(id, f"Provider {id}", max_parallel_sessions)
        return self

    def venue(self, id: str, provider: str, territory: str = "T", *, lat: float = 45.0, lon: float = 5.0) -> Build:
        self._need_territory(territory)
        if provider not in self.providers:
            self.provider(provider)
        self.venues[id] = Venue(id, provider, f"Venue {id}", territory, f"Commune {id}", lat, lon)
        return self

    def offer(self, provider: str, module: str, territory: str = "T", *, rate_eur_per_hour: float | None = None) -> Build:
        self.offers[(provider, module, territory)] = Offer(
            provider, module, territory, None if rate_eur_per_hour is None else eur_to_cents(rate_eur_per_hour)
        )
        return self

    def leg(self, member: str, venue: str, minutes: int, km: float) -> Build:
        self.legs[(member, venue)] = Leg(minutes, km_to_hm(km))
        return self

    # --- survey ------------------------------------------------------------------------------
    def request(self, member: str, trainee: str, module: str, *, priority: int = 2, window: tuple[str, str] | None = None,
                max_travel_min: int | None = None) -> Build:
        first, last = window or self.window
        self.requests.append(factory.request(len(self.requests), member, trainee, module, priority, first, last,
                                             max_travel_min))
        return self

    def requests_for(self, member: str, module: str, n: int, *, prefix: str | None = None, **kw: object) -> Build:
        """``n`` single-request trainees of ``member`` asking for ``module``."""
        prefix = prefix if prefix is not None else f"{member}-{module}-"
        taken = {r.trainee_ref for r in self.requests if r.member_id == member}
        i = 0
        for _ in range(n):
            while f"{prefix}{i}" in taken:
                i += 1
            self.request(member, f"{prefix}{i}", module, **kw)  # type: ignore[arg-type]
            i += 1
        return self

    # --- funding -----------------------------------------------------------------------------
    def funder(self, id: str, *, opca: bool = False, access_fee_eur: float | None = None) -> Build:
        self.funders[id] = Funder(id, f"Funder {id}", opca, None if access_fee_eur is None else eur_to_cents(access_fee_eur))
        return self

    def line(self, id: str, funder: str, *, envelope_eur: float | None = None) -> Build:
        if funder not in self.funders:
            self.funder(funder)
        self.lines[id] = BudgetLine(id, funder, None if envelope_eur is None else eur_to_cents(envelope_eur))
        return self

    def rule(self, line: str, cost_item: str = "pedagogy", *, share: float | None = None,
             share_min: float | None = None, share_max: float | None = None, families: Iterable[str] = (),
             member_kinds: Iterable[str] = (), territories: Iterable[str] = ()) -> Build:
        if share is not None:
            low = high = share
        else:  # SPEC §1: a lone share_min means share_max = 1, a lone share_max means share_min = 0
            low = share_min if share_min is not None else 0
            high = share_max if share_max is not None else 1
        self.rules.append(factory.rule(len(self.rules), line, CostItem(cost_item), low, high,
                                       families=frozenset(Family(f) for f in families),
                                       member_kinds=frozenset(MemberKind(k) for k in member_kinds),
                                       territories=frozenset(territories)))
        return self

    # --- assembly ----------------------------------------------------------------------------
    def _need_territory(self, territory: str) -> None:
        if territory not in self.territories:
            self.territory(territory)

    def build(self) -> Scenario:
        keys = Counter((r.member_id, r.trainee_ref, r.module_code) for r in self.requests)
        dup = [k for k, n in keys.items() if n > 1]
        assert not dup, f"duplicate requests (the loader rejects them): {dup}"
        for r in self.requests:
            assert r.member_id in self.members and r.module_code in self.modules, r
        for o in self.offers.values():
            assert o.provider_id in self.providers and o.module_code in self.modules and o.territory_id in self.territories, o
        for rule in self.rules:
            assert rule.line_id in self.lines, rule
        legs: dict[tuple[str, str], Leg] = {}
        for mem in self.members.values():
            for ven in self.venues.values():
                legs[(mem.id, ven.id)] = self.legs.get((mem.id, ven.id)) or computed_leg(
                    mem.lat, mem.lon, ven.lat, ven.lon, self.travel)
        return factory.scenario(
            id=self.id, horizon_start=self.start, horizon_end=self.end, closed_months=self.closed, policy=self.policy,
            travel=self.travel, objective=self.objective, funders=self.funders.values(),
            budget_lines=self.lines.values(), rules=self.rules, territories=self.territories.values(),
            members=self.members.values(), modules=self.modules.values(), providers=self.providers.values(),
            venues=self.venues.values(), offers=self.offers.values(), requests=self.requests, legs=legs,
        )


def base(*, hours: float = 21, module_rate: float | None = 10, months: int = 1, funded: bool = True,
         **settings: object) -> Build:
    """One territory T, provider P with venue V offering module M (21 h at 10 EUR/h = 210 EUR of
    pedagogy per trainee), member A (ACI), and, when ``funded``, a public line paying 100 % of
    pedagogy. ``module_rate`` is the module's EUR/h (None: the policy's); ``settings`` go to
    :class:`Build` (horizon, policy keys such as ``rate_eur_per_hour``, objective)."""
    b = Build(**settings)  # type: ignore[arg-type]
    b.territory("T").provider("P").venue("V", "P").module("M", hours, months=months, rate_eur_per_hour=module_rate)
    b.offer("P", "M").member("A")
    if funded:
        b.line("pub", "region").rule("pub", share=1.0)
    return b


# --- solve and check --------------------------------------------------------------------------


def solve_and_check(scenario: Scenario, solver: str, tmp_path: Path, *, time_limit: float = 20,
                    expect_optimal: bool = True, workers: int = 1) -> Plan:
    """Solve with ``solver``, write the plan folder, run the checker; fail on any violation."""
    from planner.solvers import solve

    plan = solve(scenario, solver=solver, time_limit=time_limit, workers=workers)
    assert plan.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE), f"{solver}: status {plan.status} {plan.error}"
    if expect_optimal:
        assert plan.status == SolveStatus.OPTIMAL, f"{solver}: status {plan.status}, stages {plan.stages}"
    out = tmp_path / f"plan-{solver}"
    write_plan(scenario, plan, out)
    report = check_plan(scenario, out)
    assert report.ok, f"{solver}: checker found violations\n{report.summary()}\n{describe_plan(scenario, plan)}"
    return plan


# --- compact description (for failing property tests) ---------------------------------------------


def describe(sc: Scenario) -> str:
    """A few lines that say everything about a small scenario (non-default fields only)."""
    from dataclasses import fields

    from planner.domain.months import format_month

    def short(obj: object, skip: tuple[str, ...] = ("name", "title", "commune")) -> str:
        parts = []
        for f in fields(obj):  # type: ignore[arg-type]
            value = getattr(obj, f.name)
            if f.name in skip or value in (None, frozenset(), "") or f.default is value or f.default == value:
                continue
            if isinstance(value, frozenset):
                value = sorted(value)
            parts.append(f"{f.name}={value}")
        return f"{type(obj).__name__}({', '.join(parts)})"

    lines = [f"horizon {format_month(sc.horizon_start)}..{format_month(sc.horizon_end)} closed "
             f"{sorted(format_month(c) for c in sc.closed_months)}", short(sc.policy), short(sc.travel),
             f"objective served={sc.objective.served} stages={[s.value for s in sc.objective.stages]}"]
    for group in (sc.territories, sc.members, sc.modules, sc.providers, sc.venues, sc.offers, sc.funders,
                  sc.budget_lines, sc.rules):
        lines += [short(x) for x in group]
    for r in sc.requests:
        lines.append(f"Request({r.index}: {r.member_id}/{r.trainee_ref} {r.module_code} p{r.priority} "
                     f"{format_month(r.available_from)}..{format_month(r.available_to)}"
                     + (f" travel<={r.max_travel_min}" if r.max_travel_min is not None else "") + ")")
    lines += [f"leg {k[0]}->{k[1]}: {v.minutes} min {v.road_hm / 10} km" for k, v in sorted(sc.legs.items())]
    return "\n".join(lines)


def describe_plan(sc: Scenario, plan: Plan) -> str:
    from planner.domain.months import format_month

    lines = [f"{plan.solver} {plan.status.value} stages "
             + ", ".join(f"{s.name}={s.value:g} (bound {s.bound})" for s in plan.stages)]
    for s in plan.sessions:
        who = ", ".join(f"{sc.requests[r].member_id}/{sc.requests[r].trainee_ref}" for r in s.requests)
        lines.append(f"  {s.id} {s.module_code} {s.provider_id}@{s.venue_id} {format_month(s.start_month)}.."
                     f"{format_month(s.end_month)} +{s.external_seats} ext: {who}")
    for f in plan.funding:
        lines.append(f"  fund {f.session_id or '-'} {f.member_id} {f.line_id} {f.cost_item} {f.amount_cents / 100:.2f}")
    for u in plan.unmet:
        r = sc.requests[u.request]
        lines.append(f"  unmet {r.member_id}/{r.trainee_ref} {r.module_code}: {u.reason}")
    return "\n".join(lines)


# --- small readers of a plan ------------------------------------------------------------------


def served_count(plan: Plan) -> int:
    return sum(len(s.requests) for s in plan.sessions)


def stage(plan: Plan, name: str) -> float:
    for s in plan.stages:
        if s.name == name:
            return s.value
    raise KeyError(name)


def served_refs(scenario: Scenario, plan: Plan) -> set[tuple[str, str, str]]:
    """(member, trainee, module) of every assigned request."""
    return {(scenario.requests[r].member_id, scenario.requests[r].trainee_ref, scenario.requests[r].module_code)
            for s in plan.sessions for r in s.requests}


def funding_by(plan: Plan, *, line: str | None = None, member: str | None = None, item: str | None = None) -> int:
    """Sum of funding rows (cents) matching the filters."""
    return sum(f.amount_cents for f in plan.funding
               if (line is None or f.line_id == line) and (member is None or f.member_id == member)
               and (item is None or f.cost_item == item))


def unmet_reasons(plan: Plan) -> Counter[str]:
    return Counter(u.reason for u in plan.unmet)


__all__ = ["Build", "base", "solve_and_check", "served_count", "stage", "served_refs", "funding_by", "unmet_reasons",
           "describe", "describe_plan", "m",
           "BACKENDS", "replace"]
