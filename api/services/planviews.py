"""Read views of a stored plan (its typed tables and scenario), cached: plans never change.

Budget rows (SPEC §3 ``funding.csv``) are enriched once per plan with the member's territory and
kind, the session's family and start month, so that every ``/budget`` query is a grouping in
memory. Conventions (also in docs/decisions.md):

- ``territory`` of a budget row is the *member's* territory (the one funders' rules look at);
  sessions are filtered by the *venue's* territory, as in ``sessions.csv``;
- ``month`` of a budget row is its session's start month (access fees have none);
- own funds and access fees are paid by the member: their ``funder`` is ``own``, line ``own``;
- ``trainees`` of a group are the trainees whose costs its rows pay, at least in part: for each
  (session, member) with a row in the group, that member's trainees in that session;
  ``trainee_hours`` are their module hours. A total is computed the same way over all rows, so it
  is not the sum of the groups' trainees when a trainee's costs are split between groups.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any

from planner.domain import OWN
from planner.domain.months import format_month, parse_month
from planner.plans.reader import read_tables
from planner.plans.tables import PlanTables, SessionRow

GROUPS = ("funder", "line", "territory", "family", "member_kind", "month", "cost_item")


@dataclass(frozen=True, slots=True)
class Fact:
    session_id: str
    member_id: str
    funder: str
    line: str
    territory: str
    family: str | None
    member_kind: str
    month: str | None
    cost_item: str
    cents: int


@dataclass
class PlanData:
    tables: PlanTables
    members: dict[str, tuple[str, str]]  # member id -> (kind, territory id)
    funders: tuple[str, ...]
    territories: tuple[str, ...]
    lines: tuple[str, ...]
    facts: list[Fact] = field(default_factory=list)
    sessions: dict[str, SessionRow] = field(default_factory=dict)
    attendees: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # session id -> member, trainee
    count: Counter = field(default_factory=Counter)  # (session, member) -> trainees
    session_minutes: dict[str, int] = field(default_factory=dict)  # module minutes of each session


@lru_cache(maxsize=16)
def plan_data(run_folder: str) -> PlanData:
    """The plan of a run folder (``plan/plan.json``), with its scenario's members (``scenario/``)."""
    from api.services.scenarios import load

    run = Path(run_folder)
    tables = read_tables(run / "plan")
    scenario = load(run / "scenario", survey=True)
    data = PlanData(tables=tables, members={m.id: (m.kind.value, m.territory_id) for m in scenario.members},
                    funders=tuple(f.id for f in scenario.funders) + (OWN,),
                    territories=tuple(t.id for t in scenario.territories),
                    lines=tuple(b.id for b in scenario.budget_lines) + (OWN,))
    data.sessions = {s.session_id: s for s in tables.sessions}
    data.session_minutes = {sid: s.minutes for sid, s in data.sessions.items()}
    for a in tables.assignments:
        data.attendees.setdefault(a.session_id, []).append({"member_id": a.member_id, "trainee_ref": a.trainee_ref})
        data.count[(a.session_id, a.member_id)] += 1
    for f in tables.funding:
        session = data.sessions.get(f.session_id)
        kind, territory = data.members.get(f.member_id, ("", ""))
        data.facts.append(Fact(
            session_id=f.session_id, member_id=f.member_id, funder=OWN if f.line_id == OWN else f.funder_id,
            line=f.line_id, territory=territory, family=session.family if session else None, member_kind=kind,
            month=format_month(session.start_month) if session else None, cost_item=f.cost_item,
            cents=f.amount_cents))
    return data


def _figures(data: PlanData, cents: int, pairs: set[tuple[str, str]]) -> dict[str, Any]:
    count, minutes = data.count, data.session_minutes
    trainees = sum(count[p] for p in pairs)
    total_minutes = sum(count[p] * minutes[p[0]] for p in pairs)
    return {"amount_eur": round(cents / 100, 2), "trainees": trainees, "trainee_hours": round(total_minutes / 60, 2)}


def budget(data: PlanData, group_by: tuple[str, ...], filters: dict[str, str | None],
           member_id: str | None = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows of (group keys, amount_eur, trainees, trainee_hours), sorted by keys; and the total."""
    wanted = [(key, value) for key, value in filters.items() if value is not None]
    if member_id is not None:
        wanted.append(("member_id", member_id))
    key_of = attrgetter(*group_by) if group_by else (lambda _f: ())
    single = len(group_by) == 1
    groups: dict[Any, list] = defaultdict(lambda: [0, set()])
    total: list = [0, set()]
    for f in data.facts:
        if wanted and any(getattr(f, key) != value for key, value in wanted):
            continue
        g = groups[key_of(f)]
        g[0] += f.cents
        total[0] += f.cents
        if f.session_id:
            pair = (f.session_id, f.member_id)
            g[1].add(pair)
            total[1].add(pair)
    rows = []
    for key in sorted(groups, key=lambda k: tuple("" if v is None else v for v in ((k,) if single else k))):
        cents, pairs = groups[key]
        rows.append({**dict(zip(group_by, (key,) if single else key, strict=True)), **_figures(data, cents, pairs)})
    return rows, _figures(data, total[0], total[1])


@lru_cache(maxsize=4096)
def cached_budget(run_folder: str, group_by: tuple[str, ...], filters: tuple[tuple[str, str | None], ...],
                  member_id: str | None) -> tuple[tuple[dict[str, Any], ...], dict[str, Any]]:
    """:func:`budget` of a stored plan, kept: plans never change (callers must not mutate the rows)."""
    rows, total = budget(plan_data(run_folder), group_by, dict(filters), member_id)
    return tuple(rows), total


def session_key(s: SessionRow) -> tuple[str, str, str, str]:
    return (s.module_code, s.provider_id, s.venue_id, format_month(s.start_month))


def sessions(data: PlanData, *, territory: str | None, month: str | None, module: str | None,
             provider: str | None, member_id: str | None, with_attendees: bool) -> list[dict[str, Any]]:
    running = None if month is None else parse_month(month)
    out = []
    for sid, s in data.sessions.items():
        if territory is not None and s.territory_id != territory:
            continue
        if running is not None and not (s.start_month <= running <= s.end_month):
            continue
        if module is not None and s.module_code != module:
            continue
        if provider is not None and s.provider_id != provider:
            continue
        attendees = data.attendees.get(sid, [])
        if member_id is not None:
            attendees = [a for a in attendees if a["member_id"] == member_id]
            if not attendees:
                continue
        out.append({**s.record(), "attendees": attendees if with_attendees else None})
    return out


def unmet(data: PlanData, *, member_id: str | None, module: str | None, reason: str | None) -> list[dict[str, Any]]:
    return [u.record() for u in data.tables.unmet
            if (member_id is None or u.member_id == member_id)
            and (module is None or u.module_code == module) and (reason is None or u.reason == reason)]


def diff(old: PlanData, new: PlanData, *, member_id: str | None, with_trainees: bool) -> dict[str, Any]:
    """What changes from ``old`` to ``new``: sessions opened and closed, trainees moved, EUR per funder.

    Sessions are matched by (module, provider, venue, start month), trainees by (member, trainee,
    module). ``member_id``: only that member's trainees, the sessions they attend (in either plan)
    and its funding rows. ``with_trainees=False``: counts only, no trainee ref.
    """
    def place(data: PlanData) -> dict[tuple[str, str, str], tuple]:
        where = {}
        for a in data.tables.assignments:
            if member_id is None or a.member_id == member_id:
                where[a.request_key] = session_key(data.sessions[a.session_id])
        return where

    before, after = place(old), place(new)

    def keyed(data: PlanData, mine: set[tuple]) -> dict[tuple, SessionRow]:
        return {session_key(s): s for s in data.sessions.values() if member_id is None or session_key(s) in mine}

    mine = set(before.values()) | set(after.values())
    old_sessions, new_sessions = keyed(old, mine), keyed(new, mine)

    def brief(s: SessionRow) -> dict[str, Any]:
        record = s.record()
        return {k: record[k] for k in ("module_code", "provider_id", "venue_id", "territory_id", "start_month",
                                       "end_month", "trainees")}

    moved = []
    for trainee in sorted(set(before) | set(after)):
        a, b = before.get(trainee), after.get(trainee)
        if a != b:
            moved.append({"member_id": trainee[0], "trainee_ref": trainee[1], "module_code": trainee[2],
                          "from_session": None if a is None else dict(zip(("module_code", "provider_id", "venue_id",
                                                                               "start_month"), a, strict=True)),
                          "to_session": None if b is None else dict(zip(("module_code", "provider_id", "venue_id",
                                                                             "start_month"), b, strict=True))})

    def by_funder(data: PlanData) -> Counter:
        c: Counter = Counter()
        for f in data.facts:
            if member_id is None or f.member_id == member_id:
                c[f.funder] += f.cents
        return c

    eur_old, eur_new = by_funder(old), by_funder(new)
    return {
        "sessions_opened": [brief(s) for k, s in sorted(new_sessions.items()) if k not in old_sessions],
        "sessions_closed": [brief(s) for k, s in sorted(old_sessions.items()) if k not in new_sessions],
        "trainees_moved": moved if with_trainees else None,
        "moved": sum(1 for m in moved if m["from_session"] and m["to_session"]),
        "newly_served": sum(1 for m in moved if m["from_session"] is None),
        "no_longer_served": sum(1 for m in moved if m["to_session"] is None),
        "eur_by_funder": [{"funder": f, "before_eur": round(eur_old[f] / 100, 2), "after_eur": round(eur_new[f] / 100, 2),
                           "delta_eur": round((eur_new[f] - eur_old[f]) / 100, 2)}
                          for f in sorted(set(eur_old) | set(eur_new))],
    }
