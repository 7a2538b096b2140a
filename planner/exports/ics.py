"""ICS calendars of the plan: one per territory, one per member structure.

- ``territoire-<territory_id>.ics``: every session held at a venue of the territory (the
  *venue's* territory, as in ``sessions.csv``). Its events say how many trainees each member
  sends, never who: no ``trainee_ref`` ever appears in a territory calendar.
- ``structure-<member_id>.ics``: the sessions the member's trainees attend, wherever they are
  held. The description lists the member's own pseudonymous trainee refs for that session, and
  only the session's total headcount for the other members.

One ``VEVENT`` per meeting day of a session (``plan.meeting_days``), timed in Europe/Paris:
the day starts at 09:00, a morning of up to 3 h 30 then a one-hour lunch break; a day of
``policy.hours_per_day`` hours of 7 h runs 09:00–12:30 and 13:30–17:00. Days are full but the
last, which holds what is left of the module's hours (17 h at 7 h a day: 7 h, 7 h, 3 h). Should
a session have another number of meeting days than ``ceil(hours / hours_per_day)``, its hours
are spread evenly over its days. The UID is ``<scenario>.<session>.<YYYYMMDD>.<scope>@planner``
(scope ``territoire-<id>`` or ``structure-<id>``): stable from one export of the same plan to
the next, and distinct between calendars, so that subscribing to both a territory's and a
member's calendar shows each day twice rather than merging them.

Ids are used in file names with any character outside ``[A-Za-z0-9._-]`` replaced by ``_``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from planner.domain import Family, Scenario
from planner.domain.plan import Plan, PlannedSession
from planner.reports import french
from planner.survey.files import write_atomically

TZID = "Europe/Paris"
PARIS = ZoneInfo(TZID)
DAY_START = time(9, 0)
MORNING_MINUTES = 210  # 09:00-12:30
LUNCH_MINUTES = 60
PRODID = "-//planner//Plan de formation mutualisé//FR"
UID_DOMAIN = "planner"

FAMILY_FR = {Family.SHORT: "court", Family.KEY_SKILLS: "compétences clés", Family.QUALIFYING: "qualifiant"}


def write_calendars(scenario: Scenario, plan: Plan, out_dir: str | Path, *,
                    territories: Iterable[str] | None = None, members: Iterable[str] | None = None) -> list[Path]:
    """Write the territory and member calendars into ``out_dir``; return their paths.

    ``territories`` / ``members``: the ids to write a calendar for (None: every territory and
    every member of the scenario, each calendar written even when empty; an empty list: none).
    An unknown id raises ValueError. Territory calendars come first, in the order given (or
    scenario order), then member calendars.

    The plan's ``meeting_days`` give the dates. When no session has any (a plan solved before
    dates were computed), they are computed with
    :func:`planner.rules.meeting_days.schedule_meeting_days`; a plan with dates for some sessions
    only raises ValueError.
    """
    out = Path(out_dir)
    territory_ids = [t.id for t in scenario.territories] if territories is None else list(territories)
    member_ids = [m.id for m in scenario.members] if members is None else list(members)
    unknown = [f"territory {t!r}" for t in territory_ids if t not in scenario.territory]
    unknown += [f"member {m!r}" for m in member_ids if m not in scenario.member]
    if unknown:
        raise ValueError(f"unknown {', '.join(unknown)}")
    days = meeting_dates(scenario, plan)
    stamp = datetime.now(timezone.utc).replace(microsecond=0)

    paths = []
    for territory_id in territory_ids:
        cal = territory_calendar(scenario, plan, territory_id, days, stamp)
        paths.append(_write(out / f"territoire-{_safe(territory_id)}.ics", cal))
    for member_id in member_ids:
        cal = member_calendar(scenario, plan, member_id, days, stamp)
        paths.append(_write(out / f"structure-{_safe(member_id)}.ics", cal))
    return paths


# --- calendars ------------------------------------------------------------------------------------


def territory_calendar(scenario: Scenario, plan: Plan, territory_id: str, days: Mapping[str, Sequence[date]],
                       stamp: datetime) -> Calendar:
    """Sessions held at the territory's venues; per-member headcounts, no trainee refs."""
    territory = scenario.territory[territory_id]
    cal = _calendar(scenario, f"Formations – {territory.name}",
                    f"Sessions du plan « {scenario.title} » dans le territoire {territory.name}")
    scope = f"territoire-{territory_id}"
    for session in _sorted(plan.sessions, days):
        if scenario.venue[session.venue_id].territory_id != territory_id:
            continue
        per_member = Counter(scenario.requests[r].member_id for r in session.requests)
        lines = [f"Stagiaires : {len(session.requests)}"]
        for member_id, n in sorted(per_member.items()):
            lines.append(f"- {scenario.member[member_id].name} ({member_id}) : {n}")
        if session.external_seats:
            lines.append(f"Places externes (salariés d'entreprises) : {session.external_seats}")
        for event in _events(scenario, session, days[session.id], scope, lines, stamp):
            cal.add_component(event)
    return cal


def member_calendar(scenario: Scenario, plan: Plan, member_id: str, days: Mapping[str, Sequence[date]],
                    stamp: datetime) -> Calendar:
    """Sessions the member's trainees attend; only the member's own trainee refs."""
    member = scenario.member[member_id]
    cal = _calendar(scenario, f"Formations – {member.name}",
                    f"Sessions du plan « {scenario.title} » suivies par les salariés {french.de(member.name)}")
    scope = f"structure-{member_id}"
    for session in _sorted(plan.sessions, days):
        refs = sorted(scenario.requests[r].trainee_ref for r in session.requests
                      if scenario.requests[r].member_id == member_id)
        if not refs:
            continue
        headcount = len(session.requests) + session.external_seats
        lines = [f"Vos salariés inscrits ({len(refs)}) : {', '.join(refs)}",
                 f"Effectif de la session : {french.plural(headcount, 'stagiaire')}"]
        for event in _events(scenario, session, days[session.id], scope, lines, stamp):
            cal.add_component(event)
    return cal


def _calendar(scenario: Scenario, name: str, description: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("description", description)
    cal.add("x-wr-caldesc", description)
    cal.add("x-wr-timezone", TZID)
    first = date(scenario.horizon_start // 12 - 1, 1, 1)
    last = date(scenario.horizon_end // 12 + 2, 1, 1)
    cal.add_component(Timezone.from_tzid(TZID, first_date=first, last_date=last))
    return cal


def _events(scenario: Scenario, session: PlannedSession, dates: Sequence[date], scope: str, lines: list[str],
            stamp: datetime) -> list[Event]:
    module = scenario.module[session.module_code]
    venue = scenario.venue[session.venue_id]
    provider = scenario.provider[session.provider_id]
    minutes = day_minutes(module.minutes, len(dates), scenario.policy.hours_per_day * 60)
    location = venue.name if venue.commune.casefold() in venue.name.casefold() else f"{venue.name}, {venue.commune}"
    head = [
        f"Organisme : {provider.name}",
        f"Module : {module.title} ({module.code}, {FAMILY_FR.get(module.family, module.family.value)}), "
        f"{_hours(module.minutes)} en {french.plural(len(dates), 'jour')}",
        f"Session {session.id} : du {_fr(dates[0])} au {_fr(dates[-1])}" if dates else f"Session {session.id}",
        f"Lieu : {location}",
    ]
    events = []
    for i, (day, length) in enumerate(zip(dates, minutes, strict=True), start=1):
        start = datetime.combine(day, DAY_START, tzinfo=PARIS)
        end = start + timedelta(minutes=length + (LUNCH_MINUTES if length > MORNING_MINUTES else 0))
        event = Event()
        event.add("uid", f"{scenario.id}.{session.id}.{day:%Y%m%d}.{scope}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        suffix = f" (jour {i}/{len(dates)})" if len(dates) > 1 else ""
        event.add("summary", f"{module.title}{suffix}")
        event.add("location", location)
        event.add("geo", (venue.lat, venue.lon))
        event.add("categories", [FAMILY_FR.get(module.family, module.family.value)])
        schedule = f"Horaires : {_clock(start)}–{_clock(end)}"
        if length > MORNING_MINUTES:
            lunch = start + timedelta(minutes=MORNING_MINUTES)
            schedule += f" (pause déjeuner {_clock(lunch)}–{_clock(lunch + timedelta(minutes=LUNCH_MINUTES))})"
        event.add("description", "\n".join([*head, f"Séance du {_fr(day)}, {_hours(length)}. {schedule}", *lines]))
        events.append(event)
    return events


# --- meeting days ---------------------------------------------------------------------------------


def meeting_dates(scenario: Scenario, plan: Plan) -> dict[str, list[date]]:
    """Session id -> its meeting days as dates, sorted; computed when the plan has none."""
    given = {s.id: plan.meeting_days.get(s.id) or [] for s in plan.sessions}
    missing = sorted(sid for sid, d in given.items() if not d)
    if missing and len(missing) < len(given):
        raise ValueError(f"the plan has no meeting days for sessions {', '.join(missing)}")
    if missing:
        try:
            from planner.rules.meeting_days import schedule_meeting_days
        except ImportError:
            raise ValueError("the plan has no meeting days and planner.rules.meeting_days is not available") from None
        computed = schedule_meeting_days(scenario, plan.sessions)
        given = {s.id: list(computed.get(s.id) or []) for s in plan.sessions}
        if any(not d for d in given.values()):
            raise ValueError("meeting days could not be computed for every session")
    return {sid: sorted(d if isinstance(d, date) else date.fromisoformat(str(d)) for d in ds)
            for sid, ds in given.items()}


def day_minutes(total: int, days: int, per_day: int) -> list[int]:
    """Training minutes of each of ``days`` meeting days of a module of ``total`` minutes."""
    if days <= 0:
        return []
    if (days - 1) * per_day < total <= days * per_day:
        return [per_day] * (days - 1) + [total - (days - 1) * per_day]
    base, extra = divmod(total, days)  # another number of days than ceil(total / per_day): spread evenly
    return [base + (1 if i < extra else 0) for i in range(days)]


# --- small helpers --------------------------------------------------------------------------------


def _sorted(sessions: Iterable[PlannedSession], days: Mapping[str, Sequence[date]]) -> list[PlannedSession]:
    return sorted(sessions, key=lambda s: (days[s.id][0] if days[s.id] else date.max, s.id))


def _write(path: Path, cal: Calendar) -> Path:
    data = cal.to_ical()
    return write_atomically(path, lambda tmp: tmp.write_bytes(data))


def _safe(identifier: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", identifier)


def _fr(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _clock(moment: datetime) -> str:
    return f"{moment.hour}h{moment.minute:02d}"


def _hours(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    return f"{h} h {m:02d}" if m else f"{h} h"


__all__ = ["day_minutes", "meeting_dates", "member_calendar", "territory_calendar", "write_calendars"]
