"""One valid plan passes; each corruption is rejected with its rule code."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from planner.checker import RULES, check_plan
from planner.domain import CostItem, MemberKind, Offer

from .conftest import EXPECTED_STAGES, base_scenario, make_scenario, rule, valid_plan, write_plan


def test_valid_plan_passes(scenario, plan_dir):
    report = check_plan(scenario, plan_dir)
    assert report.ok, report.summary()
    assert report.stage_values == pytest.approx(EXPECTED_STAGES)


# --- helpers to edit the plan tables ------------------------------------------------------------

def row(rows, **match):
    """The single row whose columns equal ``match``."""
    found = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(found) == 1, (match, found)
    return found[0]


def set_cells(file, match, **values):
    def edit(t, m):
        row(t[file], **match).update(values)
    return edit


def drop(file, **match):
    def edit(t, m):
        t[file].remove(row(t[file], **match))
    return edit


def add(file, new):
    def edit(t, m):
        t[file].append(dict(new))
    return edit


def duplicate(file, **match):
    def edit(t, m):
        t[file].append(dict(row(t[file], **match)))
    return edit


def stage(name, **values):
    def edit(t, m):
        next(s for s in m["stages"] if s["name"] == name).update(values)
    return edit


def both(*edits):
    def edit(t, m):
        for e in edits:
            e(t, m)
    return edit


S = "sessions.csv"
A = "assignments.csv"
F = "funding.csv"
U = "unmet.csv"


def move_s2_to_march(t, m):
    row(t[S], session_id="S2").update(start_month="2012-03", end_month="2012-03")


def meet(sid, *days, dates=True):
    """Give session ``sid`` these meeting days (and, with ``dates``, the matching start/end dates)."""
    def edit(t, m):
        m["meeting_days"][sid] = list(days)
        if dates:
            row(t[S], session_id=sid).update(start_date=min(days), end_date=max(days))
    return edit


def as_key_skills(t, m):
    """S1 becomes a 100 h key-skills session over March-April (KS is not offered: also an offer violation)."""
    row(t[S], session_id="S1").update(module_code="KS", family="key_skills", hours="100", end_month="2012-04")


# 15 days (100 h / 7 h) on Mon/Tue/Wed over March-April 2012, where Mon/Tue alone had 16 free days
THREE_WEEKDAYS = ("2012-03-05", "2012-03-06", "2012-03-07", "2012-03-12", "2012-03-13", "2012-03-14", "2012-03-19",
                  "2012-03-20", "2012-03-21", "2012-03-26", "2012-03-27", "2012-03-28", "2012-04-02", "2012-04-03",
                  "2012-04-04")
# 15 consecutive working days, all in March
MARCH_ONLY = ("2012-03-01", "2012-03-02", "2012-03-05", "2012-03-06", "2012-03-07", "2012-03-08", "2012-03-09",
              "2012-03-12", "2012-03-13", "2012-03-14", "2012-03-15", "2012-03-16", "2012-03-19", "2012-03-20",
              "2012-03-21")


def fee_row(member, funder="opco", amount="150.00"):
    return {"session_id": "", "member_id": member, "funder_id": member, "line_id": "own",
            "cost_item": f"access_fee:{funder}", "amount_eur": amount}


CASES = [
    # files and ids
    ("file_format", "missing_file", lambda t, m: t.update({U: None})),
    ("file_format", "bad_integer", set_cells(S, {"session_id": "S1"}, trainees="three")),
    ("file_format", "bad_month", set_cells(S, {"session_id": "S1"}, start_month="March")),
    ("file_format", "bad_amount", set_cells(F, {"session_id": "S1", "member_id": "M1", "cost_item": "wage"},
                                            amount_eur="4,20")),
    ("file_format", "not_json", None),  # plan.json replaced below
    ("unknown_id", "session_module", set_cells(S, {"session_id": "S1"}, module_code="NOPE")),
    ("unknown_id", "assignment_member", set_cells(A, {"session_id": "S1", "trainee_ref": "t2"}, member_id="M9")),
    ("unknown_id", "assignment_session", set_cells(A, {"session_id": "S1", "trainee_ref": "t2"}, session_id="S9")),
    ("unknown_id", "funding_line", set_cells(F, {"session_id": "S1", "member_id": "M1", "cost_item": "wage"},
                                             line_id="nope")),
    ("unknown_id", "funding_cost_item", set_cells(F, {"session_id": "S1", "member_id": "M1", "cost_item": "wage"},
                                                  cost_item="salary")),
    ("duplicate_id", "session_twice", duplicate(S, session_id="S2")),
    ("derived_field", "session_hours", set_cells(S, {"session_id": "S1"}, hours="20")),
    ("derived_field", "session_family", set_cells(S, {"session_id": "S1"}, family="qualifying")),
    ("derived_field", "travel_min", set_cells(A, {"session_id": "S1", "trainee_ref": "t1"}, travel_min="99")),
    ("derived_field", "funder_of_line", set_cells(F, {"session_id": "S1", "member_id": "M1",
                                                      "line_id": "opco-short"}, funder_id="region")),
    ("scenario_id", "other_scenario", lambda t, m: m.update(scenario_id="other")),
    # §2.1
    ("offer", "provider_without_offer", set_cells(S, {"session_id": "S1"}, provider_id="P2")),
    ("months", "end_month", set_cells(S, {"session_id": "S1"}, end_month="2012-04", end_date="")),
    ("months", "closed_month", set_cells(S, {"session_id": "S2"}, start_month="2012-08", end_month="2012-08")),
    ("months", "outside_horizon", set_cells(S, {"session_id": "S2"}, start_month="2013-01", end_month="2013-01")),
    ("dates", "start_date", set_cells(S, {"session_id": "S1"}, start_date="2012-04-02")),
    ("dates", "not_first_meeting_day", set_cells(S, {"session_id": "S1"}, start_date="2012-03-06")),
    ("dates", "end_date_empty", set_cells(S, {"session_id": "S2"}, end_date="")),
    # meeting days
    ("meeting_missing", "session_without_days", lambda t, m: m["meeting_days"].pop("S2")),
    ("meeting_missing", "session_with_empty_list", meet("S2", dates=False)),
    ("meeting_missing", "no_meeting_days_at_all", lambda t, m: m.pop("meeting_days")),
    ("meeting_weekend", "saturday", meet("S1", "2012-03-03", "2012-03-05", "2012-03-06")),
    ("meeting_holiday", "labour_day", meet("S2", "2012-05-01", "2012-05-02")),
    ("meeting_holiday", "ascension", meet("S2", "2012-05-16", "2012-05-17")),
    ("meeting_month", "april_day", meet("S2", "2012-04-30", "2012-05-02")),
    ("meeting_count", "too_few_days", meet("S1", "2012-03-05", "2012-03-06")),
    ("meeting_count", "too_many_days", meet("S2", "2012-05-02", "2012-05-03", "2012-05-04")),
    ("meeting_count", "day_twice", meet("S1", "2012-03-05", "2012-03-05", "2012-03-06", "2012-03-07")),
    ("meeting_consecutive", "gap_in_short_module", meet("S1", "2012-03-05", "2012-03-06", "2012-03-08")),
    ("meeting_weekdays", "three_weekdays_where_two_fit", both(as_key_skills, meet("S1", *THREE_WEEKDAYS))),
    ("meeting_spread", "one_month_of_two", both(as_key_skills, meet("S1", *MARCH_ONLY))),
    ("venue_day", "s1_and_s2_on_the_same_days", both(move_s2_to_march, meet("S2", "2012-03-06", "2012-03-07"))),
    ("trainee_day", "s1_and_s2_on_the_same_days", both(move_s2_to_march, meet("S2", "2012-03-06", "2012-03-07"))),
    ("unknown_id", "meeting_days_of_unknown_session", meet("S9", "2012-03-05", dates=False)),
    ("file_format", "meeting_day_not_a_date", meet("S1", "2012-03-05", "5 March", "2012-03-07", dates=False)),
    ("file_format", "meeting_days_not_an_object", lambda t, m: m.update(meeting_days=["2012-03-05"])),
    # §2.2
    ("min_fill", "too_few", both(drop(A, session_id="S2", trainee_ref="t3"), drop(A, session_id="S2", trainee_ref="u1"),
                                 set_cells(S, {"session_id": "S2"}, trainees="1"))),
    ("max_size", "too_many", set_cells(S, {"session_id": "S1"}, external_seats="1")),
    ("external_seats", "above_policy", set_cells(S, {"session_id": "S1"}, external_seats="2")),
    ("trainee_count", "column", set_cells(S, {"session_id": "S1"}, trainees="2")),
    # §2.3
    ("request_unknown", "not_in_survey", set_cells(A, {"session_id": "S1", "trainee_ref": "t2"}, trainee_ref="t9")),
    ("request_module", "wrong_session", set_cells(A, {"session_id": "S1", "trainee_ref": "t2"}, session_id="S2")),
    ("request_window", "after_window", set_cells(S, {"session_id": "S1"}, start_month="2012-11", end_month="2012-11",
                                                 start_date="", end_date="")),
    ("request_reach", "far_venue", set_cells(S, {"session_id": "S1"}, venue_id="V2", territory_id="T2")),
    ("request_twice", "same_row_twice", duplicate(A, session_id="S1", trainee_ref="t1")),
    # §2.4-2.6
    ("trainee_month", "two_sessions_in_march", move_s2_to_march),
    ("trainee_module", "same_module_twice", set_cells(S, {"session_id": "S2"}, module_code="SHORT1", hours="21")),
    ("release_cap", "three_in_march", move_s2_to_march),
    ("provider_parallel", "two_at_once", move_s2_to_march),
    # §2.7
    ("cost_coverage", "wage_overpaid", set_cells(F, {"session_id": "S1", "member_id": "M1", "cost_item": "wage"},
                                                 amount_eur="425.00")),
    ("cost_coverage", "row_for_absent_member", add(F, {"session_id": "S2", "member_id": "M2", "funder_id": "M2",
                                                       "line_id": "own", "cost_item": "travel", "amount_eur": "5.00"})),
    ("share_bounds", "fixed_share_not_met", both(
        set_cells(F, {"session_id": "S1", "member_id": "M1", "line_id": "opco-short"}, amount_eur="400.00"),
        add(F, {"session_id": "S1", "member_id": "M1", "funder_id": "M1", "line_id": "own", "cost_item": "pedagogy",
                "amount_eur": "11.60"}))),
    ("share_bounds", "line_without_rule", both(
        set_cells(F, {"session_id": "S1", "member_id": "M1", "cost_item": "wage"}, amount_eur="410.00"),
        add(F, {"session_id": "S1", "member_id": "M1", "funder_id": "region", "line_id": "region-main",
                "cost_item": "wage", "amount_eur": "10.00"}))),
    ("opca_access", "no_fee", drop(F, session_id="", member_id="M2")),
    ("access_fee", "wrong_amount", set_cells(F, {"session_id": "", "member_id": "M2"}, amount_eur="100.00")),
    ("access_fee", "adherent_pays", add(F, fee_row("M1"))),
    ("access_fee", "paid_twice", add(F, fee_row("M2"))),
    ("access_fee", "not_an_opca", add(F, fee_row("M2", "region"))),
    ("negative_amount", "negative_row", add(F, {"session_id": "S1", "member_id": "M1", "funder_id": "M1",
                                                "line_id": "own", "cost_item": "wage", "amount_eur": "-1.00"})),
    # §2.8
    ("envelope", "region_overspent", both(
        set_cells(F, {"session_id": "S1", "member_id": "M1", "line_id": "region-main", "cost_item": "travel"},
                  amount_eur="58.50"),
        drop(F, session_id="S1", member_id="M1", line_id="own", cost_item="travel"))),
    ("own_funds", "m1_overspent", both(
        set_cells(F, {"session_id": "S1", "member_id": "M1", "line_id": "own", "cost_item": "travel"},
                  amount_eur="58.50"),
        drop(F, session_id="S1", member_id="M1", line_id="region-main", cost_item="travel"))),
    # §2.9
    ("stage_value", "served_off", stage("served", value=216)),
    ("stage_value", "public_cost_off", stage("public_cost", value=1639.05)),
    ("stage_value", "stage_missing", lambda t, m: m["stages"].pop()),
    ("stage_bound", "bound_below_max_value", stage("served", bound=200)),
    ("stage_bound", "bound_above_min_value", stage("travel", bound=900)),
    # unmet.csv
    ("unmet_missing", "dropped", drop(U, module_code="KS")),
    ("unmet_duplicate", "twice", duplicate(U, trainee_ref="u2")),
    ("unmet_assigned", "assigned_and_unmet", add(U, {"member_id": "M1", "trainee_ref": "t1", "module_code": "SHORT1",
                                                     "reason": "budget", "detail": ""})),
    ("unmet_reason", "unknown_reason", set_cells(U, {"module_code": "KS"}, reason="bored")),
    ("unmet_reason", "window_but_no_offer", set_cells(U, {"module_code": "KS"}, reason="window")),
    ("unmet_reason", "later_reason_but_out_of_reach", set_cells(U, {"trainee_ref": "u3"}, reason="below_min_fill")),
    ("unmet_reason", "no_offer_but_window", set_cells(U, {"trainee_ref": "u2"}, reason="no_offer")),
    ("request_unknown", "unmet_not_in_survey", add(U, {"member_id": "M1", "trainee_ref": "t9", "module_code": "KS",
                                                       "reason": "no_offer", "detail": ""})),
]


@pytest.mark.parametrize(("code", "edit"), [(c, e) for c, _, e in CASES], ids=[f"{c}-{n}" for c, n, _ in CASES])
def test_corruption_is_rejected(tmp_path: Path, scenario, code, edit):
    assert code in RULES
    tables, meta = valid_plan()
    if edit is None:
        meta = '{"schema_version": 1, "stages": ['
    else:
        edit(tables, meta)
    report = check_plan(scenario, write_plan(tmp_path / "plan", tables, meta))
    assert code in report.rules(), report.summary()
    assert "internal" not in report.rules(), report.summary()
    hit = next(v for v in report.violations if v.rule == code)
    assert hit.message and str(hit).startswith(f"[{code}]")


def test_every_rule_code_is_exercised():
    tested = {c for c, _, _ in CASES} | {"share_sum"}
    assert tested == set(RULES) - {"internal"}


# --- cases that change the scenario rather than the plan ----------------------------------------

def test_share_sum_through_access_fee(plan_dir):
    """An OPCO rule for AI engineering at 60 %: with its fee, M2's minimum shares reach 110 %."""
    sc = base_scenario()
    extra = rule(4, "opco-short", CostItem.ENGINEERING, 0.60, member_kinds=frozenset({MemberKind.AI}))
    report = check_plan(make_scenario(rules=sc.rules + (extra,)), plan_dir)
    sums = [v for v in report.violations if v.rule == "share_sum"]
    assert sums and all(v.member_id == "M2" for v in sums)
    assert "access fee" in sums[0].message


def test_offers_without_venue_accept_both_readings(tmp_path):
    """KS offered by P2 in T2, where P2 has no venue: no_offer and out_of_reach both accepted."""
    sc = base_scenario()
    sc = make_scenario(offers=sc.offers + (Offer("P2", "KS", "T2"),))
    for reason, ok in (("no_offer", True), ("out_of_reach", True), ("window", False)):
        tables, meta = valid_plan()
        row(tables[U], module_code="KS")["reason"] = reason
        report = check_plan(sc, write_plan(tmp_path / reason, tables, meta))
        assert report.ok is ok, report.summary()


def test_later_reason_accepted_when_no_static_reason_holds(tmp_path):
    """Requests not statically blocked may be unmet for a dynamic reason (here: capacity)."""
    sc = base_scenario()
    # make u3 reachable: the static reasons no longer hold, so out_of_reach is now wrong
    requests = tuple(dataclasses.replace(r, max_travel_min=None) if r.trainee_ref == "u3" else r for r in sc.requests)
    sc = make_scenario(requests=requests)
    tables, meta = valid_plan()
    assert "unmet_reason" in check_plan(sc, write_plan(tmp_path / "a", tables, meta)).rules()
    row(tables[U], trainee_ref="u3")["reason"] = "capacity"
    assert check_plan(sc, write_plan(tmp_path / "b", tables, meta)).ok


def test_served_in_trainees(plan_dir):
    from planner.domain import Objective

    sc = make_scenario(objective=Objective(served="trainees"))
    report = check_plan(sc, plan_dir)
    assert report.stage_values["served"] == 12  # (3 + 2 + 2) + (1 + 2 + 2)
    assert report.rules() == {"stage_value"}


def test_tighter_policy_is_seen(plan_dir):
    sc = base_scenario()
    report = check_plan(make_scenario(policy=dataclasses.replace(sc.policy, min_fill=4)), plan_dir)
    assert [v.session_id for v in report.violations if v.rule == "min_fill"] == ["S1", "S2"]


def test_missing_folder_is_a_violation(tmp_path, scenario):
    report = check_plan(scenario, tmp_path / "nowhere")
    assert not report.ok and report.rules() == {"file_format"}


def test_empty_folder_reports_every_file(tmp_path, scenario):
    (tmp_path / "empty").mkdir()
    report = check_plan(scenario, tmp_path / "empty")
    assert report.rules() == {"file_format"}
    assert len(report.violations) == 5


def test_ids_stay_strings(tmp_path):
    """A member id like '007' is not read as the number 7."""
    sc = base_scenario()
    members = tuple(dataclasses.replace(m, id="007") if m.id == "M2" else m for m in sc.members)
    tables, meta = valid_plan()
    for rows in tables.values():
        for r in rows:
            for col in ("member_id", "funder_id"):
                if r.get(col) == "M2":
                    r[col] = "007"
    requests = tuple(dataclasses.replace(r, member_id="007") if r.member_id == "M2" else r for r in sc.requests)
    legs = {("007" if m == "M2" else m, v): leg for (m, v), leg in sc.legs.items()}
    sc = make_scenario(members=members, requests=requests, legs=legs)
    assert check_plan(sc, write_plan(tmp_path / "p", tables, meta)).ok


def _with_causes(tmp_path: Path, causes: dict[str, str]) -> Path:
    """The valid plan with unmet.csv's optional ``cause`` column (trainee_ref -> cause)."""
    import csv

    tables, meta = valid_plan()
    folder = write_plan(tmp_path / "plan", tables, meta)
    rows = tables["unmet.csv"]
    with (folder / "unmet.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*rows[0], "cause"])
        writer.writeheader()
        writer.writerows({**row, "cause": causes.get(row["trainee_ref"], "")} for row in rows)
    return folder


def test_unmet_cause_column_is_optional_and_checked(tmp_path: Path, scenario):
    assert check_plan(scenario, write_plan(tmp_path / "old", *valid_plan())).ok  # written before the column
    assert check_plan(scenario, _with_causes(tmp_path / "empty", {})).ok  # the column, all empty
    for name, cause in (("unknown", "bored"), ("not_capacity", "release_cap")):
        report = check_plan(scenario, _with_causes(tmp_path / name, {"u2": cause}))
        assert [(v.rule, v.file, v.row) for v in report.violations] == [("file_format", "unmet.csv", 3)], (
            name, report.summary())
        assert "cause" in report.violations[0].message and repr(cause) in report.violations[0].message
