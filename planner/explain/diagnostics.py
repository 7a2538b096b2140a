"""What a valid scenario looks like before any solve: warnings on unservable requests, summary.

Warnings are requests that no plan can serve, grouped by reason (SPEC §1, last paragraph).
The summary tables are pandas DataFrames so that the CLI, the API and reports can show them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

import pandas as pd

from planner.domain import Leg, Request, Scenario
from planner.domain.months import format_month
from planner.rules.costs import attendance_costs
from planner.rules.reach import Reach, Site
from planner.domain.units import PPM, div_round


@dataclass
class WarningGroup:
    """Requests that no plan can serve, for one reason."""

    code: str
    title: str
    requests: list[Request] = field(default_factory=list)
    details: Counter[str] = field(default_factory=Counter)

    @property
    def count(self) -> int:
        return len(self.requests)


WARNING_TITLES = {
    "no_offer": "no provider offers the module",
    "out_of_reach": "no offering venue within the travel limit",
    "window": "no allowed start month fits the availability window",
    "below_min_fill": "too few reachable requests anywhere to open a session",
    "cost_not_covered": "rules and own funds cannot fully cover the cost",
}


MAX_FEE_CHOICES = 10  # OPCA funders whose fees could open rules for one request (2**n choices)


def unservable(scenario: Scenario, reach: Reach | None = None) -> list[WarningGroup]:
    """Group requests that no plan can serve, first reason that holds."""
    reach = reach or Reach(scenario)
    groups = {code: WarningGroup(code, title) for code, title in WARNING_TITLES.items()}
    sites_of = [reach.sites(request) for request in scenario.requests]  # computed once: the costly part
    reachable_count = _reachable_counts(scenario, sites_of)
    for request, sites in zip(scenario.requests, sites_of, strict=True):
        module = scenario.module[request.module_code]
        code, detail = None, ""
        if not reach.sites_by_module.get(module.code):
            code, detail = "no_offer", module.code
        elif not sites:
            code, detail = "out_of_reach", f"{module.code} from {scenario.member[request.member_id].commune}"
        elif not reach.starts(request):
            code, detail = "window", (
                f"{module.code} ({module.months} month(s)) in "
                f"{format_month(request.available_from)}..{format_month(request.available_to)}"
            )
        elif all(
            reachable_count[(module.code, site.venue.id)] + scenario.policy.external_seats_max
            < scenario.min_fill(module.code, site.venue.id)
            for site, _ in sites
        ):
            code, detail = "below_min_fill", module.code
        else:
            uncovered = _uncovered_cents(scenario, request, sites)
            if uncovered is not None:
                own = scenario.member[request.member_id].own_funds_cents
                code, detail = "cost_not_covered", (
                    f"{request.member_id}: {uncovered / 100:,.2f} EUR left to pay, own funds {own / 100:,.2f} EUR"
                )
        if code:
            groups[code].requests.append(request)
            groups[code].details[detail] += 1
    return [g for g in groups.values() if g.requests]


def _reachable_counts(scenario: Scenario, sites_of: list[list[tuple[Site, Leg]]]) -> Counter[tuple[str, str]]:
    """Requests that can reach each (module, venue) within their travel limit."""
    counts: Counter[tuple[str, str]] = Counter()
    for request, sites in zip(scenario.requests, sites_of, strict=True):
        for site, _ in sites:
            counts[(request.module_code, site.venue.id)] += 1
    return counts


def _uncovered_cents(scenario: Scenario, request: Request, sites: list[tuple[Site, Leg]]) -> int | None:
    """Cents of one trainee's cost that the most generous rules plus own funds leave unpaid.

    Costs are lower bounds over the sites within reach: cheapest rate, shortest trip.
    """
    member = scenario.member[request.member_id]
    module = scenario.module[request.module_code]
    road_hm = min(leg.road_hm for _, leg in sites)
    rates = [scenario.rate_cents_per_hour(site.offer) for site, _ in sites]
    costs = attendance_costs(scenario, member, module, min(rates), road_hm)
    funder_of = {line.id: scenario.funder[line.funder_id] for line in scenario.budget_lines}
    rules = [r for r in scenario.rules
             if r.cost_item in costs and r.matches(module.family, member.kind, member.territory_id)]
    # OPCA funders the member does not adhere to but whose applicable rules an access fee would open
    fee = {f.id: f.access_fee_cents for r in rules for f in [funder_of[r.line_id]]
           if f.opca and member.opca != f.id and f.access_fee_cents is not None}
    if len(fee) > MAX_FEE_CHOICES:
        return None  # too many ways to pay fees to prove anything: no warning

    def residual(opened: tuple[str, ...]) -> int:
        total = 0
        for item, cost in costs.items():
            share = 0
            for rule in rules:
                funder = funder_of[rule.line_id]
                if rule.cost_item != item or (funder.opca and member.opca != funder.id and funder.id not in opened):
                    continue
                share += rule.share_max_ppm
            total += cost - div_round(cost * min(share, PPM), PPM)
        return total

    # the access fees are paid from own funds too (SPEC §2.8): try every set of fees worth paying
    best = min(
        residual(opened) + sum(fee[f] for f in opened)
        for k in range(len(fee) + 1) for opened in combinations(sorted(fee), k)
    )
    return best if best > member.own_funds_cents else None


# --- summary -----------------------------------------------------------------------------------

def members_by_kind_and_territory(scenario: Scenario) -> pd.DataFrame:
    rows = [{"territory": scenario.territory[m.territory_id].name, "kind": m.kind.value} for m in scenario.members]
    table = pd.crosstab(pd.DataFrame(rows)["territory"], pd.DataFrame(rows)["kind"], margins=True, margins_name="total")
    return table


def requests_by_family_and_territory(scenario: Scenario) -> pd.DataFrame:
    rows = []
    for r in scenario.requests:
        module = scenario.module[r.module_code]
        rows.append({
            "territory": scenario.territory[scenario.member[r.member_id].territory_id].name,
            "family": module.family.value,
            "trainee": r.trainee,
            "hours": module.minutes / 60,
        })
    frame = pd.DataFrame(rows, columns=["territory", "family", "trainee", "hours"])
    grouped = frame.groupby(["family", "territory"]).agg(
        requests=("hours", "size"), trainees=("trainee", "nunique"), hours=("hours", "sum")
    )
    return grouped.reset_index()


def envelopes_by_funder(scenario: Scenario) -> pd.DataFrame:
    rows = defaultdict(lambda: {"lines": 0, "envelope_eur": 0.0, "uncapped_lines": 0})
    for line in scenario.budget_lines:
        row = rows[line.funder_id]
        row["lines"] += 1
        if line.envelope_cents is None:
            row["uncapped_lines"] += 1
        else:
            row["envelope_eur"] += line.envelope_cents / 100
    frame = pd.DataFrame(
        [{"funder": scenario.funder[f].name, **v} for f, v in rows.items()],
        columns=["funder", "lines", "envelope_eur", "uncapped_lines"],
    )
    return frame
