"""Which limit an unmet request's ``capacity`` reason names (its ``cause``), on tiny hand-made scenarios.

The solvers' plans are explained by relaxed re-solves (planner.explain.relaxation), the greedy's by
the quick reading of the plan alone (planner.explain.unmet); both must name the binding limit, in
``cause`` and in the English detail. Every plan also passes the independent checker, which reads
the written ``cause`` column. Defaults as in test_rules (scenario_builder.base): provider P, venue
V, module M of 21 h in one month, member A, min_fill 2.
"""

from __future__ import annotations

from scenario_builder import Build, base, served_count, solve_and_check


def greedy_and_check(scenario, tmp_path):
    """The greedy plan, written and run through the independent checker."""
    from planner.checker import check_plan
    from planner.heuristics.greedy import solve_greedy
    from planner.plans.writer import write_plan

    plan = solve_greedy(scenario)
    report = check_plan(scenario, write_plan(scenario, plan, tmp_path / "plan-greedy"))
    assert report.ok, report.summary()
    return plan


def causes(plan) -> list[tuple[str, str]]:
    return [(u.reason, u.cause) for u in plan.unmet]


def release_cap() -> Build:
    """A (release cap 1) and B (no cap) have two trainees each asking M in January: one of A's waits."""
    b = base(start="2012-01", end="2012-01").member("A", release_cap=1).member("B")
    return b.requests_for("A", "M", 2).requests_for("B", "M", 2)


def provider_parallel() -> Build:
    """Four trainees, sessions of 2, and P runs one session a month in the one month: two wait."""
    b = base(start="2012-03", end="2012-03", max_size=2).requests_for("A", "M", 4)
    return b.provider("P", max_parallel_sessions=1)


def venue_day() -> Build:
    """Eight trainees ask a 35 h module (5 meeting days) in May 2012 (19 working days) at V, sessions of
    2: V hosts three sessions (15 days), a fourth would need 20 days; two trainees wait."""
    return base(hours=35, start="2012-05", end="2012-05", max_size=2).requests_for("A", "M", 8)


def max_size() -> Build:
    """Seven trainees, sessions of 3 (max_size): the greedy fills two sessions, the seventh finds them full."""
    return base(start="2012-03", end="2012-03", max_size=3).requests_for("A", "M", 7)


def test_unmet_cause_release_cap(solver, tmp_path):
    plan = solve_and_check(release_cap().build(), solver, tmp_path)
    assert causes(plan) == [("capacity", "release_cap")]
    assert "release" in plan.unmet[0].detail and "cap of 1" in plan.unmet[0].detail


def test_unmet_cause_provider_parallel(solver, tmp_path):
    plan = solve_and_check(provider_parallel().build(), solver, tmp_path)
    assert served_count(plan) == 2
    assert causes(plan) == [("capacity", "provider_parallel")] * 2
    assert all("provider P" in u.detail and "1 session(s)" in u.detail for u in plan.unmet)


def test_unmet_cause_venue_day(solver, tmp_path):
    plan = solve_and_check(venue_day().build(), solver, tmp_path)
    assert causes(plan) == [("capacity", "venue_day")] * 2
    assert all("venue V" in u.detail and "working days" in u.detail for u in plan.unmet)


def test_unmet_causes_of_the_quick_reading(tmp_path):
    # the greedy's plans are read without re-solving, as with explain_time_limit 0
    plan = greedy_and_check(release_cap().build(), tmp_path / "release")
    assert causes(plan) == [("capacity", "release_cap")]
    assert "release cap of 1" in plan.unmet[0].detail
    plan = greedy_and_check(provider_parallel().build(), tmp_path / "provider")
    assert causes(plan) == [("capacity", "provider_parallel")] * 2
    assert all("parallel sessions" in u.detail for u in plan.unmet)
    plan = greedy_and_check(venue_day().build(), tmp_path / "venue")
    assert causes(plan) == [("capacity", "venue_day")] * 2
    assert all("working days" in u.detail for u in plan.unmet)
    plan = greedy_and_check(max_size().build(), tmp_path / "full")
    assert served_count(plan) == 6
    assert causes(plan) == [("capacity", "max_size")]
    assert "are full (3 trainees at most)" in plan.unmet[0].detail
