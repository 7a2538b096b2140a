"""Meeting days (``plan.json`` ``meeting_days``: session id -> ISO dates) and the date columns.

Codes: ``meeting_missing``, ``meeting_weekend``, ``meeting_holiday``, ``meeting_month``,
``meeting_count``, ``dates``, ``meeting_consecutive``, ``meeting_weekdays``, ``meeting_spread``,
``trainee_day``, ``venue_day``, ``unknown_id``.

Rules, recomputed here from the scenario and the plan files (French public holidays from the
``holidays`` package, working days Monday to Friday):

* a plan with sessions gives every session its meeting days (older plans without dates fail);
* every meeting day is a working day, not a French public holiday, inside the session's months;
* ``days × hours_per_day ≥ hours`` and ``(days - 1) × hours_per_day < hours``, no day repeated;
* ``start_date``/``end_date`` of sessions.csv are the first/last meeting day;
* short modules meet on consecutive working days (weekends and holidays do not break a run);
  other days are accepted only when no run of consecutive working days of the session's months
  was free of the days of the other sessions sharing its venue or one of its trainees;
* long modules (key skills, qualifying) meet on at most two weekdays; ``k > 2`` weekdays are
  accepted only when no set of ``k - 1`` weekdays had enough free days (as above) covering the
  months with each month's share of the days (an even split, the extra days in the months with
  the most working days: what the plan books at the venue for that month); and they meet in
  ``min(days, months)`` distinct months of their span;
* no trainee (member_id, trainee_ref) in two sessions on one day; no venue hosting two sessions
  on one day.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from functools import lru_cache
from itertools import combinations

import holidays

from planner.checker.index import LiveSession, PlanIndex
from planner.checker.read import ASSIGNMENTS, PLAN_JSON, SESSIONS
from planner.checker.report import Violation
from planner.domain import Family
from planner.domain.months import Month, format_month

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SHOWN = 5  # days listed in a message


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    """French public holidays of a year (metropolitan calendar)."""
    return frozenset(holidays.France(years=year).keys())


@lru_cache(maxsize=512)
def month_working_days(month: Month) -> tuple[date, ...]:
    year, m = divmod(month, 12)
    if not 1 <= year <= 9998:
        return ()  # a month no calendar holds (the session's months are reported elsewhere)
    day = date(year, m + 1, 1)
    out = []
    while day.month == m + 1:
        if day.weekday() < 5 and day not in public_holidays(year):
            out.append(day)
        day += timedelta(days=1)
    return tuple(out)


def month_shares(days: int, months: list[Month]) -> list[int]:
    """How many of a long session's days fall in each of its months (README "Meeting days"):
    an even split, the extra days in the months with the most working days (earlier first),
    none above a month's working days; fewer days than months: one in evenly chosen months."""
    k = len(months)
    if not k or days <= 0:
        return [0] * k
    if days < k:
        chosen = {0} if days == 1 else {round(j * (k - 1) / (days - 1)) for j in range(days)}
        return [1 if i in chosen else 0 for i in range(k)]
    working = [len(month_working_days(m)) for m in months]
    if days > sum(working):
        return [days // k + (1 if i < days % k else 0) for i in range(k)]
    out = [0] * k
    left = days
    while left:  # one day at a time to the month with the fewest so far, then most working days
        open_ = [i for i in range(k) if out[i] < working[i]]
        i = min(open_, key=lambda i: (out[i], -working[i], i))
        out[i] += 1
        left -= 1
    return out


def _month(d: date) -> Month:
    return d.year * 12 + d.month - 1


def _list(days: list[date]) -> str:
    shown = ", ".join(d.isoformat() for d in days[:SHOWN])
    return shown + (f" and {len(days) - SHOWN} more" if len(days) > SHOWN else "")


def _v(rule: str, s: LiveSession, message: str) -> Violation:
    return Violation(rule, f"session {s.id!r}: {message}", session_id=s.id)


def check(ix: PlanIndex) -> list[Violation]:
    plan = ix.plan
    if not plan.readable(SESSIONS, PLAN_JSON):
        return []
    if plan.meeting_days is None:
        if "meeting_days" in plan.meta or not (plan.sessions or plan.broken_sessions):
            return []  # a malformed meeting_days is already a file_format violation
        return [Violation("meeting_missing", f"{PLAN_JSON} has no meeting_days although the plan has sessions: "
                                             "every session needs its meeting days", file=PLAN_JSON)]
    out: list[Violation] = []
    for sid in plan.meeting_days:
        if ix.session_status(sid) == "unknown":
            out.append(Violation("unknown_id", f"{PLAN_JSON} meeting_days names an unknown session {sid!r}",
                                 session_id=sid, file=PLAN_JSON))
    days_of: dict[str, list[date]] = {}
    for s in ix.sessions.values():
        if s.id in plan.broken_meeting_days:
            continue
        given = plan.meeting_days.get(s.id) or []
        if not given:
            out.append(_v("meeting_missing", s, f"has no meeting days in {PLAN_JSON} meeting_days"))
            continue
        days_of[s.id] = sorted(set(given))
        out += _session(ix, s, given, days_of[s.id])
    sharing = _Sharing(ix, days_of)
    out += sharing.conflicts()
    if plan.intact(ASSIGNMENTS):  # the fallbacks are judged against the other sessions' days
        for s in ix.sessions.values():
            if s.id in days_of:
                out += _fallbacks(ix, s, days_of[s.id], sharing)
    return out


def _session(ix: PlanIndex, s: LiveSession, given: list[date], days: list[date]) -> list[Violation]:
    """Rules of one session's own days: working days, months, count, dates, spread."""
    sc, r, out = ix.scenario, s.record, []
    weekend = [d for d in days if d.weekday() >= 5]
    if weekend:
        named = ", ".join(f"{DAY_NAMES[d.weekday()]} {d}" for d in weekend[:SHOWN])
        out.append(_v("meeting_weekend", s, f"meets on a weekend: {named}"))
    off = [d for d in days if d in public_holidays(d.year)]
    if off:
        named = ", ".join(f"{d} ({holidays.France(years=d.year).get(d)})" for d in off[:SHOWN])
        out.append(_v("meeting_holiday", s, f"meets on a French public holiday: {named}"))
    outside = [d for d in days if _month(d) not in s.months]
    if outside:
        out.append(_v("meeting_month", s, f"meets on {_list(outside)}, outside its months "
                                          f"{format_month(s.months[0])}..{format_month(s.months[-1])}"))
    per_day = sc.policy.hours_per_day * 60
    minutes = s.module.minutes
    if len(given) != len(days):
        out.append(_v("meeting_count", s, f"lists {len(given) - len(days)} meeting day(s) twice"))
    elif per_day > 0 and not (len(days) * per_day >= minutes > (len(days) - 1) * per_day):
        need = -(-minutes // per_day)
        out.append(_v("meeting_count", s, f"meets {len(days)} day(s) of {sc.policy.hours_per_day} h for a "
                                          f"{s.module.hours:g} h module, which needs {need} day(s)"))
    for column, value, expected in (("start_date", r.start_date, days[0]), ("end_date", r.end_date, days[-1])):
        if value != expected:
            shown = value.isoformat() if value else "empty"
            out.append(_v("dates", s, f"{column} is {shown} but its {'first' if column == 'start_date' else 'last'} "
                                      f"meeting day is {expected.isoformat()}"))
    if s.module.family != Family.SHORT:
        covered = {_month(d) for d in days} & set(s.months)
        wanted = min(len(days), len(s.months))
        if len(covered) < wanted:
            out.append(_v("meeting_spread", s, f"{s.module.family.value} module of {len(s.months)} month(s) meets in "
                                               f"{len(covered)} of them only; its {len(days)} day(s) must cover "
                                               f"{wanted} month(s)"))
    return out


class _Sharing:
    """Who meets where on which day: venue -> day -> sessions, trainee -> day -> sessions."""

    def __init__(self, ix: PlanIndex, days_of: dict[str, list[date]]):
        self.ix = ix
        self.venue: dict[str, dict[date, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.trainee: dict[tuple[str, str], dict[date, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.trainees_of: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for sid, days in days_of.items():
            venue = ix.sessions[sid].venue.id
            for d in days:
                self.venue[venue][d].add(sid)
        for a in ix.assignments:
            if a.session is not None and a.session.id in days_of:
                self.trainees_of[a.session.id].add(a.trainee)
        for sid, trainees in self.trainees_of.items():
            for t in trainees:
                for d in days_of[sid]:
                    self.trainee[t][d].add(sid)

    def conflicts(self) -> list[Violation]:
        out = []
        for venue, by_day in sorted(self.venue.items()):
            for ids, days in _grouped(by_day).items():
                out.append(Violation("venue_day", f"venue {venue!r} hosts sessions {', '.join(map(repr, ids))} on the "
                                                  f"same day(s): {_list(days)}", session_id=ids[1]))
        for (member, trainee), by_day in sorted(self.trainee.items()):
            for ids, days in _grouped(by_day).items():
                out.append(Violation("trainee_day", f"trainee {trainee!r} of member {member!r} is in sessions "
                                                    f"{', '.join(map(repr, ids))} on the same day(s): {_list(days)}",
                                     session_id=ids[1], member_id=member))
        return out

    def blocked(self, s: LiveSession) -> set[date]:
        """Days taken by another session sharing the venue or a trainee of ``s``."""
        out = {d for d, ids in self.venue[s.venue.id].items() if ids - {s.id}}
        for t in self.trainees_of.get(s.id, ()):
            out |= {d for d, ids in self.trainee[t].items() if ids - {s.id}}
        return out


def _grouped(by_day: dict[date, set[str]]) -> dict[tuple[str, ...], list[date]]:
    """Days with two sessions or more, grouped by the set of sessions."""
    out: dict[tuple[str, ...], list[date]] = defaultdict(list)
    for d in sorted(by_day):
        if len(by_day[d]) > 1:
            out[tuple(sorted(by_day[d]))].append(d)
    return out


def _fallbacks(ix: PlanIndex, s: LiveSession, days: list[date], sharing: _Sharing) -> list[Violation]:
    """Consecutive days for short modules, at most two weekdays for long ones, unless the other
    sessions' days left no such choice."""
    span = [d for m in s.months for d in month_working_days(m)]
    position = {d: i for i, d in enumerate(span)}
    if any(d not in position for d in days):
        return []  # a day off the calendar is already reported; the pattern means nothing then
    per_day = ix.scenario.policy.hours_per_day * 60
    need = -(-s.module.minutes // per_day) if per_day > 0 else len(days)
    if s.module.family == Family.SHORT:
        if position[days[-1]] - position[days[0]] == len(days) - 1:
            return []
        blocked = sharing.blocked(s)
        free = [d not in blocked for d in span]
        for i in range(len(span) - need + 1):
            if all(free[i:i + need]):
                return [_v("meeting_consecutive", s, f"short module meets on {_list(days)}, not on consecutive "
                                                     f"working days, although the run {span[i]}..{span[i + need - 1]} "
                                                     "was free")]
        return []
    weekdays = sorted({d.weekday() for d in days})
    if len(weekdays) <= 2:
        return []
    blocked = sharing.blocked(s)
    free = [d for d in span if d not in blocked]
    wanted = min(need, len(s.months))
    limits = dict(zip(s.months, month_shares(need, list(s.months))))
    for fewer in combinations(range(5), len(weekdays) - 1):
        usable = [d for d in free if d.weekday() in fewer]
        per_month: dict[Month, int] = defaultdict(int)
        for d in usable:
            per_month[_month(d)] += 1
        within = sum(min(count, limits.get(m, count)) for m, count in per_month.items())
        if within >= need and len(per_month) >= wanted:
            names = "/".join(DAY_NAMES[w] for w in weekdays)
            instead = "/".join(DAY_NAMES[w] for w in fewer)
            return [_v("meeting_weekdays", s, f"{s.module.family.value} module meets on {len(weekdays)} weekdays "
                                              f"({names}) although {instead} had {within} free day(s) for the "
                                              f"{need} needed")]
    return []
