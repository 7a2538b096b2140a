"""Figures of a generated scenario, computed from its rows, for its README.

Independent of the loader: it reads the same plain rows the writer writes, and estimates
travel as SPEC §1 does (great-circle distance times ``road_factor`` at ``speed_kmh``) from
each member to its nearest offering venue.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from planner.generate.catalogue import FAMILIES
from planner.rules.geography import haversine_km

Rows = Sequence[Mapping[str, Any]]
Tables = Mapping[str, Rows]


def family_totals(tables: Tables) -> dict[str, tuple[int, float]]:
    """Requests and requested module hours per family."""
    modules = {m["module_code"]: m for m in tables["modules"]}
    counts: Counter[str] = Counter()
    hours: Counter[str] = Counter()
    for r in tables["survey"]:
        m = modules[r["module_code"]]
        counts[m["family"]] += 1
        hours[m["family"]] += m["hours"]
    return {f: (counts[f], hours[f]) for f in FAMILIES}


def nearest_offers(tables: Tables, config: Mapping[str, Any]) -> list[tuple[float, float] | None]:
    """Per request: (minutes, road km) to the nearest venue offering its module, or None."""
    road_factor, speed = config["travel"]["road_factor"], config["travel"]["speed_kmh"]
    members = {m["member_id"]: m for m in tables["members"]}
    venues_by_pt: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for v in tables["venues"]:
        venues_by_pt.setdefault((v["provider_id"], v["territory_id"]), []).append(v)
    venues_by_module: dict[str, list[Mapping[str, Any]]] = {}
    for o in tables["offers"]:
        venues_by_module.setdefault(o["module_code"], []).extend(
            venues_by_pt.get((o["provider_id"], o["territory_id"]), [])
        )
    cache: dict[tuple[str, str], tuple[float, float] | None] = {}
    result = []
    for r in tables["survey"]:
        key = (r["member_id"], r["module_code"])
        if key not in cache:
            m = members[r["member_id"]]
            kms = [
                haversine_km(m["lat"], m["lon"], v["lat"], v["lon"]) * road_factor
                for v in venues_by_module.get(r["module_code"], [])
            ]
            cache[key] = (min(kms) / speed * 60, min(kms)) if kms else None
        result.append(cache[key])
    return result


def reach(tables: Tables, config: Mapping[str, Any]) -> Counter[str]:
    """How many requests have an offering venue within their travel limit (``ok``), have no
    offer at all (``no_offer``), or have offers only farther away (``out_of_reach``)."""
    members = {m["member_id"]: m for m in tables["members"]}
    default = config["policy"]["max_travel_min"]
    result: Counter[str] = Counter()
    for r, nearest in zip(tables["survey"], nearest_offers(tables, config)):
        if nearest is None:
            result["no_offer"] += 1
            continue
        limit = r.get("max_travel_min") or members[r["member_id"]].get("max_travel_min") or default
        result["ok" if nearest[0] <= limit else "out_of_reach"] += 1
    return result


def travel_cost(tables: Tables, config: Mapping[str, Any]) -> float:
    """Travel allowances (SPEC §2 rule 7) if every request went to its nearest offering venue."""
    travel, per_day = config["travel"], config["policy"]["hours_per_day"]
    hours = {m["module_code"]: m["hours"] for m in tables["modules"]}
    total = 0.0
    for r, nearest in zip(tables["survey"], nearest_offers(tables, config)):
        if nearest is not None and nearest[1] > travel["allowance_threshold_km"]:
            days = math.ceil(hours[r["module_code"]] / per_day)
            total += 2 * nearest[1] * travel["allowance_eur_per_km"] * days
    return total


def _shares(rule: Mapping[str, Any]) -> tuple[float, float]:
    if "share" in rule:
        return rule["share"], rule["share"]
    return rule.get("share_min", 0.0), rule.get("share_max", 1.0)


def cost_groups(tables: Tables, config: Mapping[str, Any]) -> dict[tuple[str, str, str], Counter[str]]:
    """Pedagogy and wages of the whole survey (module rates), per (family, member kind,
    member territory): the only things rules look at."""
    modules = {m["module_code"]: m for m in tables["modules"]}
    members = {m["member_id"]: m for m in tables["members"]}
    rate = config["policy"]["rate_eur_per_hour"]
    groups: dict[tuple[str, str, str], Counter[str]] = {}
    for r in tables["survey"]:
        module, member = modules[r["module_code"]], members[r["member_id"]]
        group = groups.setdefault((module["family"], member["kind"], member["territory_id"]), Counter())
        group["pedagogy"] += module["hours"] * (module.get("rate_eur_per_hour") or rate)
        group["wage"] += module["hours"] * (member.get("wage_eur_per_hour") or 0.0)
    return groups


def line_demand(tables: Tables, config: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
    """What each budget line would pay if every request were served, at its rules'
    minimum and maximum shares (members without the OPCA assumed to pay its access fee)."""
    groups = cost_groups(tables, config)
    demand = {line["id"]: [0.0, 0.0] for line in config["budget_lines"]}
    for rule in config["rules"]:
        low, high = _shares(rule)
        for (family, kind, territory), group in groups.items():
            if _applies(rule, family, kind, territory):
                demand[rule["line"]][0] += group[rule["cost_item"]] * low
                demand[rule["line"]][1] += group[rule["cost_item"]] * high
    return {line: (lo, hi) for line, (lo, hi) in demand.items()}


def _applies(rule: Mapping[str, Any], family: str, kind: str, territory: str) -> bool:
    return (
        family in (rule.get("families") or [family])
        and kind in (rule.get("member_kinds") or [kind])
        and territory in (rule.get("territories") or [territory])
    )


def survey_markdown(tables: Tables) -> str:
    """Catalogue sizes and the survey's requests and hours per family."""
    trainees = {(r["member_id"], r["trainee_ref"]) for r in tables["survey"]}
    out = [
        f"- {len(tables['modules'])} modules, {len(tables['providers'])} providers, "
        f"{len(tables['venues'])} venues, {len(tables['offers'])} offers",
        f"- survey: {len(tables['survey'])} requests from {len(trainees)} trainees",
        "",
        "| family | requests | requested hours |",
        "|---|---:|---:|",
    ]
    totals = family_totals(tables)
    for family, (n, hours) in totals.items():
        out.append(f"| {family} | {n} | {hours:,.0f} |")
    out.append(
        f"| total | {sum(n for n, _ in totals.values())} "
        f"| {sum(h for _, h in totals.values()):,.0f} |"
    )
    return "\n".join(out)


def markdown(tables: Tables, config: Mapping[str, Any]) -> str:
    """A "Figures" section: members, survey per family, reach, budget lines."""
    out = ["## Figures (computed by `planner.generate.summary`)", ""]
    kinds = Counter(m["kind"] for m in tables["members"])
    territories = {t["territory_id"]: t["name"] for t in tables["territories"]}
    per_territory = Counter(m["territory_id"] for m in tables["members"])
    out.append(
        f"- {len(tables['members'])} members: "
        + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    )
    out.append(
        "- members per territory: "
        + "; ".join(f"{territories[t]} {per_territory[t]}" for t in territories)
    )
    out.append(survey_markdown(tables))
    r = reach(tables, config)
    out += [
        "",
        f"Reach (requests): an offering venue within the travel limit {r['ok']}; offering "
        f"venues only farther away {r['out_of_reach']}; no offer at all {r['no_offer']}.",
        "",
        "Budget lines: envelope, and what serving the whole survey would ask of the line "
        "(pedagogy and wages only, at the rule's minimum and maximum shares).",
        "",
        "| line | funder | envelope EUR | survey asks, min EUR | survey asks, max EUR |",
        "|---|---|---:|---:|---:|",
    ]
    demand = line_demand(tables, config)
    for line in config["budget_lines"]:
        envelope = line.get("envelope_eur")
        low, high = demand[line["id"]]
        shown = "no cap" if envelope is None else f"{envelope:,.0f}"
        out.append(f"| {line['id']} | {line['funder']} | {shown} | {low:,.0f} | {high:,.0f} |")
    total: Counter[str] = Counter()
    for group in cost_groups(tables, config).values():
        total.update(group)
    envelopes = sum(line.get("envelope_eur") or 0 for line in config["budget_lines"])
    own = sum(m.get("own_funds_eur") or 0 for m in tables["members"])
    out += [
        "",
        f"Serving the whole survey would cost {total['pedagogy']:,.0f} EUR of pedagogy (module "
        f"rates), {total['wage']:,.0f} EUR of wages and about "
        f"{travel_cost(tables, config):,.0f} EUR of travel allowances (each trainee at the "
        "nearest offering venue), plus "
        f"{config['policy']['engineering_eur_per_session']:,.0f} EUR of engineering per session "
        f"opened. Envelopes total {envelopes:,.0f} EUR; members' own funds {own:,.0f} EUR.",
    ]
    return "\n".join(out) + "\n"
