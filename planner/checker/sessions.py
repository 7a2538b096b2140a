"""Session rules (SPEC §2.1, §2.2, §2.6) and the columns a session row restates.

Codes: ``offer``, ``months``, ``dates``, ``min_fill``, ``max_size``, ``external_seats``,
``trainee_count``, ``provider_parallel``, ``derived_field``.
"""

from __future__ import annotations

from collections import defaultdict

from planner.checker.index import LiveSession, PlanIndex
from planner.checker.read import ASSIGNMENTS
from planner.checker.report import Violation
from planner.domain.months import format_month


def check(ix: PlanIndex) -> list[Violation]:
    out: list[Violation] = []
    for s in ix.sessions.values():
        out += _restated_columns(ix, s)
        out += _offer(ix, s)
        out += _months(ix, s)
        out += _dates(s)
        out += _fill(ix, s)
    out += _provider_parallel(ix)
    return out


def _v(rule: str, s: LiveSession, message: str) -> Violation:
    return Violation(rule, f"session {s.id!r}: {message}", session_id=s.id)


def _restated_columns(ix: PlanIndex, s: LiveSession) -> list[Violation]:
    r, out = s.record, []
    if r.family != s.module.family.value:
        out.append(_v("derived_field", s, f"family is {r.family!r} but module {s.module.code} is "
                                          f"{s.module.family.value!r}"))
    if r.territory_id != s.venue.territory_id:
        out.append(_v("derived_field", s, f"territory_id is {r.territory_id!r} but venue {s.venue.id} lies in "
                                          f"{s.venue.territory_id!r}"))
    if r.hours is not None and abs(r.hours - s.module.hours) > 1e-6:
        out.append(_v("derived_field", s, f"hours is {r.hours:g} but module {s.module.code} lasts "
                                          f"{s.module.hours:g} h"))
    return out


def _offer(ix: PlanIndex, s: LiveSession) -> list[Violation]:
    out = []
    if s.venue.provider_id != s.provider.id:
        out.append(_v("offer", s, f"venue {s.venue.id} belongs to provider {s.venue.provider_id!r}, "
                                  f"not to {s.provider.id!r}"))
    if s.offer is None:
        out.append(_v("offer", s, f"provider {s.provider.id!r} has no offer for module {s.module.code} in "
                                  f"territory {s.venue.territory_id!r} (the venue's territory)"))
    return out


def _months(ix: PlanIndex, s: LiveSession) -> list[Violation]:
    sc, r, out = ix.scenario, s.record, []
    expected_end = r.start_month + s.module.months - 1
    if r.end_month != expected_end:
        out.append(_v("months", s, f"end_month is {format_month(r.end_month)} but module {s.module.code} spans "
                                   f"{s.module.months} month(s) from {format_month(r.start_month)}, so it ends "
                                   f"{format_month(expected_end)}"))
    outside = [m for m in s.months if not sc.horizon_start <= m <= sc.horizon_end]
    if outside:
        out.append(_v("months", s, f"runs in {', '.join(map(format_month, outside))}, outside the horizon "
                                   f"{format_month(sc.horizon_start)}..{format_month(sc.horizon_end)}"))
    closed = [m for m in s.months if m in sc.closed_months]
    if closed:
        out.append(_v("months", s, f"runs in closed month(s) {', '.join(map(format_month, closed))}"))
    return out


def _dates(s: LiveSession) -> list[Violation]:
    """start_date/end_date inside the session's months and in order (that they are the first and
    last meeting day is checked with the meeting days, :mod:`planner.checker.meetings`)."""
    r, out = s.record, []
    first, last = s.months[0], s.months[-1]
    span = format_month(first) if first == last else f"{format_month(first)}..{format_month(last)}"
    for column, day in (("start_date", r.start_date), ("end_date", r.end_date)):
        if day is not None and day.year * 12 + day.month - 1 not in s.months:
            out.append(_v("dates", s, f"{column} {day.isoformat()} is not in the session's months {span}"))
    if r.start_date and r.end_date and r.start_date > r.end_date:
        out.append(_v("dates", s, f"start_date {r.start_date.isoformat()} is after end_date {r.end_date.isoformat()}"))
    return out


def _fill(ix: PlanIndex, s: LiveSession) -> list[Violation]:
    """min_fill ≤ trainees + external ≤ max_size, counting the assignment rows when readable."""
    sc, r, out = ix.scenario, s.record, []
    if ix.plan.intact(ASSIGNMENTS):
        assigned = ix.rows_per_session.get(s.id, 0)
        if r.trainees != assigned:
            out.append(_v("trainee_count", s, f"trainees column says {r.trainees} but {ASSIGNMENTS} assigns "
                                              f"{assigned} trainee(s) to it"))
    else:
        assigned = r.trainees
    limit = sc.policy.external_seats_max
    if r.external_seats < 0 or r.external_seats > limit:
        out.append(_v("external_seats", s, f"offers {r.external_seats} external seat(s); allowed 0..{limit}"))
    seats = assigned + r.external_seats
    low, high = sc.min_fill(s.module.code, s.venue.id), sc.max_size(s.module.code)
    if seats < low:
        out.append(_v("min_fill", s, f"has {assigned} trainee(s) + {r.external_seats} external seat(s) = {seats}, "
                                     f"below the minimum fill of {low}"))
    if seats > high:
        out.append(_v("max_size", s, f"has {assigned} trainee(s) + {r.external_seats} external seat(s) = {seats}, "
                                     f"above the maximum size of {high}"))
    return out


def _provider_parallel(ix: PlanIndex) -> list[Violation]:
    running: dict[tuple[str, int], list[str]] = defaultdict(list)
    for s in ix.sessions.values():
        for month in s.months:
            running[(s.provider.id, month)].append(s.id)
    out = []
    for (pid, month), ids in sorted(running.items()):
        cap = ix.scenario.provider[pid].max_parallel_sessions
        if cap is not None and len(ids) > cap:
            out.append(Violation(
                "provider_parallel",
                f"provider {pid!r} runs {len(ids)} sessions in {format_month(month)} ({', '.join(sorted(ids))}); "
                f"at most {cap} allowed",
                session_id=sorted(ids)[0],
            ))
    return out
