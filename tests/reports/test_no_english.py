"""What a member structure or a funder receives has no English in it (issue 15): every rendered
document and every cell of the workbook of the isere-2012 plan, and an unmet table holding every
reason and every capacity cause, whatever English the solver wrote in ``detail``."""

from __future__ import annotations

import dataclasses
import re

import openpyxl
import pytest

from planner.domain.plan import StageOutcome, UnmetRequest
from planner.exports import write_calendars, write_plan_workbook
from planner.exports.xlsx import build_plan_workbook
from planner.plans.tables import UnmetRow
from planner.reports import french
from planner.reports import write_reports
from planner.reports.context import ReportData
from planner.reports.unmet import unmet_sentence

from .conftest import parse, text_of

# the solver's English, its jargon, and raw values: French text a reader gets holds none of them
ENGLISH = re.compile(
    r"\b(the|would|trainees?|exhausted|budget line|unmet|reachable|provider|venue|within|more|"
    r"nan|None|inf|HiGHS|lns|greedy|cpsat|large-neighbourhood|calculé par|EUR)\b|`|\w\((s|e|es|en)\)\w*",
    re.IGNORECASE)
CODE = re.compile(r"[a-z_]+")  # a column of codes (reason, cause) beside its French label

# the reasons of unmet.csv and the limits a capacity reason names (SPEC, issue 15)
REASONS = ("no_offer", "out_of_reach", "window", "below_min_fill", "budget", "own_funds", "capacity", "conflict")
CAPACITY_CAUSES = ("release_cap", "max_size", "provider_parallel", "venue_day")
# every reason, and capacity with each cause and without (plans written before causes)
CASES = [(r, "") for r in REASONS] + [("capacity", c) for c in CAPACITY_CAUSES]
# what the solver may have written: it must never reach the reader
ENGLISH_DETAIL = ("the 2 reachable session(s) of X are full: one more session would be needed; "
                  "budget line `agefos-ai` is exhausted: 371 EUR more would fund this trainee")


def english_in(text: str) -> list[str]:
    return sorted({m.group(0) for m in ENGLISH.finditer(text)})


def html_english(page) -> list[str]:
    """English in what a reader sees of an HTML document: its text and its tooltips."""
    root = parse(page)
    for hidden in [e for e in root.iter() if e.tag in ("style", "script")]:
        hidden.clear()
    return english_in(text_of(root) + " " + " ".join(e.get("title", "") for e in root.iter()))


def english_in_pages(folder) -> dict[str, list[str]]:
    return {page.name: words for page in sorted(folder.rglob("*.html")) if (words := html_english(page))}


def workbook_english(wb) -> set[str]:
    found: set[str] = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str) and not CODE.fullmatch(value):
                    found.update(english_in(value))
    return found


def test_the_pattern_catches_what_the_documents_used_to_say():
    for old in ("calculé par lns", "HiGHS 1.16.0 in a large-neighbourhood search", "stagiaire(s)", "nan",
                "permettrai(en)t", "jour(s)", "budget line `agefos-ai` is exhausted"):
        assert english_in(old), old


def test_rendered_documents_have_no_english(rendered):
    found = english_in_pages(rendered)
    assert not found, found


def test_the_workbook_has_no_english(isere, tmp_path):
    scenario, plan, _ = isere
    path = write_plan_workbook(scenario, plan, tmp_path / "plan.xlsx")
    assert not workbook_english(openpyxl.load_workbook(path))


def test_the_calendars_have_no_english(isere, tmp_path):
    scenario, plan, _ = isere
    write_calendars(scenario, plan, tmp_path)
    found = {}
    for path in sorted(tmp_path.rglob("*.ics")):
        unfolded = path.read_text(encoding="utf-8").replace("\r\n ", "")
        text = "\n".join(line.split(":", 1)[1] for line in unfolded.splitlines()
                         if line.startswith(("SUMMARY", "DESCRIPTION", "LOCATION", "CATEGORIES", "NAME", "X-WR-CAL")))
        if words := english_in(text):
            found[path.name] = words
    assert not found, found


@pytest.fixture(scope="module")
def every_reason(isere):
    """The isere plan with one unmet row per reason and capacity cause, on requests the plan leaves
    unserved, each with the solver's English as its detail."""
    scenario, plan, _ = isere
    served = {r for s in plan.sessions for r in s.requests}
    free = [r.index for r in scenario.requests if r.index not in served][:len(CASES)]
    assert len(free) == len(CASES)
    unmet = [UnmetRequest(r, reason, ENGLISH_DETAIL, cause) for r, (reason, cause) in zip(free, CASES)]
    members = sorted({scenario.requests[r].member_id for r in free})
    return scenario, dataclasses.replace(plan, unmet=unmet), members


def test_member_documents_say_every_reason_in_french(every_reason, tmp_path):
    scenario, plan, members = every_reason
    write_reports(scenario, plan, None, tmp_path, territories=[], funders=[], members=members, pdf=False)
    found = english_in_pages(tmp_path)
    assert not found, found
    shown = {(e.get("data-reason"), e.get("data-cause") or "") for page in tmp_path.glob("structure-*.html")
             for e in parse(page).iter() if e.tag == "tr" and e.get("data-reason")}
    assert shown == set(CASES)


def test_the_workbook_says_every_reason_in_french(every_reason):
    scenario, plan, _ = every_reason
    assert not workbook_english(build_plan_workbook(scenario, plan))


@pytest.mark.parametrize("reason, cause", CASES)
def test_each_unmet_sentence_is_french_and_names_what_binds(isere, reason, cause):
    scenario, _, _ = isere
    request = scenario.requests[0]
    member = scenario.member[request.member_id]
    row = UnmetRow(request.member_id, request.trainee_ref, request.module_code, reason, ENGLISH_DETAIL, cause)
    sentence = unmet_sentence(scenario, row)
    assert sentence and not english_in(sentence), sentence
    assert request.member_id not in sentence.split()  # a structure by its name, never its id
    label = french.reason_label(reason, cause)
    assert not english_in(label) and label != reason
    if cause:
        assert label == french.CAUSE_LABELS[cause]
    if cause == "release_cap":
        assert member.name in sentence


def test_every_reason_and_cause_has_its_label():
    assert set(french.REASON_LABELS) == set(REASONS) and set(french.CAUSE_LABELS) == set(CAPACITY_CAUSES)


def test_the_capacity_causes_read_differently(isere):
    scenario, _, _ = isere
    r = scenario.requests[0]
    sentences = {unmet_sentence(scenario, UnmetRow(r.member_id, r.trainee_ref, r.module_code, "capacity", "", c))
                 for c in ("", *CAPACITY_CAUSES)}
    labels = {french.reason_label("capacity", c) for c in ("", *CAPACITY_CAUSES)}
    assert len(sentences) == len(labels) == 1 + len(CAPACITY_CAUSES)


def test_plurals_and_elision():
    assert (french.plural(0, "session"), french.plural(1, "stagiaire"), french.plural(3, "stagiaire")) == (
        "0 session", "1 stagiaire", "3 stagiaires")
    assert french.plural(2, "place externe possible", "places externes possibles") == "2 places externes possibles"
    assert french.de("octobre 2012") == "d'octobre 2012" and french.de("mars 2012") == "de mars 2012"
    assert french.de("ai04") == "d'ai04" and french.de("Échirolles") == "d'Échirolles"
    assert french.de("Le Relais Grésivaudan") == "du Relais Grésivaudan" and french.de("La Mure") == "de La Mure"
    assert french.elide("que", "il") == "qu'il" and french.elide("le", "hôpital") == "l'hôpital"


def test_unknown_figures_show_a_dash_and_amounts_their_cents(isere):
    scenario, plan, _ = isere
    stages = [StageOutcome("served", 75431.0, None, False), StageOutcome("public_cost", 476704.21, 0.0, False),
              StageOutcome("travel", float("nan"), float("nan"), False), StageOutcome("sessions", 0.0, 0.0, True)]
    view = ReportData(scenario, dataclasses.replace(plan, stages=stages)).overview()
    shown = [(s["label"], s["value"], s["bound"]) for s in view["stages"]]
    assert shown == [
        ("Heures-stagiaires pondérées par la priorité", "75\u202f431", "—"),
        ("Coût public", "476\u202f704,21\u00a0€", "—"),  # a zero bound under a cost proves nothing
        ("Temps de trajet (min)", "—", "—"),
        ("Nombre de sessions", "0", "0"),
    ]
