"""Property tests: on random small scenarios every backend's plan passes the checker, the backends
agree on the optimum, and the greedy baseline never beats it.

The scenarios come from :mod:`strategies` (valid small scenarios of every rule).

Engineering costs are drawn only in ``test_engineering_plans_pass_checker``: the model charges
engineering at a per-trainee upper bound, so the backends' exact public costs need not agree.
Shrinking a failure re-solves each candidate with every backend: it can take minutes.
"""

from __future__ import annotations

from pathlib import Path
import tempfile

from hypothesis import given, note, settings
from scenario_builder import BACKENDS, Build, describe_plan, solve_and_check, stage
from strategies import SUPPRESS, Case, scenarios

from planner.domain import Scenario

TIME_LIMIT = 10


# the agreement property is the issue's: CP-SAT and HiGHS; CBC is pinned by the hand-made rule
# tests (it once stopped short of proving a tiny stage, a flake that random scenarios would hit)
AGREEING = [b for b in BACKENDS if b in ("highs", "cpsat")]


def _solve_all(scenario: Scenario, tmp: Path, *, expect_optimal: bool = True) -> dict:
    plans = {}
    for solver in AGREEING:
        plans[solver] = solve_and_check(scenario, solver, tmp, time_limit=TIME_LIMIT, expect_optimal=expect_optimal)
        note(describe_plan(scenario, plans[solver]))
    return plans


@settings(max_examples=12, deadline=None, suppress_health_check=SUPPRESS)
@given(scenarios())
def test_backends_pass_checker_and_agree(case: Case) -> None:
    scenario = case.scenario
    with tempfile.TemporaryDirectory() as tmp:
        plans = _solve_all(scenario, Path(tmp))
    served = {s: stage(p, "served") for s, p in plans.items()}
    public = {s: stage(p, "public_cost") for s, p in plans.items()}
    if "highs" in plans and "cpsat" in plans:
        assert served["cpsat"] == served["highs"], served
        assert abs(public["cpsat"] - public["highs"]) <= 0.05, public


@settings(max_examples=25, deadline=None, suppress_health_check=SUPPRESS)
@given(scenarios())
def test_greedy_never_beats_optimum(case: Case) -> None:
    scenario = case.scenario
    from planner.heuristics.greedy import solve_greedy

    backend = "highs" if "highs" in BACKENDS else BACKENDS[0]
    with tempfile.TemporaryDirectory() as tmp:
        optimum = solve_and_check(scenario, backend, Path(tmp), time_limit=TIME_LIMIT)
    greedy = solve_greedy(scenario)
    note(describe_plan(scenario, optimum))
    note(describe_plan(scenario, greedy))
    greedy_served = sum(
        scenario.priority_weight(scenario.requests[r].priority)
        * (scenario.module[s.module_code].minutes / 60 if scenario.objective.served == "hours" else 1)
        for s in greedy.sessions for r in s.requests
    )
    assert greedy_served <= stage(optimum, "served") + 1e-6, (greedy_served, stage(optimum, "served"))


@settings(max_examples=25, deadline=None, suppress_health_check=SUPPRESS)
@given(scenarios())
def test_greedy_plan_passes_checker(case: Case) -> None:
    scenario = case.scenario
    from planner.heuristics.greedy import solve_greedy

    from planner.checker import check_plan
    from planner.plans.writer import write_plan

    plan = solve_greedy(scenario)
    note(describe_plan(scenario, plan))
    with tempfile.TemporaryDirectory() as tmp:
        write_plan(scenario, plan, Path(tmp) / "greedy")
        report = check_plan(scenario, Path(tmp) / "greedy")
    assert report.ok, report.summary()


@settings(max_examples=15, deadline=None, suppress_health_check=SUPPRESS)
@given(scenarios(engineering=True))
def test_engineering_plans_pass_checker(case: Case) -> None:
    """With engineering costs too, every plan passes the checker and the served optimum agrees
    (public costs are not compared: the model optimises a per-trainee upper bound of engineering,
    and plans equal on that bound may differ in exact cost). The surrogate also excludes some
    feasible plans, so the greedy start may be kept and optimality is not expected."""
    scenario = case.scenario
    with tempfile.TemporaryDirectory() as tmp:
        plans = _solve_all(scenario, Path(tmp), expect_optimal=False)
    served = {s: stage(p, "served") for s, p in plans.items()}
    assert len(set(served.values())) == 1, served
    if scenario.policy.engineering_cents_per_session:
        for p in plans.values():  # the surrogate's bound is not a bound of the exact public cost
            assert next(s for s in p.stages if s.name == "public_cost").bound is None


def test_cbc_preprocessing_false_infeasible(solver, tmp_path):
    """Regression, found by the property above: once the served optimum was fixed, CBC 2.10's
    preprocessing declared the (feasible) public_cost stage infeasible and the plan stopped there."""
    b = Build(end="2012-05", closed=["2012-03"], min_fill=2, max_size=4, rate_eur_per_hour=10, max_travel_min=30,
              external_seats_max=2)
    b.territory("T0").territory("T1")
    b.member("m0", "T0", kind="AI", own_funds_eur=10_000)
    b.member("m1", "T0", kind="AI", lat=45.101568493510285, own_funds_eur=10_000).member("m2", "T0", kind="AI")
    b.module("M0", 10.5, months=2).module("M1", 7)
    b.provider("P0").venue("VP00", "P0", "T0", lon=5.098174447319633).offer("P0", "M0", "T0")
    b.line("reg", "region").funder("op", opca=True).line("op-line", "op").rule("reg", share=0.3).rule("op-line", share=0.3)
    for member, ref, module, priority, window, travel in [
        ("m0", "t0", "M0", 1, ("2012-02", "2012-02"), None), ("m0", "t0", "M1", 1, None, None),
        ("m0", "t1", "M0", 1, ("2012-01", "2012-03"), None), ("m0", "t2", "M0", 1, ("2012-01", "2012-01"), None),
        ("m1", "t0", "M0", 1, None, 20), ("m2", "t0", "M0", 1, None, None), ("m0", "t1", "M1", 1, None, None),
        ("m0", "t2", "M1", 1, None, None), ("m0", "t3", "M1", 1, None, None), ("m0", "t3", "M0", 3, None, None),
        ("m1", "t1", "M0", 2, ("2012-02", "2012-05"), None),
    ]:
        b.request(member, ref, module, priority=priority, window=window, max_travel_min=travel)
    plan = solve_and_check(b.build(), solver, tmp_path)
    assert [s.name for s in plan.stages] == ["served", "public_cost", "travel"]
    assert stage(plan, "served") == 63 and stage(plan, "public_cost") == 94.5


def test_fee_rule_unused_without_fee(solver, tmp_path):
    """Regression, found by the engineering property: with the access fee unpaid (fee = 0), HiGHS left
    0.01 cent on an OPCA rule of the fee (within its tolerances) and extraction applied the rule's full
    fixed share, so the OPCA paid 30 % of m0's pedagogy without access."""
    b = Build(end="2012-06", closed=["2012-04"], served="trainees", min_fill=3, max_size=6, rate_eur_per_hour=10,
              max_travel_min=60, max_sessions_per_trainee_per_month=2, external_seats_max=2,
              engineering_eur_per_session=333.33)
    b.territory("T0", min_fill=2).territory("T1", rural=True, min_fill=4)
    b.member("m0", "T0", kind="ETTI", lat=45.17917972114554, lon=5.003822087502977, own_funds_eur=2000,
             wage_eur_per_hour=2.5)
    b.member("m1", "T0", kind="ETTI", lat=45.03224936380245, lon=5.209183883104488, own_funds_eur=2000,
             release_cap=3, wage_eur_per_hour=2.5)
    b.module("M0", 35).module("M1", 7, family="qualifying")
    b.provider("P0").venue("VP00", "P0", "T1", lat=45.06359322529464, lon=5.0)
    b.venue("VP01", "P0", "T0", lat=45.06494642809914, lon=5.219227101348755)
    for code in ("M0", "M1"):
        b.offer("P0", code, "T0").offer("P0", code, "T1")
    b.line("reg", "region").funder("op", opca=True, access_fee_eur=40).line("op-line", "op")
    for item in ("pedagogy", "wage", "engineering"):
        b.rule("reg", item, share=0.3).rule("op-line", item, share=0.3)
    for member, ref, module, window, travel in [
        ("m1", "t0", "M1", None, 20), ("m1", "t7", "M0", None, None), ("m0", "t0", "M0", ("2012-03", "2012-06"), None),
        ("m0", "t1", "M0", None, None), ("m0", "t5", "M0", None, None), ("m1", "t0", "M0", ("2012-06", "2012-06"), None),
        ("m0", "t2", "M0", None, None),
    ]:
        b.request(member, ref, module, priority=1, window=window, max_travel_min=travel)
    plan = solve_and_check(b.build(), solver, tmp_path)
    assert stage(plan, "served") == 21  # 7 trainees of priority 1 (weight 3)
