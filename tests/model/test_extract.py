"""From variable values to a plan (extract.py): balanced sessions and funding rows to the cent."""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scenario_builder import base

from planner.model.build import build_model
from planner.model.extract import _split, extract_funding, extract_sessions, integer_values, session_costs
from planner.solvers import solve

# --- sessions ----------------------------------------------------------------------------------


@given(st.integers(1, 8), st.integers(1, 12), st.integers(0, 12), st.data())
def test_split_is_balanced_and_within_limits(n, min_fill, extra, data):
    max_size = min_fill + extra
    total = data.draw(st.integers(n * min_fill, n * max_size))
    parts = _split(total, n)
    assert sum(parts) == total and len(parts) == n
    assert max(parts) - min(parts) <= 1
    assert all(min_fill <= p <= max_size for p in parts)


def _values(bm, assign: dict[int, int], sessions: dict[int, int], external: dict[int, int] | None = None):
    """A value vector: x[g, c] = assign[g] in cell c where sessions[c] > 0, n and e as given."""
    values = [0.0] * bm.lm.num_vars
    for ci, n in sessions.items():
        values[bm.n[ci]] = n
    for ci, e in (external or {}).items():
        values[bm.e[ci]] = e
    for g, count in assign.items():
        (ci,) = [c for c in sessions if (g, c) in bm.x]
        values[bm.x[(g, ci)]] = count
    return values


def test_cell_with_n_sessions_splits_evenly():
    # 11 requests, min_fill 3, max_size 4, one cell with 3 sessions: 4 + 4 + 3
    sc = base(min_fill=3, max_size=4, start="2012-01", end="2012-01").requests_for("A", "M", 11).build()
    bm = build_model(sc)
    assert len(bm.candidates.cells) == 1 and len(bm.candidates.groups) == 1
    sessions = extract_sessions(bm, _values(bm, {0: 11}, {0: 3}))
    assert [len(s.requests) for s in sessions] == [4, 4, 3]
    assert sorted(r for s in sessions for r in s.requests) == list(range(11))  # each request once
    assert [s.id for s in sessions] == ["S0001", "S0002", "S0003"]


def test_external_seats_spread_over_sessions():
    # 5 requests + 3 external seats in 2 sessions (min_fill 4, max_size 4): 4 + 4, externals 2 + 1
    sc = base(min_fill=4, max_size=4, external_seats_max=2, start="2012-01", end="2012-01")
    sc = sc.requests_for("A", "M", 5).build()
    bm = build_model(sc)
    sessions = extract_sessions(bm, _values(bm, {0: 5}, {0: 2}, {0: 3}))
    assert [(len(s.requests), s.external_seats) for s in sessions] == [(2, 2), (3, 1)]
    for s in sessions:
        assert 4 <= len(s.requests) + s.external_seats <= 4
        assert s.external_seats <= 2


def test_groups_spread_over_cells_without_reuse():
    # one group of 6, 3 in January and 3 in March
    sc = base(min_fill=3, start="2012-01", end="2012-03").requests_for("A", "M", 6).build()
    bm = build_model(sc)
    jan, mar = (c.index for c in sorted(bm.candidates.cells, key=lambda c: c.start) if c.start % 12 in (0, 2))
    values = [0.0] * bm.lm.num_vars
    values[bm.n[jan]] = values[bm.n[mar]] = 1
    values[bm.x[(0, jan)]] = values[bm.x[(0, mar)]] = 3
    sessions = extract_sessions(bm, values)
    assert sorted(len(s.requests) for s in sessions) == [3, 3]
    assert sorted(r for s in sessions for r in s.requests) == list(range(6))


def test_integer_values_round_only_integer_variables():
    sc = base(funded=False).line("reg", "region").rule("reg", share_min=0.2, share_max=0.8)
    sc = sc.member("A", own_funds_eur=1000).requests_for("A", "M", 2).build()
    bm = build_model(sc)
    raw = [0.9999999 if integer else 1234.5 for integer in bm.lm.integer]
    out = integer_values(bm, raw)
    assert all(v == 1 for v, i in zip(out, bm.lm.integer) if i)
    assert all(v == 1234.5 for v, i in zip(out, bm.lm.integer) if not i)


# --- funding rows -----------------------------------------------------------------------------


def _assert_rows_sum_exactly(sc, plan):
    paid = defaultdict(int)
    for f in plan.funding:
        if f.session_id:
            paid[(f.session_id, f.member_id, f.cost_item)] += f.amount_cents
            assert f.amount_cents > 0
    expected = {}
    for s in plan.sessions:
        for (member_id, item), cents in session_costs(sc, s).items():
            expected[(s.id, member_id, item.value)] = cents
    assert paid == expected


def _awkward(shares: str):
    """Costs and shares that do not divide evenly: 13 h at 10.33 EUR/h (134.29 EUR), shares 1/3 and
    variable 0.15..0.65, travel allowance 0.33 EUR/km over 13.7 km, wage 9.87 EUR/h, engineering
    100.01 EUR split over 3 members."""
    b = base(hours=13, module_rate=10.33, min_fill=3, engineering_eur_per_session=100.01,
             allowance_eur_per_km=0.33, allowance_threshold_km=5, funded=False)
    b.line("reg", "region").line("dept", "dept", envelope_eur=10_000)
    if shares == "fixed":
        b.rule("reg", share=1 / 3).rule("dept", share=0.3333)
    else:
        b.rule("reg", share_min=0.15, share_max=0.65).rule("dept", share=0.1)
    b.rule("reg", "travel", share=0.5).rule("dept", "wage", share=0.25).rule("reg", "engineering", share=0.7)
    for mem in ("A", "B", "C"):
        b.member(mem, own_funds_eur=1_000, wage_eur_per_hour=9.87).leg(mem, "V", 16, 13.7)
    return b.requests_for("A", "M", 2).requests_for("B", "M", 1).requests_for("C", "M", 4).build()


@pytest.mark.parametrize("shares", ["fixed", "variable"])
def test_funding_rows_sum_exactly_to_costs(shares):
    sc = _awkward(shares)
    plan = solve(sc, solver="highs", time_limit=20, workers=1)
    assert sum(len(s.requests) for s in plan.sessions) == 7
    _assert_rows_sum_exactly(sc, plan)


def test_engineering_split_sums_to_the_session_amount():
    sc = _awkward("fixed")
    plan = solve(sc, solver="highs", time_limit=20, workers=1)
    for s in plan.sessions:
        eng = sum(c for (mid, item), c in session_costs(sc, s).items() if item.value == "engineering")
        assert eng == 10001


def test_extract_funding_direct_on_a_hand_solution():
    # one session of A (2) and B (1); fixed 1/3 on pedagogy: rows must still add up to the cent
    b = base(funded=False, hours=13, module_rate=10.33, min_fill=3, start="2012-01", end="2012-01")
    b.line("reg", "region").rule("reg", share=1 / 3).member("A", own_funds_eur=500).member("B", own_funds_eur=500)
    sc = b.requests_for("A", "M", 2).requests_for("B", "M", 1).build()
    bm = build_model(sc)
    values = [0.0] * bm.lm.num_vars
    (cell,) = bm.candidates.cells
    values[bm.n[cell.index]] = 1
    for g in bm.candidates.groups:
        values[bm.x[(g.index, cell.index)]] = g.count
    sessions = extract_sessions(bm, values)
    from planner.domain.plan import Plan, SolveStatus

    plan = Plan(sc.id, "", "hand", "", SolveStatus.OPTIMAL, sessions=sessions,
                funding=extract_funding(bm, values, sessions))
    _assert_rows_sum_exactly(sc, plan)
    reg = {f.member_id: f.amount_cents for f in plan.funding if f.line_id == "reg"}
    # pedagogy 13 h × 10.33 = 134.29 EUR per trainee; the share is 333333 ppm: 89.5258.. of A's 268.58
    # and 44.7632.. of B's 134.29, each rounded to the nearer cent: the line's total 134.289 to
    # 134.29, A's own funds 179.0542 down, B's 89.5268 up
    assert reg == {"A": 8953, "B": 4476}
    own = {f.member_id: f.amount_cents for f in plan.funding if f.line_id == "own"}
    assert own == {"A": 26858 - 8953, "B": 13429 - 4476}


@settings(max_examples=15, deadline=None)
@given(st.sampled_from([1 / 3, 0.2857, 0.5, 0.7]), st.sampled_from([0.0, 0.1, 0.15]), st.integers(3, 9),
       st.sampled_from([0, 37.77, 100.01]))
def test_funding_rows_exact_random(fixed, variable_min, n, engineering):
    b = base(funded=False, hours=10.5, module_rate=11.11, min_fill=3, max_size=4,
             engineering_eur_per_session=engineering, start="2012-01", end="2012-02")
    b.line("reg", "region").rule("reg", share=fixed)
    b.line("var", "other").rule("var", share_min=variable_min, share_max=1 - fixed)
    if engineering:
        b.rule("reg", "engineering", share=fixed)
    b.member("A", own_funds_eur=40).member("B", own_funds_eur=3)
    sc = b.requests_for("A", "M", n - n // 2).requests_for("B", "M", n // 2).build()
    plan = solve(sc, solver="highs", time_limit=10, workers=1)
    _assert_rows_sum_exactly(sc, plan)
