"""ICS calendars: one event per meeting day, Paris times, stable UIDs, and no trainee ref where it does not belong."""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from planner.exports import write_calendars
from planner.exports.ics import LUNCH_MINUTES, MORNING_MINUTES, day_minutes
from planner.heuristics.greedy import solve_greedy
from planner.ingestion import load_scenario
from planner.domain.plan import Plan, PlannedSession, SolveStatus

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "solvers"))
from scenario_builder import Build  # noqa: E402

TEXT_PROPERTIES = ("summary", "description", "location", "uid", "categories")
REFS_LINE = re.compile(r"^Vos salariés inscrits \((\d+)\) : (.*)$", re.MULTILINE)


def with_meeting_days(scenario, plan: Plan) -> Plan:
    if plan.sessions and not plan.meeting_days:
        from planner.rules.meeting_days import schedule_meeting_days

        plan.meeting_days = schedule_meeting_days(scenario, plan.sessions)
    return plan


def parse(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def events(cal: Calendar) -> list:
    return list(cal.walk("VEVENT"))


def texts(cal: Calendar) -> str:
    """Every human-readable property of the calendar and its events, unfolded and unescaped."""
    parts = [str(cal.get(p, "")) for p in ("name", "x-wr-calname", "description", "x-wr-caldesc")]
    for ev in events(cal):
        for p in TEXT_PROPERTIES:
            value = ev.get(p)
            if value is None:
                continue
            parts.append(" ".join(value.cats) if p == "categories" else str(value))
    return "\n".join(parts)


def tokens(text: str) -> set[str]:
    return set(re.findall(r"[^\s,;:()]+", text))


def uid_key(ev) -> tuple[str, str]:
    """(session id, YYYYMMDD) of an event, from its UID."""
    _, session, day, _ = str(ev["uid"]).split("@")[0].split(".", 3)
    return session, day


def training_minutes(ev) -> int:
    start, end = ev.decoded("dtstart"), ev.decoded("dtend")
    length = int((end - start).total_seconds() // 60)
    return length - LUNCH_MINUTES if length > MORNING_MINUTES + LUNCH_MINUTES else length


# --- the reference scenario ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def isere(tmp_path_factory):
    scenario = load_scenario(ROOT / "scenarios" / "isere-2012")
    plan = with_meeting_days(scenario, solve_greedy(scenario))
    out = tmp_path_factory.mktemp("ics")
    paths = write_calendars(scenario, plan, out)
    return scenario, plan, out, paths


def test_one_file_per_territory_and_member(isere):
    scenario, _, out, paths = isere
    assert [p.name for p in paths] == ([f"territoire-{t.id}.ics" for t in scenario.territories]
                                       + [f"structure-{m.id}.ics" for m in scenario.members])
    assert all(p.parent == out and p.is_file() for p in paths)


def test_territory_calendars_hold_one_event_per_meeting_day(isere):
    scenario, plan, out, _ = isere
    assert plan.sessions and all(plan.meeting_days.get(s.id) for s in plan.sessions)
    total = 0
    for territory in scenario.territories:
        cal = parse(out / f"territoire-{territory.id}.ics")
        evs = events(cal)
        expected = Counter({(s.id, d.replace("-", "")): 1 for s in plan.sessions
                            if scenario.venue[s.venue_id].territory_id == territory.id
                            for d in plan.meeting_days[s.id]})
        assert Counter(uid_key(ev) for ev in evs) == expected, territory.id
        assert len({str(ev["uid"]) for ev in evs}) == len(evs)
        total += len(evs)
    assert total == sum(len(plan.meeting_days[s.id]) for s in plan.sessions)


def test_territory_calendars_name_no_trainee(isere):
    scenario, plan, out, _ = isere
    refs = {r.trainee_ref for r in scenario.requests}
    for territory in scenario.territories:
        cal = parse(out / f"territoire-{territory.id}.ics")
        text = texts(cal)
        assert not tokens(text) & refs, territory.id
        # ... but they say how many trainees each member sends
        for ev in events(cal):
            session = next(s for s in plan.sessions if s.id == uid_key(ev)[0])
            per_member = Counter(scenario.requests[r].member_id for r in session.requests)
            description = str(ev["description"])
            for member_id, n in per_member.items():
                assert f"({member_id}) : {n}" in description


def test_member_calendars_hold_their_sessions_and_only_their_refs(isere):
    scenario, plan, out, _ = isere
    refs_of: dict[str, set[str]] = defaultdict(set)
    for r in scenario.requests:
        refs_of[r.member_id].add(r.trainee_ref)
    all_refs = set().union(*refs_of.values())
    checked = 0
    for member in scenario.members:
        cal = parse(out / f"structure-{member.id}.ics")
        in_session = {s.id: sorted(scenario.requests[r].trainee_ref for r in s.requests
                                   if scenario.requests[r].member_id == member.id) for s in plan.sessions}
        expected = Counter({(sid, d.replace("-", "")): 1 for sid, refs in in_session.items() if refs
                            for d in plan.meeting_days[sid]})
        evs = events(cal)
        assert Counter(uid_key(ev) for ev in evs) == expected, member.id
        assert not tokens(texts(cal)) & (all_refs - refs_of[member.id]), member.id
        for ev in evs:
            match = REFS_LINE.search(str(ev["description"]))
            assert match, member.id
            listed = match.group(2).split(", ")
            assert listed == in_session[uid_key(ev)[0]] and int(match.group(1)) == len(listed)
            checked += 1
    assert checked == sum(len(plan.meeting_days[s.id]) * len({scenario.requests[r].member_id for r in s.requests})
                          for s in plan.sessions)


def test_events_are_timed_in_paris_and_add_up_to_the_module_hours(isere):
    scenario, plan, out, _ = isere
    per_day = scenario.policy.hours_per_day * 60
    minutes: dict[str, int] = defaultdict(int)
    for territory in scenario.territories:
        for ev in events(parse(out / f"territoire-{territory.id}.ics")):
            start, end = ev.decoded("dtstart"), ev.decoded("dtend")
            assert str(start.tzinfo) == "Europe/Paris" and ev["dtstart"].params["TZID"] == "Europe/Paris"
            assert (start.hour, start.minute) == (9, 0) and start.date() == end.date()
            assert 0 < training_minutes(ev) <= per_day
            assert str(ev["summary"]).startswith(scenario.module[next(
                s for s in plan.sessions if s.id == uid_key(ev)[0]).module_code].title)
            minutes[uid_key(ev)[0]] += training_minutes(ev)
    assert minutes == {s.id: scenario.module[s.module_code].minutes for s in plan.sessions}


def test_uids_are_stable_and_scoped(isere, tmp_path):
    scenario, plan, out, _ = isere
    again = write_calendars(scenario, plan, tmp_path, territories=[scenario.territories[0].id],
                            members=[scenario.members[0].id])
    assert [p.name for p in again] == [f"territoire-{scenario.territories[0].id}.ics",
                                       f"structure-{scenario.members[0].id}.ics"]
    for p in again:
        assert [str(e["uid"]) for e in events(parse(p))] == [str(e["uid"]) for e in events(parse(out / p.name))]
    territory_uids = {str(e["uid"]) for e in events(parse(again[0]))}
    member_uids = {str(e["uid"]) for e in events(parse(again[1]))}
    assert territory_uids and member_uids and not territory_uids & member_uids


# --- a hand-made case ---------------------------------------------------------------------------


@pytest.fixture
def tiny():
    """Territories T1 (venue V1) and T2 (venue V2); member A (T1) sends two trainees to S1 at V1,
    member B (T2) one to S1 and one to S2 at V2. Module M: 17 h, 7 h a day, so 7 h + 7 h + 3 h."""
    b = Build(min_fill=1)
    b.territory("T1").territory("T2").provider("P").venue("V1", "P", "T1").venue("V2", "P", "T2")
    b.module("M", 17).offer("P", "M", "T1").offer("P", "M", "T2")
    b.member("A", "T1").member("B", "T2")
    b.request("A", "secret-a1", "M").request("A", "secret-a2", "M").request("B", "secret-b1", "M")
    b.request("B", "secret-b2", "M")
    scenario = b.build()
    march = scenario.horizon_start + 2
    plan = Plan(scenario.id, "", "hand", "1", SolveStatus.FEASIBLE)
    plan.sessions = [PlannedSession("S1", "M", "P", "V1", march, march, (0, 1, 2), external_seats=1),
                     PlannedSession("S2", "M", "P", "V2", march, march, (3,))]
    plan.meeting_days = {"S1": ["2012-03-05", "2012-03-06", "2012-03-07"],
                         "S2": ["2012-03-12", "2012-03-13", "2012-03-14"]}
    return scenario, plan


def test_tiny_calendars(tiny, tmp_path):
    scenario, plan = tiny
    paths = write_calendars(scenario, plan, tmp_path)
    assert [p.name for p in paths] == ["territoire-T1.ics", "territoire-T2.ics", "structure-A.ics", "structure-B.ics"]
    t1, t2, a, b = (parse(p) for p in paths)
    raw = {p.name: p.read_bytes().decode("utf-8").replace("\r\n ", "") for p in paths}  # unfolded lines

    assert [uid_key(e) for e in events(t1)] == [("S1", "20120305"), ("S1", "20120306"), ("S1", "20120307")]
    assert [uid_key(e) for e in events(t2)] == [("S2", "20120312"), ("S2", "20120313"), ("S2", "20120314")]
    assert "secret" not in raw["territoire-T1.ics"] and "secret" not in raw["territoire-T2.ics"]
    description = str(events(t1)[0]["description"])
    assert "Member A (A) : 2" in description and "Member B (B) : 1" in description
    assert "Places externes" in description

    # 7 h days run 09:00-17:00 with a lunch break, the 3 h last day is a morning
    times = [(e.decoded("dtstart"), e.decoded("dtend")) for e in events(t1)]
    assert [(s.strftime("%H:%M"), e.strftime("%H:%M")) for s, e in times] == [
        ("09:00", "17:00"), ("09:00", "17:00"), ("09:00", "12:00")]
    assert times[0][0].utcoffset() == timedelta(hours=1)  # CET in early March
    assert events(t1)[0]["location"] == "Venue V1, Commune V1"
    assert str(events(t1)[0]["summary"]) == "Module M (jour 1/3)"

    assert [uid_key(e) for e in events(a)] == [("S1", d) for d in ("20120305", "20120306", "20120307")]
    assert "Vos salariés inscrits (2) : secret-a1, secret-a2" in str(events(a)[0]["description"])
    assert "secret-b" not in raw["structure-A.ics"]
    assert [uid_key(e)[0] for e in events(b)] == ["S1"] * 3 + ["S2"] * 3
    assert "secret-a" not in raw["structure-B.ics"]
    assert "Vos salariés inscrits (1) : secret-b1" in str(events(b)[0]["description"])
    assert "Vos salariés inscrits (1) : secret-b2" in str(events(b)[3]["description"])
    assert all(cal.walk("VTIMEZONE") for cal in (t1, t2, a, b))


def test_selection_and_unknown_ids(tiny, tmp_path):
    scenario, plan = tiny
    assert [p.name for p in write_calendars(scenario, plan, tmp_path, territories=[], members=["B"])] == [
        "structure-B.ics"]
    with pytest.raises(ValueError, match="nowhere"):
        write_calendars(scenario, plan, tmp_path, territories=["nowhere"])


def test_an_empty_calendar_is_still_valid(tiny, tmp_path):
    scenario, plan = tiny
    plan.sessions = [plan.sessions[1]]
    [path] = write_calendars(scenario, plan, tmp_path, territories=["T1"], members=[])
    cal = parse(path)
    assert not events(cal) and cal.walk("VTIMEZONE")  # RFC 5545: at least one component


def test_missing_meeting_days(tiny, tmp_path):
    scenario, plan = tiny
    del plan.meeting_days["S2"]
    with pytest.raises(ValueError, match="S2"):
        write_calendars(scenario, plan, tmp_path)
    pytest.importorskip("planner.rules.meeting_days")
    plan.meeting_days = {}  # a plan solved before dates existed: they are computed
    paths = write_calendars(scenario, plan, tmp_path, territories=["T1", "T2"], members=[])
    assert sum(len(events(parse(p))) for p in paths) == 2 * scenario.days("M")


def test_day_minutes():
    assert day_minutes(17 * 60, 3, 7 * 60) == [420, 420, 180]
    assert day_minutes(21 * 60, 3, 7 * 60) == [420, 420, 420]
    assert day_minutes(100 * 60, 15, 7 * 60) == [420] * 14 + [100 * 60 - 14 * 420]
    assert day_minutes(600, 4, 420) == [150, 150, 150, 150]  # more days than needed: spread evenly
    assert sum(day_minutes(1000, 2, 420)) == 1000  # fewer days than needed: still every minute
    assert day_minutes(60, 0, 420) == []

