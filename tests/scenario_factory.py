"""The one factory of hand-built test scenarios: domain records with defaults, keyword overrides.

Figures are the domain's (cents, minutes, ppm), except shares (fractions, scaled as the loader
does), hours and ``YYYY-MM`` months. :class:`scenario_builder.Build` (tests/solvers) adds EUR
and computed legs on top. Importable as ``scenario_factory`` from every test: pytest puts
tests/ on ``sys.path`` when it loads tests/conftest.py.
"""

from __future__ import annotations

from typing import Any

from planner.domain import (
    CostItem, Family, Member, MemberKind, Module, Objective, Policy, Request, Rule, Scenario, TravelPolicy,
)
from planner.domain.months import parse_month
from planner.domain.units import hours_to_minutes, share_to_ppm

# the Scenario fields holding records: any iterable is taken, stored as a tuple
_RECORDS = ("funders", "budget_lines", "rules", "territories", "members", "modules", "providers", "venues", "offers",
            "requests")


def member(id: str, territory: str = "T1", kind: MemberKind = MemberKind.ACI, *, name: str | None = None,
           commune: str = "Town", lat: float = 45.0, lon: float = 5.0, **fields: Any) -> Member:
    return Member(id, name or f"Member {id}", kind, territory, commune, lat, lon, **fields)


def module(code: str, hours: float = 21, family: Family = Family.SHORT, *, title: str | None = None,
           **fields: Any) -> Module:
    return Module(code, title or f"Module {code}", family, hours_to_minutes(hours), **fields)


def rule(index: int, line: str, item: CostItem, share: float, share_max: float | None = None, **match: Any) -> Rule:
    """A line pays ``share`` of the item (from ``share`` to ``share_max`` when given)."""
    high = share if share_max is None else share_max
    return Rule(index, line, item, share_to_ppm(share), share_to_ppm(high), **match)


def request(index: int, member: str, trainee: str, module: str, priority: int = 2, first: str = "2012-01",
            last: str = "2012-12", max_travel: int | None = None) -> Request:
    return Request(index, member, trainee, module, priority, parse_month(first), parse_month(last), max_travel)


def scenario(**fields: Any) -> Scenario:
    """A Scenario of these fields; the others are empty or the domain's defaults (horizon: 2012)."""
    id = fields.get("id", "test")
    values: dict[str, Any] = {
        "id": id, "title": f"Scenario {id}", "horizon_start": parse_month("2012-01"),
        "horizon_end": parse_month("2012-12"), "closed_months": frozenset(), "policy": Policy(),
        "travel": TravelPolicy(), "objective": Objective(), "legs": {}, **dict.fromkeys(_RECORDS, ()), **fields,
    }
    return Scenario(**{k: tuple(v) if k in _RECORDS else v for k, v in values.items()})
