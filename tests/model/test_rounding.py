"""Controlled rounding of funding tables (rounding.py): rows exact, columns within their limits."""

from __future__ import annotations

import math
from collections import defaultdict
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from planner.model.rounding import round_table


def _column_totals(rows) -> dict[str, Fraction]:
    totals: dict[str, Fraction] = defaultdict(Fraction)
    for _, amounts in rows:
        for col, a in amounts.items():
            totals[col] += a
    return totals


def test_three_thirds_fit_an_envelope_of_exactly_their_sum():
    # each row: 1000 cents, a third to the line, the rest own; one row at a time would round the
    # line up to 334 three times (1002 > 1000)
    rows = [(1000, {"line": Fraction(1000, 3), "own": Fraction(2000, 3)})] * 3
    out = round_table(rows, {"line": 1000})
    assert all(sum(r.values()) == 1000 for r in out)
    assert sum(r["line"] for r in out) == 1000
    assert sorted(r["line"] for r in out) == [333, 333, 334]


def test_a_column_at_its_limit_gets_no_extra_cent():
    rows = [(3, {"a": Fraction(3, 2), "b": Fraction(3, 2)}), (3, {"a": Fraction(3, 2), "b": Fraction(3, 2)})]
    out = round_table(rows, {"a": 3, "b": 3})
    assert [r["a"] + r["b"] for r in out] == [3, 3]
    assert sum(r["a"] for r in out) == 3 and sum(r["b"] for r in out) == 3


@st.composite
def tables(draw):
    """Rows of a cost split between up to four columns by random shares; limits at the exact
    column totals rounded up, or exactly at them when they are whole."""
    columns = ["l1", "l2", "l3", "own"]
    rows = []
    for _ in range(draw(st.integers(1, 12))):
        cost = draw(st.integers(0, 100_000))
        weights = draw(st.lists(st.integers(0, 1_000_000), min_size=4, max_size=4).filter(any))
        total = sum(weights)
        rows.append((cost, {c: Fraction(cost * w, total) for c, w in zip(columns, weights) if w}))
    return rows


@given(tables(), st.sets(st.sampled_from(["l1", "l2", "l3", "own"])))
def test_rows_exact_amounts_within_a_cent_columns_within_limits(rows, limited):
    limits = {c: math.ceil(t) for c, t in _column_totals(rows).items() if c in limited}
    out = round_table(rows, limits)
    for (cost, amounts), cents in zip(rows, out):
        assert sum(cents.values()) == cost
        assert all(math.floor(a) <= cents[c] <= math.ceil(a) for c, a in amounts.items())
    for col, limit in limits.items():
        assert sum(r.get(col, 0) for r in out) <= limit


def test_limits_the_exact_table_breaks_still_give_exact_rows():
    # the exact line total (2 × 0.6) is above its limit of 1 and own funds have none left: the
    # rows still add up, each amount within a cent, the line at its limit as far as it can
    rows = [(1, {"line": Fraction(3, 5), "own": Fraction(2, 5)})] * 2
    out = round_table(rows, {"line": 1, "own": 0})
    assert [sum(r.values()) for r in out] == [1, 1]
    assert all(r["line"] in (0, 1) and r["own"] in (0, 1) for r in out)
    out = round_table(rows, {"line": 1, "own": 1})  # with room for a cent of own funds: all fit
    assert sorted((r["line"], r["own"]) for r in out) == [(0, 1), (1, 0)]
