"""Meeting days of planned sessions: the session's months turned into real dates.

Rules (checked independently by :mod:`planner.checker.meetings`):

* a session meets on working days only: Monday to Friday, never on a French public holiday
  (``holidays.France`` for the years of the horizon: computed, not typed in);
* it meets ``scenario.days(module)`` days, ``policy.hours_per_day`` hours a day (the last day
  may be shorter), all inside its months ``start_month .. end_month``;
* short modules meet on consecutive working days (a weekend or a holiday in between does not
  break the run): the shortest free run of consecutive working days that holds them (earliest
  on ties), from its first day, so that longer runs stay whole for longer modules;
* long modules (key skills, qualifying) meet on one or two fixed weekdays, spread over their
  months: each month of the session gets a fixed number of days, its *share*
  (:func:`month_shares`: the days spread evenly, the extra ones in the months with the most
  working days, earlier months on ties; a month never gets more than its working days; when the
  module has fewer days than months, one day in that many evenly chosen months, the first and
  the last included); the share is what the optimiser books at the venue (and for the trainees)
  that month; inside a month whole weeks are used (both weekdays of a week), weeks the venue
  already uses first, so that the other weeks stay free for short modules (whose consecutive
  days need them); the weekday set chosen is the one that opens the fewest weeks the venue did
  not use yet, then one weekday rather than two;
* a trainee (member, trainee_ref) is never in two sessions on the same day, a venue never hosts
  two sessions on the same day.

Sessions are placed one by one, long ones first (densest first), then short ones (longest
first), each avoiding the days already taken by a session sharing its venue or one of its
trainees. When a session cannot keep to the rules above, it falls back, in this order:

1. a long module uses more weekdays: the fewest (three, then four, then every working day)
   that hold its share of days in every month;
2. a short module that finds no free run of consecutive working days takes the most compact
   set of free working days of its months;
3. venue and trainee conflicts are never allowed: a session that still finds too few free days
   is moved to the front of the order and everything is placed again (a few rounds); when that
   does not help, :class:`MeetingDaysError` names the sessions.

When the sessions held at a venue in a month have shares (a short session: all its days) that
add up to at most the month's working days, and no trainee is in two sessions of one month, no
session ever fails: each finds its share of free days in each of its months whatever was placed
before it (the optimiser and the greedy plan keep to that: ``venue_days`` rows in
:mod:`planner.model.build`).

Days are handled as proleptic ordinals (``date.toordinal``); same input, same output.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import combinations

import holidays

from planner.domain import Family, Scenario
from planner.domain.months import Month, format_month
from planner.domain.plan import PlannedSession

MAX_ROUNDS = 6

# weekday sets for long modules, one or two weekdays, in order of preference on ties: days at the
# ends of the week first, so that runs of consecutive free days stay open for short modules
_PREFERENCE = {
    1: [(0,), (4,), (1,), (3,), (2,)],
    2: [(0, 1), (3, 4), (0, 4), (1, 2), (2, 3), (0, 3), (1, 4), (0, 2), (2, 4), (1, 3)],
}


class MeetingDaysError(ValueError):
    """Some sessions cannot get their meeting days without a trainee or venue meeting twice a day."""


def french_holidays(years: Iterable[int]) -> frozenset[int]:
    """French public holidays of the given years, as ordinals."""
    return _holidays(tuple(sorted(set(years))))


@lru_cache(maxsize=16)
def _holidays(years: tuple[int, ...]) -> frozenset[int]:
    return frozenset(d.toordinal() for d in holidays.France(years=years))


def working_days(month: Month) -> list[int]:
    """Monday-to-Friday days of a month that are not French public holidays, as ordinals."""
    return list(_working_days(month))


@lru_cache(maxsize=512)
def _working_days(month: Month) -> tuple[int, ...]:
    year, m = divmod(month, 12)
    first = date(year, m + 1, 1).toordinal()
    last = (date(year + 1, 1, 1) if m == 11 else date(year, m + 2, 1)).toordinal() - 1
    off = french_holidays([year])
    return tuple(d for d in range(first, last + 1) if _weekday(d) < 5 and d not in off)


def month_shares(days: int, months: Sequence[Month]) -> tuple[int, ...]:
    """The meeting days a session of ``days`` days running over ``months`` has in each of them
    (they add up to ``days``): as even as the months' working days allow, the extra days in the
    months with the most working days (earlier months on ties), never more than a month's working
    days; with fewer days than months, one day in ``days`` evenly chosen months, the first and
    the last included. The scheduler keeps to it; the optimiser books it at the venue. A session
    longer than its months' working days gets an even split, above some month's working days,
    which no venue can hold."""
    return _month_shares(days, tuple(months))


@lru_cache(maxsize=4096)
def _month_shares(days: int, months: tuple[Month, ...]) -> tuple[int, ...]:
    k = len(months)
    if not k or days <= 0:
        return (0,) * k
    if days < k:
        picks = {0} if days == 1 else {round(j * (k - 1) / (days - 1)) for j in range(days)}
        return tuple(int(i in picks) for i in range(k))
    capacity = [len(_working_days(m)) for m in months]
    if days > sum(capacity):
        return tuple(days // k + (i < days % k) for i in range(k))
    level = days // k  # the highest level that the months' min(level, working days) do not exceed
    while level < max(capacity) and sum(min(level + 1, c) for c in capacity) <= days:
        level += 1
    shares = [min(level, c) for c in capacity]
    extra = days - sum(shares)  # fewer than the months still below their working days
    for i in sorted((i for i in range(k) if capacity[i] > level), key=lambda i: (-capacity[i], i))[:extra]:
        shares[i] += 1
    return tuple(shares)


def _weekday(ordinal: int) -> int:
    """Monday 0 .. Sunday 6 (ordinal 1, 0001-01-01, was a Monday)."""
    return (ordinal + 6) % 7


@dataclass(frozen=True, slots=True)
class _Job:
    session: PlannedSession
    days: int
    long: bool
    trainees: tuple[tuple[str, str], ...]
    months: tuple[Month, ...]
    span: tuple[int, ...]  # working days of the session's months, sorted
    shares: tuple[int, ...]  # its days in each of its months (month_shares)

    @property
    def id(self) -> str:
        return self.session.id

    def describe(self) -> str:
        s = self.session
        months = format_month(self.months[0]) + ("" if len(self.months) == 1 else f"..{format_month(self.months[-1])}")
        return f"session {s.id!r} ({s.module_code} at venue {s.venue_id}, {months}, {self.days} day(s))"


def schedule_meeting_days(scenario: Scenario, sessions: list[PlannedSession]) -> dict[str, list[str]]:
    """Session id -> its meeting days as sorted ISO dates (see the module docstring for the rules).

    Raises :class:`MeetingDaysError` when some session cannot meet without a trainee or its venue
    being in two sessions on one day.
    """
    jobs = [_job(scenario, s) for s in sessions]
    longs = sorted((j for j in jobs if j.long), key=lambda j: (-j.days / max(len(j.span), 1), j.months[0], j.id))
    shorts = sorted((j for j in jobs if not j.long), key=lambda j: (-j.days, j.months[0], j.id))
    order = longs + shorts
    promoted: list[_Job] = []
    promoted_ids: set[str] = set()
    seen_failures: set[tuple[str, ...]] = set()
    for _ in range(MAX_ROUNDS):
        placed, failed = _place_all(promoted + [j for j in order if j.id not in promoted_ids])
        if not failed:
            return {j.id: [date.fromordinal(d).isoformat() for d in placed[j.id]] for j in jobs}
        key = tuple(sorted(j.id for j in failed))
        if key in seen_failures:
            break
        seen_failures.add(key)
        promoted += [j for j in failed if j.id not in promoted_ids]
        promoted_ids.update(j.id for j in failed)
    raise MeetingDaysError(_failure_message(jobs, failed))


def _failure_message(jobs: list[_Job], failed: dict[_Job, str]) -> str:
    """Which sessions found no days, and which venue-months hold more days of sessions than working days."""
    load: dict[tuple[str, Month], int] = defaultdict(int)
    for j in jobs:
        for m, share in zip(j.months, j.shares):
            load[(j.session.venue_id, m)] += share
    shown = list(failed.items())[:10]
    text = f"{len(failed)} session(s) cannot get meeting days: "
    text += "; ".join(f"{j.describe()}: {why}" for j, why in shown)
    if len(failed) > len(shown):
        text += f"; and {len(failed) - len(shown)} more"
    over = sorted({(j.session.venue_id, m) for j in failed for m in j.months
                   if load[(j.session.venue_id, m)] > len(_working_days(m))})
    if over:
        text += ". Overbooked venue-months (days of sessions, a long one's share of each month, above working days): "
        text += ", ".join(f"{v} {format_month(m)} {load[(v, m)]} > {len(_working_days(m))}" for v, m in over[:10])
        if len(over) > 10:
            text += f" and {len(over) - 10} more"
    return (text + ". Working days are Monday to Friday except French public holidays; a venue hosts one session "
            "a day and a trainee attends one session a day")


def _job(scenario: Scenario, s: PlannedSession) -> _Job:
    module = scenario.module[s.module_code]
    months = tuple(range(s.start_month, s.end_month + 1))
    trainees = tuple(sorted({scenario.requests[r].trainee for r in s.requests}))
    span = tuple(d for m in months for d in _working_days(m))
    days = scenario.days(s.module_code)
    return _Job(s, days, module.family != Family.SHORT, trainees, months, span, month_shares(days, months))


def _place_all(order: list[_Job]) -> tuple[dict[str, list[int]], dict[_Job, str]]:
    venue_busy: dict[str, set[int]] = defaultdict(set)
    trainee_busy: dict[tuple[str, str], set[int]] = defaultdict(set)
    placed: dict[str, list[int]] = {}
    failed: dict[_Job, str] = {}
    for job in order:
        taken = venue_busy[job.session.venue_id]
        blocked: set[int] = set()
        for t in job.trainees:
            blocked |= trainee_busy.get(t, set())
        free = [d for d in job.span if d not in taken and d not in blocked]
        days = _long_days(job, free, taken) if job.long else _short_days(job, free)
        if days is None:
            failed[job] = (f"only {len(free)} free working day(s) in its months for {job.days} needed"
                           if len(free) < job.days
                           else "a month of its span has fewer free working days than its share")
            continue
        placed[job.id] = days
        taken.update(days)
        for t in job.trainees:
            trainee_busy[t].update(days)
    return placed, failed


# --- short modules: consecutive working days ----------------------------------------------------------------

def _short_days(job: _Job, free: list[int]) -> list[int] | None:
    n = job.days
    if len(free) < n:
        return None
    # maximal runs of free days that are consecutive working days: (length, start index in free)
    index = {d: i for i, d in enumerate(job.span)}
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(free) + 1):
        if i == len(free) or index[free[i]] != index[free[i - 1]] + 1:
            runs.append((i - start, start))
            start = i
    fitting = [r for r in runs if r[0] >= n]
    if fitting:
        # best fit: the shortest run that holds the module, earliest on ties, from its first day, so
        # that long runs stay whole for longer modules
        _, i = min(fitting)
        return free[i:i + n]
    # fallback: the most compact set of free days (shortest calendar span, earliest on ties)
    i = min(range(len(free) - n + 1), key=lambda k: (free[k + n - 1] - free[k], k))
    return free[i:i + n]


# --- long modules: one or two fixed weekdays, spread over the months ------------------------------------------

def _long_days(job: _Job, free: list[int], venue_taken: set[int]) -> list[int] | None:
    """The days of a long module: see :func:`_pick` for which of the chosen weekdays' days.

    Weekday sets are tried by size (one or two weekdays together, then three, four, five); among
    the sets of a size that hold every month's share of days, the one that opens the fewest
    weeks still free at the venue wins (weeks left whole keep room for short modules), then the
    smaller set, then the order of ``_PREFERENCE``.
    """
    n = job.days
    if len(free) < n:
        return None
    month_of = _month_index(job)
    grid: list[list[list[int]]] = [[[] for _ in job.months] for _ in range(5)]  # weekday -> month -> free days
    for d in free:
        grid[_weekday(d)][month_of(d)].append(d)
    used_weeks = {_week(d) for d in venue_taken if job.span and job.span[0] - 6 <= d <= job.span[-1] + 6}
    tiers = [_PREFERENCE[1] + _PREFERENCE[2]] + [list(combinations(range(5), k)) for k in (3, 4, 5)]
    for tier in tiers:
        best: tuple[tuple[int, int, int], list[int]] | None = None
        for rank, weekdays in enumerate(tier):
            per_month = [sorted(d for w in weekdays for d in grid[w][k]) for k in range(len(job.months))]
            if any(len(p) < share for p, share in zip(per_month, job.shares)):
                continue
            days = _pick(per_month, used_weeks, job.shares)
            key = (len({_week(d) for d in days} - used_weeks), len(weekdays), rank)
            if best is None or key < best[0]:
                best = (key, days)
        if best is not None:
            return best[1]
    return None


def _week(d: int) -> int:
    """The Monday of the day's week."""
    return d - _weekday(d)


def _month_index(job: _Job):
    starts = []
    for m in job.months:
        year, mm = divmod(m, 12)
        starts.append(date(year, mm + 1, 1).toordinal())

    def month_of(d: int) -> int:
        k = len(starts) - 1
        while starts[k] > d:
            k -= 1
        return k

    return month_of


def _pick(per_month: list[list[int]], used_weeks: set[int], shares: tuple[int, ...]) -> list[int]:
    """Each month's share of days (:func:`month_shares`) among its free days on the chosen
    weekdays; inside a month, whole weeks are filled (every chosen weekday of the week), weeks
    already used at the venue first, then the earliest, so that the weeks left out stay free for
    short modules."""
    days: list[int] = []
    for p, q in zip(per_month, shares):
        if not q:
            continue
        weeks: dict[int, list[int]] = defaultdict(list)
        for d in p:
            weeks[_week(d)].append(d)
        for week in sorted(weeks, key=lambda w: (w not in used_weeks, w)):
            take = weeks[week][:q]
            days += take
            q -= len(take)
            if not q:
                break
    return sorted(days)
