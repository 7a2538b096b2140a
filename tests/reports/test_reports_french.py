"""French wording: amounts, months and dates (unmet sentences: test_no_english.py)."""

from __future__ import annotations

from datetime import date

from planner.reports import french

NNBSP, NBSP = "\u202f", "\u00a0"


def test_amounts_and_numbers():
    assert french.eur_cents(123456) == f"1{NNBSP}234,56{NBSP}€"
    assert french.eur_cents(5) == f"0,05{NBSP}€"
    assert french.eur_cents(-100000) == f"-1{NNBSP}000,00{NBSP}€"
    assert french.eur_cents(123456789) == f"1{NNBSP}234{NNBSP}567,89{NBSP}€"
    assert french.number(1234.5, 1) == f"1{NNBSP}234,5"
    assert french.percent(1, 3) == f"33,3{NBSP}%"
    assert french.percent(1, 0) == "—"
    assert french.hours(42997.0) == f"42{NNBSP}997{NBSP}h"


def test_months_and_dates():
    assert french.month_label(2012 * 12 + 2) == "mars 2012"
    assert french.month_span(2012 * 12 + 2, 2012 * 12 + 4) == "mars à mai 2012"
    assert french.month_span(2012 * 12 + 11, 2013 * 12) == "décembre 2012 à janvier 2013"
    assert french.day_label(date(2026, 11, 26)) == "26 novembre 2026"
    assert french.day_label(date(2012, 3, 1)) == "1er mars 2012"
    assert french.date_span(date(2012, 3, 5), date(2012, 3, 9)) == "du 5 au 9 mars 2012"
    assert french.date_span(date(2012, 2, 28), date(2012, 3, 2)) == "du 28 février au 2 mars 2012"
    assert french.date_span(date(2012, 3, 5), date(2012, 3, 5)) == "le 5 mars 2012"
    assert french.days_by_month([date(2012, 3, 1), date(2012, 3, 2), date(2012, 4, 3)]) == \
        "mars 2012 : 1er, 2 ; avril 2012 : 3"


def test_short_month_spans_fit_a_narrow_column():
    assert french.month_span_short(2012 * 12, 2012 * 12) == "janv. 2012"
    assert french.month_span_short(2012 * 12 + 8, 2012 * 12 + 10) == "sept.–nov. 2012"
    assert french.month_span_short(2012 * 12 + 11, 2013 * 12) == "déc. 2012–janv. 2013"
