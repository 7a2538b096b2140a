"""French wording: amounts, months, dates, and the solver's sentences about unmet requests."""

from __future__ import annotations

from datetime import date

import pytest

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


# one sentence of each shape that planner.explain.unmet and planner.explain.relaxation write
SENTENCES = [
    "no provider offers X-1: an offer in a territory would open it",
    "no venue offering X-1 within 45 min of La Mure: a venue closer by, or a longer travel limit, would open it",
    "X-1 lasts 4 month(s), which no allowed start fits in 2012-09..2012-11",
    "no session of X-1 could open within reach in its window: more trainees nearby (or external seats) would be "
    "needed to reach min_fill",
    "the 2 reachable session(s) of X-1 are full: one more session would be needed",
    "trainee T002's months are taken by another session: a later window would help",
    "ai04 reaches its release cap of 3 trainees in those months",
    "ai04's own funds are used up (4,990.00 of 5,000.00 EUR): more own funds would fund this trainee",
    "budget line(s) agefos-ai, region-mobilite exhausted: a larger envelope would fund this trainee",
    "funding rules and envelopes leave this trainee's cost unpaid",
    "5 unmet trainee(s) within reach of Vienne want X-1 from 2012-03; 3 more would open a session (min_fill 8)",
    "5 unmet trainee(s) within reach of Vienne want X-1 from 2012-03; 1 more, or 1 external seat(s), would open a "
    "session (min_fill 6)",
    "budget line `agefos-ai` is exhausted: 1,234 EUR more, `region-ai` is exhausted: 56 EUR more would fund this "
    "trainee",
    "`agefos-ai`, `region-ai` exhausted: a larger envelope would let the plan fund this trainee",
    "ai04's own funds (5,000 EUR) are used up: about 420 EUR more would pay this trainee's share that no rule covers",
    "ai04 already releases its cap of 3 trainee(s) a month in 2012-03..2012-05: a higher cap or another month would "
    "serve this trainee",
    "provider logi already runs its 2 session(s) a month in 2012-03: one more parallel session would serve this "
    "trainee",
    "trainee T002's months 2012-03..2012-06 are taken by another of their sessions: a wider window would serve both",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_every_solver_sentence_has_a_french_version(sentence):
    text, translated = french.translate_detail(sentence)
    assert translated, sentence
    for english in (" would ", " the ", " trainee ", "EUR", "2012-0"):
        assert english not in text, (english, text)


def test_an_unknown_sentence_is_kept_as_it_is():
    assert french.translate_detail("something new happened") == ("something new happened", False)
