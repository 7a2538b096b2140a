"""Meeting days (planner.rules.meeting_days): the rules on tiny hand-made plans, the fallbacks, the whole
Isère plan, and the independent checker agreeing (and disagreeing once the dates are corrupted)."""

from __future__ import annotations

import ast
import csv
import json
import random
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import holidays
import pytest
from typer.testing import CliRunner

from planner.checker import check_plan
from planner.cli import app
from planner.domain import Family, Scenario
from planner.heuristics.greedy import solve_greedy
from planner.ingestion import load_scenario
from planner.rules.meeting_days import MeetingDaysError, month_shares, schedule_meeting_days
from planner.domain.months import parse_month
from planner.domain.plan import PlannedSession
from planner.plans.writer import write_plan

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "solvers"))
from scenario_builder import Build  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ISERE = ROOT / "scenarios" / "isere-2012"
MAY_2012_HOLIDAYS = {date(2012, 5, 1), date(2012, 5, 8), date(2012, 5, 17), date(2012, 5, 28)}
M = parse_month


# --- an independent reading of the rules ----------------------------------------------------------

def working_days(first: int, last: int) -> list[date]:
    """Mon-Fri days of months first..last that are not French public holidays (computed here again)."""
    off = holidays.France(years=range(first // 12, last // 12 + 1))
    day, end = date(first // 12, first % 12 + 1, 1), date(last // 12 + (last % 12 == 11), (last + 1) % 12 + 1, 1)
    out = []
    while day < end:
        if day.weekday() < 5 and day not in off:
            out.append(day)
        day += timedelta(days=1)
    return out


def trainees(scenario: Scenario, s: PlannedSession) -> set[tuple[str, str]]:
    return {scenario.requests[r].trainee for r in s.requests}


def assert_rules(scenario: Scenario, sessions: list[PlannedSession], meeting: dict[str, list[str]], *,
                 allow_fallback: bool = False) -> None:
    """Every rule of the README's "Meeting days"; without ``allow_fallback``, no fallback used."""
    assert set(meeting) == {s.id for s in sessions}
    per_day = scenario.policy.hours_per_day * 60
    venue_days: dict[tuple[str, date], str] = {}
    trainee_days: dict[tuple[tuple[str, str], date], str] = {}
    for s in sessions:
        text = meeting[s.id]
        assert text == sorted(set(text)), f"{s.id}: dates not sorted or repeated"
        days = [date.fromisoformat(d) for d in text]
        module = scenario.module[s.module_code]
        span = working_days(s.start_month, s.end_month)
        assert set(days) <= set(span), f"{s.id}: a day is a weekend, a holiday or outside its months"
        assert len(days) * per_day >= module.minutes > (len(days) - 1) * per_day, f"{s.id}: wrong number of days"
        if module.family == Family.SHORT:
            first = span.index(days[0])
            assert allow_fallback or days == span[first:first + len(days)], f"{s.id}: short days not consecutive"
        else:
            assert allow_fallback or len({d.weekday() for d in days}) <= 2, f"{s.id}: more than two weekdays"
            months = {d.year * 12 + d.month - 1 for d in days}
            assert len(months) == min(len(days), s.end_month - s.start_month + 1), f"{s.id}: months not covered"
        for d in days:
            other = venue_days.get((s.venue_id, d))
            assert other is None, f"venue {s.venue_id} hosts {s.id} and {other} on {d}"
            venue_days[(s.venue_id, d)] = s.id
            for t in trainees(scenario, s):
                assert (t, d) not in trainee_days, f"trainee {t} in {s.id} and {trainee_days[(t, d)]} on {d}"
                trainee_days[(t, d)] = s.id


def session(sid: str, module: str, venue: str, start: str, requests: tuple[int, ...], end: str | None = None,
            provider: str = "P") -> PlannedSession:
    return PlannedSession(sid, module, provider, venue, M(start), M(end or start), requests)


def days_of(meeting: dict[str, list[str]], sid: str) -> list[date]:
    return [date.fromisoformat(d) for d in meeting[sid]]


# --- tiny hand-made scenarios ---------------------------------------------------------------------

def catalogue(**policy) -> Build:
    """Venues V and W of provider P; short modules S21 (21 h), S35 (35 h), S14 (14 h); key skills
    KS100 (100 h, 3 months); qualifying Q196 (196 h, 2 months); member A with trainees t0..t9."""
    b = Build(**policy)
    b.territory("T").provider("P").venue("V", "P").venue("W", "P").member("A")
    b.module("S21", 21).module("S35", 35).module("S14", 14)
    b.module("KS100", 100, family="key_skills", months=3).module("Q196", 196, family="qualifying", months=2)
    for code in ("S21", "S35", "S14", "KS100", "Q196"):
        b.offer("P", code)
        for i in range(10):
            b.request("A", f"t{i}", code)
    return b


def req(sc: Scenario, module: str, *refs: int) -> tuple[int, ...]:
    """Request indices of trainees t<ref> for a module."""
    return tuple(r.index for r in sc.requests if r.module_code == module and int(r.trainee_ref[1:]) in refs)


def test_short_modules_in_may_skip_the_holidays_on_consecutive_working_days():
    """May 2012 has 19 working days (1, 8, 17 and 28 May are public holidays); three 35 h sessions
    at one venue take 15 of them, each on 5 consecutive working days."""
    sc = catalogue().build()
    sessions = [session(f"S{i}", "S35", "V", "2012-05", req(sc, "S35", 2 * i, 2 * i + 1)) for i in range(3)]
    meeting = schedule_meeting_days(sc, sessions)
    assert_rules(sc, sessions, meeting)
    used = {d for s in sessions for d in days_of(meeting, s.id)}
    assert len(used) == 15 and not used & MAY_2012_HOLIDAYS
    assert all(d.month == 5 for d in used)


def test_consecutive_working_days_run_over_a_weekend_and_a_holiday():
    """Four 21 h sessions at one venue in May: 12 of 19 working days, every run consecutive in
    the calendar of working days (a weekend or a holiday in between does not break it)."""
    sc = catalogue().build()
    sessions = [session(f"S{i}", "S21", "V", "2012-05", req(sc, "S21", 2 * i, 2 * i + 1)) for i in range(4)]
    meeting = schedule_meeting_days(sc, sessions)
    assert_rules(sc, sessions, meeting)
    may = working_days(M("2012-05"), M("2012-05"))
    for s in sessions:
        days = days_of(meeting, s.id)
        assert may.index(days[-1]) - may.index(days[0]) == 2


def test_a_trainee_in_two_sessions_of_one_month_meets_on_different_days():
    sc = catalogue(max_sessions_per_trainee_per_month=2).build()
    sessions = [session("A1", "S35", "V", "2012-03", req(sc, "S35", 0, 1)),
                session("A2", "S21", "W", "2012-03", req(sc, "S21", 0, 2))]  # t0 in both, other venues
    meeting = schedule_meeting_days(sc, sessions)
    assert_rules(sc, sessions, meeting)
    assert not set(days_of(meeting, "A1")) & set(days_of(meeting, "A2"))


def test_two_sessions_at_one_venue_in_one_month_meet_on_different_days():
    sc = catalogue().build()
    sessions = [session("A1", "S35", "V", "2012-03", req(sc, "S35", 0, 1)),
                session("A2", "S21", "V", "2012-03", req(sc, "S21", 2, 3))]  # no trainee in common
    meeting = schedule_meeting_days(sc, sessions)
    assert_rules(sc, sessions, meeting)
    assert not set(days_of(meeting, "A1")) & set(days_of(meeting, "A2"))


def test_sessions_at_other_venues_with_other_trainees_may_share_days():
    sc = catalogue().build()
    sessions = [session("A1", "S21", "V", "2012-03", req(sc, "S21", 0, 1)),
                session("A2", "S21", "W", "2012-03", req(sc, "S21", 2, 3))]
    meeting = schedule_meeting_days(sc, sessions)
    assert meeting["A1"] == meeting["A2"]  # nothing keeps them apart: both take the first run


def test_key_skills_100_hours_over_three_months_on_at_most_two_fixed_weekdays():
    sc = catalogue().build()
    s = session("K", "KS100", "V", "2012-02", req(sc, "KS100", 0, 1), end="2012-04")
    meeting = schedule_meeting_days(sc, [s])
    assert_rules(sc, [s], meeting)
    days = days_of(meeting, "K")
    assert len(days) == 15  # ceil(100 / 7)
    assert len({d.weekday() for d in days}) <= 2
    assert {d.month for d in days} == {2, 3, 4}  # spread over its three months
    assert all(d.weekday() < 5 and d not in holidays.France(years=2012) for d in days)


def test_a_long_module_that_two_weekdays_cannot_hold_uses_the_fewest_more():
    """196 h = 28 days in February-March 2012 (43 working days): two weekdays give at most 18
    days, three at most 27, so four weekdays are used."""
    sc = catalogue().build()
    s = session("Q", "Q196", "V", "2012-02", req(sc, "Q196", 0, 1), end="2012-03")
    meeting = schedule_meeting_days(sc, [s])
    days = days_of(meeting, "Q")
    assert len(days) == 28 and len({d.weekday() for d in days}) == 4
    assert_rules(sc, [s], meeting, allow_fallback=True)


def test_long_sessions_sharing_a_venue_take_other_days():
    sc = catalogue().build()
    sessions = [session("K1", "KS100", "V", "2012-02", req(sc, "KS100", 0, 1), end="2012-04"),
                session("K2", "KS100", "V", "2012-03", req(sc, "KS100", 2, 3), end="2012-05"),
                session("S", "S35", "V", "2012-03", req(sc, "S35", 4, 5))]
    meeting = schedule_meeting_days(sc, sessions)
    assert_rules(sc, sessions, meeting)


def test_same_input_same_output_whatever_the_order():
    sc = catalogue(max_sessions_per_trainee_per_month=2).build()
    sessions = [session("K1", "KS100", "V", "2012-02", req(sc, "KS100", 0, 1), end="2012-04"),
                session("S1", "S35", "V", "2012-03", req(sc, "S35", 0, 2)),
                session("S2", "S21", "W", "2012-03", req(sc, "S21", 0, 3)),
                session("S3", "S14", "V", "2012-03", req(sc, "S14", 4, 5))]
    first = schedule_meeting_days(sc, sessions)
    shuffled = sessions[:]
    random.Random(4).shuffle(shuffled)
    assert schedule_meeting_days(sc, shuffled) == first == schedule_meeting_days(sc, sessions)
    assert_rules(sc, sessions, first)


def test_an_overbooked_venue_is_a_clear_error():
    """Five 35 h sessions at one venue in February 2012: 25 days, 21 working days."""
    sc = catalogue().build()
    sessions = [session(f"S{i}", "S35", "V", "2012-02", req(sc, "S35", 2 * i, 2 * i + 1)) for i in range(5)]
    with pytest.raises(MeetingDaysError, match=r"V 2012-02 25 > 21"):
        schedule_meeting_days(sc, sessions)


def test_month_shares_spread_days_evenly_within_working_days():
    """A session's days in each of its months (the model's venue_days rows book them)."""
    assert month_shares(5, [M("2012-05")]) == (5,)
    assert month_shares(15, [M("2012-02"), M("2012-03"), M("2012-04")]) == (5, 5, 5)
    # Jan-Apr 2012 have 22, 21, 22 and 20 working days: the extra days go to the longest months
    assert month_shares(15, [M("2012-01"), M("2012-02"), M("2012-03"), M("2012-04")]) == (4, 4, 4, 3)
    assert month_shares(16, [M("2012-02"), M("2012-03"), M("2012-04")]) == (5, 6, 5)
    assert month_shares(2, [M("2012-02"), M("2012-03"), M("2012-04")]) == (1, 0, 1)  # fewer days than months
    # 40 days over May (19 working days) and June (21): May cannot take 20, June takes the rest
    assert month_shares(40, [M("2012-05"), M("2012-06")]) == (19, 21)
    assert month_shares(25, [M("2012-05")]) == (25,)  # more than the month holds: no venue can host it


def test_venue_months_within_working_days_always_get_their_days():
    """The promise the model and the greedy plan rely on: when, at every venue and month, the
    sessions' shares (month_shares) add up to at most the working days, and no trainee is in two
    sessions of a month, every session gets its days, each month its share (random plans, fixed
    seed)."""
    rng = random.Random(20120501)
    modules = {"S14": 14, "S21": 21, "S35": 35, "S70": 70, "K56": 56, "K100": 100, "Q196": 196, "Q140": 140}
    months_of = {"K56": 2, "K100": 3, "Q196": 2, "Q140": 4}
    for trial in range(25):
        b = Build()
        b.territory("T").provider("P").venue("V", "P").venue("W", "P").member("A")
        for code, hours in modules.items():
            family = "short" if code.startswith("S") else ("key_skills" if code.startswith("K") else "qualifying")
            b.module(code, hours, family=family, months=months_of.get(code, 1)).offer("P", code)
        booked = defaultdict(int)
        planned = []
        for _ in range(60):
            code = rng.choice(sorted(modules))
            span = months_of.get(code, 1)
            start = rng.randrange(0, 13 - span)
            months = [M("2012-01") + start + k for k in range(span)]
            venue = rng.choice("VW")
            shares = month_shares(-(-modules[code] // 7), months)
            if any(booked[(venue, m)] + share > len(working_days(m, m)) for m, share in zip(months, shares)):
                continue
            for m, share in zip(months, shares):
                booked[(venue, m)] += share
            planned.append((code, venue, months))
        sessions = []
        for i, (code, venue, months) in enumerate(planned):
            first = len(b.requests)
            b.request("A", f"s{i}a", code).request("A", f"s{i}b", code)
            sessions.append(PlannedSession(f"S{i:02d}", code, "P", venue, months[0], months[-1], (first, first + 1)))
        sc = b.build()
        meeting = schedule_meeting_days(sc, sessions)
        assert_rules(sc, sessions, meeting, allow_fallback=True)
        for s in sessions:
            months = list(range(s.start_month, s.end_month + 1))
            shares = dict(zip(months, month_shares(sc.days(s.module_code), months)))
            per_month = defaultdict(int)
            for d in days_of(meeting, s.id):
                per_month[d.year * 12 + d.month - 1] += 1
            assert all(per_month[m] == shares[m] for m in months), (trial, s.id, dict(per_month), shares)


def test_no_sessions_no_days():
    assert schedule_meeting_days(catalogue().build(), []) == {}


# --- plans written and checked --------------------------------------------------------------------

def funded(b: Build) -> Build:
    b.line("pub", "region").rule("pub", share=1.0)
    return b


def test_short_fallback_when_no_run_is_free_and_the_checker_agrees(tmp_path):
    """February 2012 at venue V: a 56 h key-skills session on its eight Mondays and Tuesdays leaves
    runs of three free days (Wednesday to Friday), so the 35 h short session takes the most
    compact five free days instead."""
    b = Build(start="2012-02", end="2012-02")
    b.territory("T").provider("P").venue("V", "P").member("A")
    b.module("K", 56, family="key_skills").module("S", 35).offer("P", "K").offer("P", "S")
    sc = funded(b).requests_for("A", "K", 2).requests_for("A", "S", 2).build()
    plan = solve_greedy(sc)
    assert sorted(s.module_code for s in plan.sessions) == ["K", "S"]
    by_module = {s.module_code: s.id for s in plan.sessions}
    assert {d.weekday() for d in days_of(plan.meeting_days, by_module["K"])} == {0, 1}
    assert plan.meeting_days[by_module["S"]] == ["2012-02-01", "2012-02-02", "2012-02-03", "2012-02-08", "2012-02-09"]
    assert_rules(sc, plan.sessions, plan.meeting_days, allow_fallback=True)
    report = check_plan(sc, write_plan(sc, plan, tmp_path / "plan"))
    assert report.ok, report.summary()


def test_long_fallback_is_accepted_by_the_checker(tmp_path):
    b = Build(start="2012-02", end="2012-03")
    b.territory("T").provider("P").venue("V", "P").member("A")
    b.module("Q", 196, family="qualifying", months=2).offer("P", "Q")
    sc = funded(b).requests_for("A", "Q", 2).build()
    plan = solve_greedy(sc)
    (s,) = plan.sessions
    assert len({d.weekday() for d in days_of(plan.meeting_days, s.id)}) == 4
    report = check_plan(sc, write_plan(sc, plan, tmp_path / "plan"))
    assert report.ok, report.summary()


def set_days(folder: Path, sid: str, days: list[str]) -> None:
    """Corrupt a written plan: new meeting days for a session, start/end dates kept consistent."""
    doc = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    doc["meeting_days"][sid] = days
    (folder / "plan.json").write_text(json.dumps(doc), encoding="utf-8")
    set_cells(folder, sid, start_date=days[0], end_date=days[-1])


def set_cells(folder: Path, sid: str, **values: str) -> None:
    path = folder / "sessions.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        if r["session_id"] == sid:
            r.update(values)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def two_sessions(tmp_path: Path, *, same_trainee: bool) -> tuple[Scenario, Path, list[str]]:
    """A plan of two 21 h sessions in March 2012: at one venue with other trainees, or at two
    venues sharing trainee A/x (two sessions a month allowed)."""
    b = Build(start="2012-03", end="2012-03", max_sessions_per_trainee_per_month=2)
    b.territory("T").provider("P").venue("V", "P").member("A").member("B")
    b.module("X", 21).module("Y", 21).offer("P", "X")
    if same_trainee:
        b.provider("Q").venue("W", "Q").offer("Q", "Y")
        b.request("A", "x", "X").request("A", "x", "Y").request("B", "b1", "X").request("B", "b2", "Y")
    else:
        b.offer("P", "Y").requests_for("A", "X", 2).requests_for("B", "Y", 2)
    sc = funded(b).build()
    plan = solve_greedy(sc)
    assert len(plan.sessions) == 2
    folder = write_plan(sc, plan, tmp_path / "plan")
    assert check_plan(sc, folder).ok
    return sc, folder, [s.id for s in plan.sessions]


def test_checker_finds_a_trainee_in_two_sessions_on_one_day(tmp_path):
    sc, folder, (first, second) = two_sessions(tmp_path, same_trainee=True)
    doc = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    set_days(folder, second, doc["meeting_days"][first])
    report = check_plan(sc, folder)
    assert report.rules() == {"trainee_day"}, report.summary()
    assert "'x' of member 'A'" in report.violations[0].message


def test_checker_finds_a_venue_hosting_two_sessions_on_one_day(tmp_path):
    sc, folder, (first, second) = two_sessions(tmp_path, same_trainee=False)
    doc = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    set_days(folder, second, doc["meeting_days"][first])
    report = check_plan(sc, folder)
    assert report.rules() == {"venue_day"}, report.summary()


@pytest.mark.parametrize(("days", "rule"), [
    (["2012-03-03", "2012-03-05", "2012-03-06"], "meeting_weekend"),  # Saturday
    (["2012-04-09", "2012-04-10", "2012-04-11"], "meeting_holiday"),  # Easter Monday (and April: outside)
    (["2012-03-05", "2012-03-06"], "meeting_count"),
    (["2012-03-05", "2012-03-07", "2012-03-08"], "meeting_consecutive"),
])
def test_checker_finds_corrupted_days(tmp_path, days, rule):
    sc, folder, (first, _) = two_sessions(tmp_path, same_trainee=False)
    set_days(folder, first, days)
    assert rule in check_plan(sc, folder).rules()


def test_checker_finds_a_wrong_start_date(tmp_path):
    sc, folder, (first, _) = two_sessions(tmp_path, same_trainee=False)
    doc = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    set_cells(folder, first, start_date=doc["meeting_days"][first][1])
    report = check_plan(sc, folder)
    assert report.rules() == {"dates"}, report.summary()


def test_solvers_give_meeting_days_too():
    from planner.solvers import solve

    b = Build(start="2012-03", end="2012-04")
    b.territory("T").provider("P").venue("V", "P").member("A")
    b.module("X", 21).offer("P", "X")
    sc = funded(b).requests_for("A", "X", 3).build()
    plan = solve(sc, solver="highs", time_limit=10, workers=1, explain_time_limit=0)
    assert plan.sessions and set(plan.meeting_days) == {s.id for s in plan.sessions}
    assert_rules(sc, plan.sessions, plan.meeting_days)


# --- the reference Isère plan ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def isere():
    scenario = load_scenario(ISERE)
    return scenario, solve_greedy(scenario)


def test_isere_plan_is_fully_scheduled(isere):
    scenario, plan = isere
    assert len(plan.sessions) > 50
    assert_rules(scenario, plan.sessions, plan.meeting_days)
    used = {d for days in plan.meeting_days.values() for d in days}
    assert not used & {d.isoformat() for d in MAY_2012_HOLIDAYS}
    assert not any(d.startswith("2012-08") for d in used)  # August is closed
    assert schedule_meeting_days(scenario, plan.sessions) == plan.meeting_days


def test_isere_plan_passes_planner_check(isere, tmp_path):
    scenario, plan = isere
    out = write_plan(scenario, plan, tmp_path / "plan")
    result = CliRunner().invoke(app, ["check", str(ISERE), str(out)])
    assert result.exit_code == 0, result.output
    with (out / "sessions.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        days = plan.meeting_days[r["session_id"]]
        assert (r["start_date"], r["end_date"]) == (days[0], days[-1])


def test_planner_solve_greedy_writes_dates(tmp_path):
    out = tmp_path / "plan"
    result = CliRunner().invoke(app, ["solve", str(ISERE), "--solver", "greedy", "--out", str(out)])
    assert result.exit_code == 0, result.output  # a checked plan, proven or not (SPEC §4)
    assert "checked: no violation" in " ".join(result.output.split())
    doc = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert doc["meeting_days"] and all(doc["meeting_days"][s["session_id"]] for s in doc["sessions"])
    assert all(s["start_date"] and s["end_date"] for s in doc["sessions"])


def test_planner_solve_greedy_reports_an_overbooked_plan(tmp_path, monkeypatch):
    """When the sessions cannot all meet, solve says why and writes nothing (exit 3: no plan)."""
    import planner.heuristics.greedy

    def overbooked(scenario, sessions):
        raise MeetingDaysError("1 session(s) cannot get meeting days: session 'G0001' ...")

    monkeypatch.setattr(planner.heuristics.greedy, "schedule_meeting_days", overbooked)
    out = tmp_path / "plan"
    result = CliRunner().invoke(app, ["solve", str(ISERE), "--solver", "greedy", "--out", str(out)])
    assert result.exit_code == 3
    assert "cannot get meeting days" in " ".join(result.output.split())
    assert not out.exists()


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def test_imports_point_inward():
    """meeting_days uses only the inner modules; the checker never uses meeting_days."""
    inner = {"planner.domain", "planner.domain.plan", "planner.domain.months", "planner.domain.units"}
    mine = {m for m in imported(ROOT / "planner" / "rules" / "meeting_days.py") if m.startswith("planner")}
    assert mine <= inner, mine
    for path in (ROOT / "planner" / "checker").glob("*.py"):
        bad = {m for m in imported(path) if m.startswith(("planner.rules.meeting_days", "planner.model", "planner.solvers"))}
        assert not bad, (path.name, bad)


def test_working_days_helper_matches_the_calendar():
    """The test's own calendar: May 2012 has 19 working days, none of them a holiday."""
    may = working_days(M("2012-05"), M("2012-05"))
    assert len(may) == 19 and not set(may) & MAY_2012_HOLIDAYS
    assert len(working_days(M("2012-12"), M("2012-12"))) == 20  # 25 December is a Tuesday
    grouped = defaultdict(list)
    for d in working_days(M("2012-01"), M("2012-12")):
        grouped[d.month].append(d)
    assert sum(map(len, grouped.values())) == 253  # 261 weekdays, 8 of them public holidays
