"""View models of the documents: plain dicts and lists built from a scenario and its plan.

Everything is read from :func:`planner.plans.writer.plan_tables`, the very rows written to the
plan folder, typed once by :mod:`planner.plans.tables` (amounts in integer cents), so a document
agrees to the cent with ``funding.csv``. Each amount is given both as cents (``*_cents``, put
into ``data-cents`` attributes for machines) and as French text (for people).

Confidentiality: funder and territory documents and the overview only carry aggregates
(counts of trainees, amounts); trainee refs appear only in a member's own document.

Conventions where the SPEC is silent:
- a funder's amounts "by territory" use the *member's* territory (the one funding rules
  match), not the venue's;
- the month-by-month use of an envelope attributes a session's whole cost to its start month
  (the month the funder's commitment starts), so the remaining envelope steps down there.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planner.domain import OWN, Scenario
from planner.domain.months import Month, month_range, parse_month
from planner.domain.plan import FundingRow, Plan
from planner.plans.tables import AssignmentRow, PlanTables, SessionRow, date_text, typed_tables
from planner.plans.writer import plan_document, plan_tables
from planner.reports import french
from planner.reports.unmet import unmet_sentence

# colours of territories (maps, grids), in the scenario's territory order
TERRITORY_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
                     "#7f7f7f", "#bcbd22")


def _iso(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _figure(value: float | None, stage: str = "") -> str:
    """A stage value: an amount with its cents, whole numbers without decimals, others with two; — unknown."""
    if value is None or not math.isfinite(float(value)):
        return "—"
    if stage == "public_cost":
        return french.eur_cents(round(value * 100))
    return french.number(value, 0 if float(value).is_integer() else 2)


def money(cents: int) -> dict[str, Any]:
    """An amount as cents and as French text."""
    return {"cents": cents, "text": french.eur_cents(cents)}


@dataclass
class ReportData:
    """A plan's tables and indexes, from which every document's view model is built."""

    scenario: Scenario
    plan: Plan
    plan_date: date | None = None
    tables: PlanTables = field(init=False)  # the CSV rows, typed
    kpis: dict[str, Any] = field(init=False)  # plan_document's KPIs
    near_misses: list[dict[str, Any]] = field(init=False)
    session_rows: dict[str, SessionRow] = field(init=False)
    assignments_by_session: dict[str, list[AssignmentRow]] = field(init=False)
    session_views: dict[str, dict[str, Any]] = field(init=False)

    def __post_init__(self) -> None:
        s = self.scenario
        rows = plan_tables(s, self.plan)
        self.tables = typed_tables(rows, "plan")
        document = plan_document(s, self.plan, rows)
        self.kpis = document["kpis"]
        self.near_misses = list(document["near_misses"])
        self.session_rows = {row.session_id: row for row in self.tables.sessions}
        self.assignments_by_session = defaultdict(list)
        for a in self.tables.assignments:
            self.assignments_by_session[a.session_id].append(a)
        self.territory_colour = {t.id: TERRITORY_COLOURS[i % len(TERRITORY_COLOURS)]
                                 for i, t in enumerate(s.territories)}
        self.funder_names = {f.id: f.name for f in s.funders}
        self.months: list[Month] = list(month_range(s.horizon_start, s.horizon_end))
        self.session_views = {row.session_id: self._session_view(row) for row in self.tables.sessions}

    # --- shared pieces ---------------------------------------------------------------------------
    def meta(self, title: str, subtitle: str = "") -> dict[str, Any]:
        """Header of every document: what it is, which scenario and plan, of when."""
        s, plan = self.scenario, self.plan
        return {
            "title": title,
            "subtitle": subtitle,
            "scenario_id": s.id,
            "scenario_title": s.title,
            "horizon": french.month_span(s.horizon_start, s.horizon_end),
            "plan_date": french.day_label(self.plan_date) if self.plan_date else "date inconnue",
            "plan_date_iso": self.plan_date.isoformat() if self.plan_date else "",
            "method": french.method_label(plan.solver),
            "status": french.STATUS_LABELS.get(plan.status.value, plan.status.value),
        }

    def territory_ref(self, territory_id: str) -> dict[str, Any]:
        t = self.scenario.territory.get(territory_id)
        return {"id": territory_id, "name": t.name if t else territory_id, "rural": bool(t and t.rural),
                "colour": self.territory_colour.get(territory_id, "#7f7f7f")}

    def _session_view(self, row: SessionRow) -> dict[str, Any]:
        s = self.scenario
        module = s.module[row.module_code]
        venue = s.venue[row.venue_id]
        first, last = row.start_month, row.end_month
        days = [d for d in (_iso(x) for x in self.plan.meeting_days.get(row.session_id, [])) if d]
        start, end = row.start_date, row.end_date
        per_member = Counter(a.member_id for a in self.assignments_by_session.get(row.session_id, []))
        return {
            "id": row.session_id,
            "module_code": module.code,
            "module_title": module.title,
            "family": module.family.value,
            "family_label": french.family_label(module.family.value),
            "hours": french.hours(module.hours),
            "start_month": first,
            "end_month": last,
            "months_label": french.month_span(first, last),
            "months_short": french.month_span_short(first, last),
            "start_date": date_text(start),
            "end_date": date_text(end),
            "dates_label": french.date_span(start, end) or "dates à fixer",
            "dates_known": bool(start and end),
            "meeting_days": len(days),
            "days_label": french.days_by_month(days),
            "venue_id": venue.id,
            "venue_name": venue.name,
            "venue_commune": venue.commune,
            # what to print under the venue's name: its commune and provider, unless the name says them
            "venue_extra": [x for x in (venue.commune, s.provider[row.provider_id].name)
                            if x.casefold() not in venue.name.casefold()],
            "territory": self.territory_ref(venue.territory_id),
            "provider_id": row.provider_id,
            "provider_name": s.provider[row.provider_id].name,
            "trainees": row.trainees,
            "external_seats": row.external_seats,
            "by_member": [
                {"member_id": m, "member_name": s.member[m].name, "trainees": n}
                for m, n in sorted(per_member.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
        }

    def _sum_by(self, rows: list[FundingRow], key, label) -> list[dict[str, Any]]:
        totals: Counter[Any] = Counter()
        for row in rows:
            totals[key(row)] += row.amount_cents
        return [{"key": k, "label": label(k), **money(v)} for k, v in sorted(totals.items(), key=lambda kv: str(kv[0]))]

    # --- overview --------------------------------------------------------------------------------
    def overview(self) -> dict[str, Any]:
        s, k = self.scenario, self.kpis
        family_order = [f for f in french.FAMILY_LABELS if f in k["requested_hours_by_family"]]
        families = [
            {"family": f, "label": french.family_label(f),
             "served": french.hours(k["trainee_hours_by_family"].get(f, 0.0)),
             "requested": french.hours(k["requested_hours_by_family"][f]),
             "served_value": k["trainee_hours_by_family"].get(f, 0.0),
             "requested_value": k["requested_hours_by_family"][f],
             "share": french.percent(k["trainee_hours_by_family"].get(f, 0.0), k["requested_hours_by_family"][f])}
            for f in family_order
        ]
        public = Counter()
        for row in self.tables.funding:
            if row.line_id != OWN:
                public[row.funder_id] += row.amount_cents
        public_total = sum(public.values())
        envelopes: Counter[str] = Counter()
        uncapped: set[str] = set()
        for line in s.budget_lines:
            if line.envelope_cents is None:
                uncapped.add(line.funder_id)
            else:
                envelopes[line.funder_id] += line.envelope_cents
        funders = [
            {"id": f.id, "name": f.name, **money(public[f.id]), "share": french.percent(public[f.id], public_total),
             "envelope": None if f.id in uncapped or not envelopes[f.id] else money(envelopes[f.id]),
             "use": "—" if f.id in uncapped or not envelopes[f.id] else french.percent(public[f.id], envelopes[f.id])}
            for f in s.funders
        ]
        own_cents = sum(row.amount_cents for row in self.tables.funding if row.line_id == OWN)

        # trainees and requests by the member's territory
        assigned = {r for p in self.plan.sessions for r in p.requests}
        requested_trainees = {r.trainee for r in s.requests}
        served_trainees = {s.requests[r].trainee for r in assigned}
        rural = {t.id for t in s.territories if t.rural}
        rural_trainees = {t for t in requested_trainees if s.member[t[0]].territory_id in rural}
        territories = []
        for t in s.territories:
            requests = [r for r in s.requests if s.member[r.member_id].territory_id == t.id]
            trainees = {r.trainee for r in requests}
            sessions = [v for v in self.session_views.values() if v["territory"]["id"] == t.id]
            territories.append({
                **self.territory_ref(t.id),
                "members": sum(1 for m in s.members if m.territory_id == t.id),
                "requests": len(requests),
                "requests_served": sum(1 for r in requests if r.index in assigned),
                "trainees": len(trainees),
                "trainees_served": len(trainees & served_trainees),
                "sessions": len(sessions),
                "seats": sum(v["trainees"] for v in sessions),
            })

        unmet_reasons = Counter(u.reason for u in self.tables.unmet)
        unmet_total = sum(unmet_reasons.values())
        territory_of_unmet = Counter((u.reason, s.member[u.member_id].territory_id) for u in self.tables.unmet)
        unmet = [
            {"reason": reason, "label": french.reason_label(reason), "count": n,
             "share": french.percent(n, unmet_total),
             "by_territory": [territory_of_unmet[(reason, t.id)] for t in s.territories]}
            for reason, n in sorted(unmet_reasons.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        unmet_by_module = Counter((u.module_code, u.reason, u.cause) for u in self.tables.unmet)

        near = []
        for n in self.near_misses:
            venue = s.venue.get(str(n.get("venue_id")))
            module = s.module.get(str(n.get("module_code")))
            waiting, missing = int(n.get("trainees", 0)), int(n.get("missing", 0))
            seats = int(n.get("external_seats_possible", 0) or 0)
            start = str(n.get("start_month", ""))
            try:
                start_label = french.month_label(parse_month(start))
            except ValueError:
                start_label = start
            reason = f"effectif minimum de {waiting + missing} non atteint ; " + (
                f"jusqu'à {french.plural(seats, 'place externe possible', 'places externes possibles')} par session"
                if seats
                else "aucune place externe autorisée")
            near.append({
                "module_code": module.code if module else n.get("module_code"),
                "module_title": module.title if module else "",
                "venue_name": venue.name if venue else n.get("venue_id"),
                "venue_commune": venue.commune if venue else "",
                "venue_extra": ([venue.commune] if venue and venue.commune.casefold() not in venue.name.casefold()
                                else []),
                "territory": self.territory_ref(str(n.get("territory_id") or (venue.territory_id if venue else ""))),
                "start_month": start_label,
                "waiting": waiting,
                "missing": missing,
                "reason": reason,
            })

        return {
            "meta": self.meta("Aperçu du plan de formation mutualisé",
                              f"{s.title} — {french.month_span(s.horizon_start, s.horizon_end)}"),
            "headline": {
                "requests": k["requests"], "requests_served": k["requests_served"],
                "requests_share": french.percent(k["requests_served"], k["requests"]),
                "trainees": len(requested_trainees), "trainees_served": k["trainees_served"],
                "trainees_share": french.percent(k["trainees_served"], len(requested_trainees)),
                "sessions": k["sessions"], "members": len(s.members),
                "public": money(public_total), "own": money(own_cents), "total": money(public_total + own_cents),
                "rural_requests": k["rural_requests"], "rural_requests_served": k["rural_requests_served"],
                "rural_requests_share": french.percent(k["rural_requests_served"], k["rural_requests"]),
                "rural_trainees": len(rural_trainees),
                "rural_trainees_served": len(rural_trainees & served_trainees),
                "rural_trainees_share": french.percent(len(rural_trainees & served_trainees), len(rural_trainees)),
            },
            "families": families,
            "hours_served_total": french.hours(sum(f["served_value"] for f in families)),
            "hours_requested_total": french.hours(sum(f["requested_value"] for f in families)),
            "funders": funders,
            "public_total": money(public_total),
            "territories": territories,
            "territory_names": [t.name for t in s.territories],
            "unmet": unmet,
            "unmet_total": unmet_total,
            "unmet_by_module": [
                {"module_code": m, "module_title": s.module[m].title if m in s.module else "",
                 "reason": french.reason_label(r, c), "count": n}
                for (m, r, c), n in sorted(unmet_by_module.items(), key=lambda kv: (-kv[1], kv[0]))[:15]
            ],
            "near_misses": near,
            "stages": [
                {"name": st.name, "label": french.STAGE_LABELS.get(st.name, st.name),
                 "value": _figure(st.value, st.name),
                 # a zero bound under a non-zero value proves nothing: the backend had no bound to give
                 "bound": "—" if st.bound == 0 and st.value else _figure(st.bound, st.name),
                 "proven": "oui" if st.proven else "non"}
                for st in self.plan.stages
            ],
            "map": self.map_data(),
            "members": [{"id": m.id, "name": m.name, "kind": m.kind.value,
                         "territory": self.territory_ref(m.territory_id)} for m in s.members],
        }

    def map_data(self) -> dict[str, Any]:
        """Members, venues with their sessions, and member → venue flows of trainees, with coordinates."""
        s = self.scenario
        trainees_of_member = Counter(a.member_id for a in self.tables.assignments)
        sessions_at = Counter(v["venue_id"] for v in self.session_views.values())
        flows: Counter[tuple[str, str]] = Counter()
        for a in self.tables.assignments:
            flows[(a.member_id, self.session_rows[a.session_id].venue_id)] += 1
        return {
            "territories": [{"id": t.id, "name": t.name, "colour": self.territory_colour[t.id]} for t in s.territories],
            "members": [{"id": m.id, "lat": m.lat, "lon": m.lon, "territory_id": m.territory_id,
                         "trainees": trainees_of_member[m.id]} for m in s.members],
            "venues": [{"id": v.id, "lat": v.lat, "lon": v.lon, "territory_id": v.territory_id, "commune": v.commune,
                        "sessions": sessions_at[v.id]} for v in s.venues],
            "flows": [{"from": (s.member[m].lat, s.member[m].lon), "to": (s.venue[v].lat, s.venue[v].lon),
                       "trainees": n, "territory_id": s.member[m].territory_id}
                      for (m, v), n in sorted(flows.items())],
        }

    # --- territory -------------------------------------------------------------------------------
    def territory(self, territory_id: str) -> dict[str, Any]:
        s = self.scenario
        t = s.territory[territory_id]
        sessions = sorted((v for v in self.session_views.values() if v["territory"]["id"] == territory_id),
                          key=lambda v: (v["start_month"], v["module_code"], v["id"]))
        offered = {o.module_code for o in s.offers if o.territory_id == territory_id}
        codes = offered | {v["module_code"] for v in sessions}
        family_rank = {f: i for i, f in enumerate(french.FAMILY_LABELS)}
        modules = sorted((s.module[c] for c in codes), key=lambda m: (family_rank.get(m.family.value, 9), m.code))
        number_of = {v["id"]: i for i, v in enumerate(sessions, start=1)}
        grid = []
        for module in modules:
            cells = []
            for month in self.months:
                running = [
                    {"id": v["id"], "number": number_of[v["id"]], "trainees": v["trainees"],
                     "start": v["start_month"] == month, "venue_commune": v["venue_commune"]}
                    for v in sessions
                    if v["module_code"] == module.code and v["start_month"] <= month <= v["end_month"]
                ]
                cells.append({"month": month, "closed": month in s.closed_months, "sessions": running})
            grid.append({"module_code": module.code, "module_title": module.title,
                         "family": module.family.value, "cells": cells,
                         "sessions": sum(1 for v in sessions if v["module_code"] == module.code)})
        members_here = Counter()
        for v in sessions:
            for m in v["by_member"]:
                members_here[m["member_id"]] += m["trainees"]
        return {
            "meta": self.meta(f"Calendrier des sessions — {t.name}",
                              f"Territoire {'rural' if t.rural else 'urbain'} ({t.id}) — "
                              f"{french.month_span(s.horizon_start, s.horizon_end)}"),
            "territory": self.territory_ref(territory_id),
            "months": [{"month": m, "label": french.month_short(m), "closed": m in s.closed_months,
                        "title": french.month_label(m)} for m in self.months],
            "grid": grid,
            "sessions": [{**v, "number": number_of[v["id"]]} for v in sessions],
            "seats": sum(v["trainees"] for v in sessions),
            "external_seats": sum(v["external_seats"] for v in sessions),
            "trainee_hours": french.hours(sum(s.module[v["module_code"]].minutes * v["trainees"]
                                              for v in sessions) / 60),
            "dates_missing": sum(1 for v in sessions if not v["dates_known"]),
            "members": [
                {"member_id": m, "member_name": s.member[m].name, "kind": s.member[m].kind.value,
                 "territory": self.territory_ref(s.member[m].territory_id), "trainees": n}
                for m, n in sorted(members_here.items())
            ],
        }

    # --- funder ----------------------------------------------------------------------------------
    def funder(self, funder_id: str) -> dict[str, Any]:
        s = self.scenario
        f = s.funder[funder_id]
        rows = [r for r in self.tables.funding if r.funder_id == funder_id and r.line_id != OWN]
        total = sum(r.amount_cents for r in rows)
        used = Counter()
        for r in rows:
            used[r.line_id] += r.amount_cents
        lines = []
        for line in (b for b in s.budget_lines if b.funder_id == funder_id):
            envelope = line.envelope_cents
            lines.append({
                "id": line.id, **money(used[line.id]),
                "envelope": None if envelope is None else money(envelope),
                "remaining": None if envelope is None else money(envelope - used[line.id]),
                "share": "—" if not envelope else french.percent(used[line.id], envelope),
                "ratio": 0.0 if not envelope else min(1.0, used[line.id] / envelope),
                "over": envelope is not None and used[line.id] > envelope,
            })
        # lines named in funding rows but not in the scenario (should not happen): still counted
        known = {line["id"] for line in lines}
        for line_id in sorted(set(used) - known):
            lines.append({"id": line_id, **money(used[line_id]), "envelope": None, "remaining": None, "share": "—",
                          "ratio": 0.0, "over": False})

        family_of = {sid: row.family for sid, row in self.session_rows.items()}
        by_family = self._sum_by(rows, lambda r: family_of.get(r.session_id, ""), french.family_label)
        by_territory = self._sum_by(rows, lambda r: s.member[r.member_id].territory_id,
                                    lambda t: self.territory_ref(t)["name"])
        by_kind = self._sum_by(rows, lambda r: s.member[r.member_id].kind.value,
                               lambda k: f"{k} — {french.KIND_LABELS.get(k, k)}")
        by_item = self._sum_by(rows, lambda r: r.cost_item, lambda c: french.cost_item_label(c, self.funder_names))

        # trainees concerned: a member's trainees in each session where this funder pays for that member
        pairs = {(r.session_id, r.member_id) for r in rows}
        trainees = sum(1 for sid, m in pairs for a in self.assignments_by_session.get(sid, []) if a.member_id == m)
        trainee_minutes = sum(s.module[self.session_rows[sid].module_code].minutes
                              for sid, m in pairs for a in self.assignments_by_session.get(sid, [])
                              if a.member_id == m)

        # month by month: cost attributed to the session's start month
        spent_in: dict[str, Counter[Month]] = defaultdict(Counter)
        for r in rows:
            spent_in[r.line_id][self.session_rows[r.session_id].start_month] += r.amount_cents
        burn = []
        for line in lines:
            envelope = line["envelope"]["cents"] if line["envelope"] else None
            cumulative, points = 0, []
            for m in self.months:
                cumulative += spent_in[line["id"]][m]
                points.append(cumulative)
            # first value: before any session starts (the whole envelope; nothing spent)
            values = [envelope if envelope is not None else 0]
            values += [(envelope - c) if envelope is not None else c for c in points]
            burn.append({"id": line["id"], "envelope_cents": envelope, "values": values,
                         "cells": [money(v) for v in values], "capped": envelope is not None})
        return {
            "meta": self.meta(f"Financement — {f.name}", f"Répartition du budget du plan ({f.id})"),
            "funder": {"id": f.id, "name": f.name, "opca": f.opca,
                       "access_fee": None if f.access_fee_cents is None else money(f.access_fee_cents)},
            "total": money(total),
            "lines": lines,
            "by_family": by_family,
            "by_territory": by_territory,
            "by_kind": by_kind,
            "by_item": by_item,
            "sessions": len({r.session_id for r in rows}),
            "members": len({r.member_id for r in rows}),
            "trainees": trainees,
            "trainee_hours": french.hours(trainee_minutes / 60),
            "months": [{"month": None, "label": "début", "title": "avant la première session"}]
                      + [{"month": m, "label": french.month_short(m), "title": f"fin {french.month_label(m)}"}
                         for m in self.months],
            "burn": burn,
            "fees_received": money(sum(r.amount_cents for r in self.tables.funding
                                       if r.cost_item == f"access_fee:{funder_id}")),
            "fees_count": sum(1 for r in self.tables.funding if r.cost_item == f"access_fee:{funder_id}"),
        }

    # --- member ----------------------------------------------------------------------------------
    def member(self, member_id: str) -> dict[str, Any]:
        s = self.scenario
        m = s.member[member_id]
        trainees = []
        for a in self.tables.assignments:
            if a.member_id != member_id:
                continue
            v = self.session_views[a.session_id]
            trainees.append({
                "trainee_ref": a.trainee_ref, "session": v,
                "travel_min": a.travel_min, "road_km": french.number(a.road_km, 1),
            })
        trainees.sort(key=lambda t: (t["trainee_ref"], t["session"]["start_month"], t["session"]["module_code"]))

        rows = [r for r in self.tables.funding if r.member_id == member_id]
        payers = []  # funders paying something for this member, in scenario order, then own funds
        for f in s.funders:
            if any(r.funder_id == f.id and r.line_id != OWN for r in rows):
                payers.append({"id": f.id, "name": f.name})
        sessions = []
        for sid in sorted({r.session_id for r in rows if r.session_id},
                          key=lambda x: (self.session_views[x]["start_month"], x)):
            v = self.session_views[sid]
            mine = [r for r in rows if r.session_id == sid]
            by_payer: Counter[str] = Counter()
            for r in mine:
                by_payer[r.funder_id if r.line_id != OWN else OWN] += r.amount_cents
            sessions.append({
                "session": v,
                "trainees": sum(1 for a in self.assignments_by_session.get(sid, []) if a.member_id == member_id),
                "payers": [money(by_payer[p["id"]]) for p in payers],
                "own": money(by_payer[OWN]),
                "total": money(sum(by_payer.values())),
            })
        fees = [{"label": french.cost_item_label(r.cost_item, self.funder_names), **money(r.amount_cents)}
                for r in rows if not r.session_id]
        own_used = sum(r.amount_cents for r in rows if r.line_id == OWN)
        public_by_payer = [money(sum(r.amount_cents for r in rows if r.funder_id == p["id"] and r.line_id != OWN))
                           for p in payers]
        unmet = []
        for u in self.tables.unmet:
            if u.member_id != member_id:
                continue
            module = s.module.get(u.module_code)
            unmet.append({"trainee_ref": u.trainee_ref, "module_code": u.module_code,
                          "module_title": module.title if module else "", "reason": u.reason,
                          "cause": u.cause, "reason_label": french.reason_label(u.reason, u.cause),
                          "detail": unmet_sentence(s, u)})
        unmet.sort(key=lambda u: (u["trainee_ref"], u["module_code"]))
        requests = [r for r in s.requests if r.member_id == member_id]
        return {
            "meta": self.meta(f"Plan de formation — {m.name}", f"Structure {m.kind.value} ({m.id}), {m.commune}"),
            "member": {
                "id": m.id, "name": m.name, "kind": m.kind.value,
                "kind_label": french.KIND_LABELS.get(m.kind.value, ""),
                "commune": m.commune, "territory": self.territory_ref(m.territory_id),
                "opca": self.funder_names.get(m.opca, m.opca) if m.opca else None,
                "own_funds": money(m.own_funds_cents),
                "release_cap": m.release_cap,
            },
            "requests": len(requests),
            "trainee_count": len({r.trainee_ref for r in requests}),
            "served": len(trainees),
            "trainees": trainees,
            "payers": payers,
            "sessions": sessions,
            "fees": fees,
            "public_by_payer": public_by_payer,
            "own_used": money(own_used),
            "own_left": money(m.own_funds_cents - own_used),
            "own_share": french.percent(own_used, m.own_funds_cents),
            "grand_total": money(sum(r.amount_cents for r in rows)),
            "unmet": unmet,
        }
