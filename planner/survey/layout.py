"""The survey workbook's layout, shared by the template writer and the merger.

One place says which French heading stands for which SPEC §1 ``survey.csv`` column, which
sheets exist and where data rows start, so that :mod:`planner.survey.template` and
:mod:`planner.survey.merge` cannot drift apart.
"""

from __future__ import annotations

import re

from planner.domain import Family
from planner.ingestion.loader import COLUMNS

REQUIRED, OPTIONAL = COLUMNS["survey"]
SPEC_COLUMNS: tuple[str, ...] = REQUIRED + OPTIONAL  # survey.csv column order (SPEC §1)

# what a person reads in row 1 of the "Demandes" sheet, per SPEC column
HEADINGS: dict[str, str] = {
    "member_id": "Structure (member_id)",
    "trainee_ref": "Salarié (référence anonyme)",
    "module_code": "Module (code)",
    "priority": "Priorité (1 haute – 3 basse)",
    "available_from": "Disponible à partir de (AAAA-MM)",
    "available_to": "Disponible jusqu'à (AAAA-MM)",
    "max_travel_min": "Trajet max (minutes)",
}
assert tuple(HEADINGS) == SPEC_COLUMNS

FAMILY_FR: dict[Family, str] = {
    Family.SHORT: "court",
    Family.KEY_SKILLS: "compétences clés",
    Family.QUALIFYING: "qualifiant",
}

SHEET_INSTRUCTIONS = "Instructions"
SHEET_REQUESTS = "Demandes"
SHEET_CATALOGUE = "Catalogue"
SHEET_LISTS = "Listes"  # hidden: drop-down lists
SHEET_META = "_planner"  # hidden: key/value metadata (format, version, scenario id, member id)

HEADING_ROW = 1  # French headings
KEY_ROW = 2  # hidden row: SPEC column names, the merge's primary mapping
FIRST_DATA_ROW = 3

FORMAT = "planner-survey"
FORMAT_VERSION = "1"

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_QUOTES = re.compile(r"[\u2018\u2019\u02bc`´]")
_SPACES = re.compile(r"\s+")


def normalize_heading(text: str) -> str:
    """Heading text compared loosely: case, spacing, typographic dashes and apostrophes ignored."""
    text = _QUOTES.sub("'", _DASHES.sub("-", text.replace("\u00a0", " ")))
    return _SPACES.sub(" ", text).strip().casefold()


_BY_HEADING: dict[str, str] = {normalize_heading(h): c for c, h in HEADINGS.items()} | {
    normalize_heading(c): c for c in SPEC_COLUMNS
}


def column_for_heading(text: str) -> str | None:
    """The SPEC column a heading (French or the SPEC name itself) stands for, or None."""
    return _BY_HEADING.get(normalize_heading(text))


def known_headings() -> list[str]:
    """Every heading the merge understands, for "did you mean" suggestions."""
    return list(HEADINGS.values()) + list(SPEC_COLUMNS)
