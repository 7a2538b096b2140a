"""Merge members' filled survey workbooks into one ``survey.csv`` (``planner survey merge``).

Inputs are workbooks made by :mod:`planner.survey.template` (sheet ``Demandes``) and CSV files
with the SPEC §1 ``survey.csv`` columns (a workbook saved as CSV works too).

Columns are found by the template's hidden row 2 of SPEC names when it is there, else by the
headings of row 1, French (``Module (code)``) or SPEC (``module_code``), compared loosely
(:func:`planner.survey.layout.column_for_heading`); columns may come in any order. A problem
names the column as the person sees it (``C: Module (code)`` in a workbook).

Every row is validated exactly as the scenario loader validates ``survey.csv``
(:func:`planner.ingestion.loader.parse_survey`: unknown member or module with the closest id,
bad month, priority outside 1..3, window ending before it starts, ...). Then, across rows and
files (a *conflict is an error unless the rows are identical*):

- **a member in two files** (a member submitted twice): an error, because the later file is
  usually a corrected version and merging both would keep stale requests, unless the member's
  rows are identical in both files, in which case they are kept once and a note says so;
- **duplicate request** (same member_id, trainee_ref, module_code on two rows): an error when
  the rows differ in any column, a note (kept once) when they are identical;
- **one trainee, differing availability windows** (same member_id and trainee_ref, effective
  windows after defaults differ): an error, since a trainee's availability is one period;
  ``allow_differing_windows=True`` turns it into a note (SPEC §1 allows per-row windows);
- a row of another member in a workbook issued to one member (``--member``): an error.

Nothing is dropped silently: a row not written is either in an error (and then nothing is
written at all) or in a note. Rows of a member workbook holding only the pre-filled member id
are empty rows, as are rows with no value at all.
"""

from __future__ import annotations

import csv
import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from planner.domain import Request, Scenario
from planner.domain.errors import Problem
from planner.ingestion.config import Settings
from planner.ingestion.loader import parse_survey
from planner.ingestion.tables import Table, cell_text, closest, read_rows, table_from_rows
from planner.ingestion.wording import FRENCH
from planner.domain.months import format_month
from planner.survey.files import write_atomically
from planner.survey.layout import (
    FORMAT,
    HEADINGS,
    REQUIRED,
    SHEET_META,
    SHEET_REQUESTS,
    SPEC_COLUMNS,
    column_for_heading,
    known_headings,
)

RawRows = list[tuple[int, list[str]]]


@dataclass
class FileSummary:
    """What was read from one input file."""

    file: str  # the name used in problems
    path: Path
    rows: int = 0  # non-empty data rows
    kept: int = 0  # rows written to the output
    member_id: str | None = None  # the member a template was issued to
    scenario_id: str | None = None  # the scenario a template was made from


@dataclass
class MergeResult:
    """Merged rows (SPEC columns, text), errors, notes and per-file counts."""

    rows: list[dict[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # errors: nothing may be written
    notes: list[Problem] = field(default_factory=list)  # warnings: rows kept once, empty files, ...
    files: list[FileSummary] = field(default_factory=list)
    missing_members: list[str] = field(default_factory=list)  # scenario members without any row
    written: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def rows_per_member(self) -> dict[str, int]:
        return dict(Counter(row["member_id"] for row in self.rows))


@dataclass
class _Row:
    """One data row; ``request`` is None when a cell of it has a problem (it still counts in duplicates)."""

    source: int  # index of its file
    line: int
    values: dict[str, str]  # SPEC column -> normalised text (as typed when the row is invalid)
    request: Request | None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.values["member_id"], self.values["trainee_ref"], self.values["module_code"])

    def signature(self) -> tuple[str, ...]:
        return tuple(self.values[c] for c in SPEC_COLUMNS)


@dataclass
class _Source:
    summary: FileSummary
    header: list[str]  # SPEC column per position ("" = ignored)
    display: dict[str, str]  # SPEC column -> how the file shows it
    body: RawRows


def merge_workbooks(scenario: Scenario, paths: Sequence[str | Path], *,
                    allow_differing_windows: bool = False) -> MergeResult:
    """Read, validate and merge survey files; see the module docstring for the rules."""
    result = MergeResult()
    paths = _unique_paths([Path(p) for p in paths], result.notes)
    names = _display_names(paths)
    settings = Settings(id=scenario.id, horizon_start=scenario.horizon_start, horizon_end=scenario.horizon_end)
    rows: list[_Row] = []
    displays: list[dict[str, str]] = []
    for index, path in enumerate(paths):
        summary = FileSummary(names[index], path)
        result.files.append(summary)
        displays.append({c: c for c in SPEC_COLUMNS})
        source = _read_source(summary, result.problems)
        if source is None:
            continue
        displays[index] = source.display
        if scenario.id and summary.scenario_id and summary.scenario_id != scenario.id:
            result.notes.append(Problem(summary.file, f"classeur préparé pour le scénario « {summary.scenario_id} », "
                                        f"fusionné dans « {scenario.id} »", expected="un modèle de ce scénario"))
        rows.extend(_validate(scenario, settings, index, source, result))
        if summary.rows == 0:
            result.notes.append(Problem(summary.file, "aucune ligne de demande", expected="des lignes dans la feuille "
                                        "Demandes (une structure sans besoin peut envoyer un classeur vide)"))
    kept = _cross_checks(rows, result, displays, allow_differing_windows)
    result.rows = [row.values for row in kept]
    for row in kept:
        result.files[row.source].kept += 1
    answered = {row.values["member_id"] for row in rows}
    result.missing_members = [m.id for m in scenario.members if m.id not in answered]
    order = {f.file: i for i, f in enumerate(result.files)}
    result.problems.sort(key=lambda p: (order.get(p.file, -1), p.row or 0))
    return result


def merge_to_csv(scenario: Scenario, paths: Sequence[str | Path], out: str | Path, *,
                 allow_differing_windows: bool = False) -> MergeResult:
    """Merge, then write ``out`` atomically only when there is no error (never on failure)."""
    out = Path(out)
    result = merge_workbooks(scenario, paths, allow_differing_windows=allow_differing_windows)
    if out.is_dir():
        result.problems.append(Problem(str(out), "la sortie est un dossier", expected="un chemin de fichier comme survey.csv"))
    elif any(_same_file(out, Path(p)) for p in paths):
        result.problems.append(Problem(str(out), "la sortie est l’un des fichiers lus", expected="un autre nom de fichier"))
    if result.ok:
        write_survey_csv(result.rows, out)
        result.written = out
    return result


def write_survey_csv(rows: Iterable[dict[str, str]], path: str | Path) -> Path:
    """Write rows with exactly the SPEC columns, UTF-8, via a temporary file and os.replace."""
    rows = list(rows)

    def write(tmp: Path) -> None:
        with tmp.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(SPEC_COLUMNS)
            for row in rows:
                writer.writerow([row.get(c, "") for c in SPEC_COLUMNS])

    return write_atomically(Path(path), write)


# --- reading -----------------------------------------------------------------------------

def _unique_paths(paths: list[Path], notes: list[Problem]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if any(_same_file(path, p) for p in out):
            notes.append(Problem(str(path), "fichier donné plusieurs fois : lu une seule fois"))
            continue
        out.append(path)
    return out


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _display_names(paths: list[Path]) -> list[str]:
    """File names, or the paths as given where two inputs share a name."""
    counts = Counter(p.name for p in paths)
    return [p.name if counts[p.name] == 1 else str(p) for p in paths]


def _read_source(summary: FileSummary, problems: list[Problem]) -> _Source | None:
    path, name = summary.path, summary.file
    if not path.is_file():
        problems.append(Problem(name, "fichier introuvable", expected="un fichier .xlsx ou .csv existant"))
        return None
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        raw = _read_workbook(summary, problems)
        letters = True
    elif suffix == ".csv":
        read = read_rows(path, name, problems, words=FRENCH)
        raw = None if read is None else [(1, read[0])] + read[1]
        letters = False
    else:
        problems.append(Problem(name, f"type de fichier non pris en charge : « {suffix or '(aucun)'} »",
                                expected="un classeur d’enquête (.xlsx) ou un fichier CSV aux colonnes de survey.csv"))
        return None
    if raw is None:
        return None
    return _map_columns(summary, raw, letters, problems)


def _read_workbook(summary: FileSummary, problems: list[Problem]) -> RawRows | None:
    import openpyxl

    try:
        # read-only: only the sheets read are parsed (a template's catalogue can be large)
        wb = openpyxl.load_workbook(summary.path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises a zoo of exceptions on broken workbooks
        problems.append(Problem(summary.file, f"classeur illisible : {exc}", expected="un fichier .xlsx valide"))
        return None
    try:
        if SHEET_META in wb.sheetnames:
            meta = {cell_text(key): cell_text(value)
                    for key, value in wb[SHEET_META].iter_rows(max_col=2, values_only=True) if key is not None}
            if meta.get("format") == FORMAT:
                summary.member_id = meta.get("member_id") or None
                summary.scenario_id = meta.get("scenario_id") or None
        names = {n.casefold(): n for n in wb.sheetnames}
        sheet = names.get(SHEET_REQUESTS.casefold()) or names.get("survey") or wb.sheetnames[0]
        ws = wb[sheet]
        ws.reset_dimensions()  # a stale <dimension> would silently cut rows off; missing rows come back empty
        return [(i, [cell_text(v) for v in cells]) for i, cells in enumerate(ws.iter_rows(values_only=True), start=1)]
    finally:
        wb.close()


def _map_columns(summary: FileSummary, raw: RawRows, letters: bool, problems: list[Problem]) -> _Source | None:
    """Find which SPEC column each position holds (hidden key row first, else headings)."""
    from openpyxl.utils import get_column_letter

    name = summary.file
    if not raw or not any(c for c in raw[0][1]):
        problems.append(Problem(name, "pas de ligne d’en-tête", row=1,
                                expected=f"les en-têtes {', '.join(HEADINGS.values())} (ou {', '.join(SPEC_COLUMNS)})"))
        return None
    headings = raw[0][1]

    def shown(i: int, spec: str | None) -> str:
        text = headings[i] if i < len(headings) and headings[i] else (spec or "")
        return f"{get_column_letter(i + 1)}: {text}" if letters else text

    keys = raw[1][1] if len(raw) > 1 else []
    filled = [c for c in keys if c]
    with_keys = bool(filled) and all(c in SPEC_COLUMNS for c in filled) and set(REQUIRED) <= set(filled)
    header_line, body = (raw[1][0], raw[2:]) if with_keys else (raw[0][0], raw[1:])
    header: list[str] = []
    for i in range(max(len(headings), len(keys) if with_keys else 0)):
        text = headings[i] if i < len(headings) else ""
        column = keys[i] if with_keys and i < len(keys) and keys[i] else (column_for_heading(text) if text else None)
        if text and column is None:  # e.g. a column a person added: its values would be lost
            problems.append(Problem(name, "colonne inconnue", row=raw[0][0], column=shown(i, None), value=text,
                                    expected=f"l’un des en-têtes {', '.join(HEADINGS.values())}",
                                    suggestion=closest(text, known_headings())))
        header.append(column or "")
    display: dict[str, str] = {}
    bad = False
    for i, column in enumerate(header):
        if not column:
            continue
        if column in display:
            problems.append(Problem(name, "colonne en double", row=header_line, column=shown(i, column),
                                    expected="chaque colonne une seule fois"))
            header[i] = ""
            bad = True
            continue
        display[column] = shown(i, column)
    for column in REQUIRED:
        if column not in display:
            problems.append(Problem(name, "colonne obligatoire absente", row=header_line, column=HEADINGS[column],
                                    expected=f"une colonne intitulée « {HEADINGS[column]} » (ou « {column} »)"))
            bad = True
    for column in SPEC_COLUMNS:
        display.setdefault(column, HEADINGS[column] if letters else column)
    if bad:
        return None
    # values under a column without heading would be lost: say so
    for line, cells in body:
        for i, cell in enumerate(cells[:len(header)]):
            if cell and not header[i] and not (i < len(headings) and headings[i]):
                problems.append(Problem(name, "valeur dans une colonne sans en-tête", row=line, column=shown(i, None),
                                        value=cell, expected=f"des valeurs sous les en-têtes {', '.join(HEADINGS.values())} seulement"))
    return _Source(summary, header, display, body)


# --- validation --------------------------------------------------------------------------

def _is_blank(cells: list[str], header: list[str], member_id: str | None) -> bool:
    """No value, or (in a member's workbook) nothing but the pre-filled member id."""
    for i, cell in enumerate(cells):
        if not cell:
            continue
        column = header[i] if i < len(header) else ""
        if column == "member_id" and member_id is not None and cell == member_id:
            continue
        return False
    return True


def _validate(scenario: Scenario, settings: Settings, index: int, source: _Source, result: MergeResult) -> list[_Row]:
    summary, name = source.summary, source.summary.file
    body = [(line, cells) for line, cells in source.body if not _is_blank(cells, source.header, summary.member_id)]
    summary.rows = len(body)
    problems: list[Problem] = []
    table = table_from_rows(name, source.header, body, REQUIRED, tuple(c for c in SPEC_COLUMNS if c not in REQUIRED),
                            problems, FRENCH)
    out: list[_Row] = []
    for line, row in table.rows:
        before = len(problems)
        requests = parse_survey(Table(name, table.columns, [(line, row)]), scenario.member, scenario.module,
                                settings, problems, words=FRENCH)
        values = {c: row.get(c, "") for c in SPEC_COLUMNS}
        if len(problems) > before or not requests:
            # still compared with the other rows, so that a duplicate shows now, not once this row is fixed
            out.append(_Row(index, line, values, None))
            continue
        request = requests[0]
        if summary.member_id is not None and request.member_id != summary.member_id:
            problems.append(Problem(name, f"ligne de la structure « {request.member_id} » dans le classeur de la structure "
                                    f"« {summary.member_id} »", row=line, column="member_id", value=request.member_id,
                                    expected=f"« {summary.member_id} » : une structure ne répond que pour elle-même"))
            continue
        # numbers in canonical form ("1.0" -> "1"); empty cells stay empty (defaults are the loader's job)
        if values["priority"]:
            values["priority"] = str(request.priority)
        if values["max_travel_min"]:
            values["max_travel_min"] = str(request.max_travel_min)
        if request.available_to < scenario.horizon_start or request.available_from > scenario.horizon_end:
            result.notes.append(Problem(
                name, "disponibilité hors de la période du plan : cette demande ne peut pas être servie",
                row=line, column="available_from",
                value=f"{format_month(request.available_from)}..{format_month(request.available_to)}",
                expected=f"des mois de {format_month(scenario.horizon_start)} à {format_month(scenario.horizon_end)}"))
        out.append(_Row(index, line, values, request))
    result.problems.extend(_shown(_hint_numeric_ids(p, scenario), source.display) for p in problems)
    return out


def _hint_numeric_ids(p: Problem, scenario: Scenario) -> Problem:
    """'7' for member '007': a spreadsheet turned the id into a number."""
    if p.suggestion or not p.value or not p.value.isdigit() or p.column not in ("member_id", "module_code"):
        return p
    known = scenario.member if p.column == "member_id" else scenario.module
    match = next((k for k in known if k.isdigit() and int(k) == int(p.value)), None)
    if match is None:
        return p
    return dataclasses.replace(p, suggestion=match,
                               expected=f"{p.expected} (les codes sont du texte : mettez la colonne au format Texte pour garder les zéros de tête)")


def _shown(p: Problem, display: dict[str, str]) -> Problem:
    return dataclasses.replace(p, column=display.get(p.column, p.column)) if p.column else p


# --- checks across rows and files ----------------------------------------------------------

def _rows_text(lines: list[int]) -> str:
    return f"ligne {lines[0]}" if len(lines) == 1 else f"lignes {min(lines)} à {max(lines)}"


def _cross_checks(rows: list[_Row], result: MergeResult, displays: list[dict[str, str]],
                  allow_differing_windows: bool) -> list[_Row]:
    """Member-in-two-files, duplicates and window conflicts; returns the rows to write."""
    files = result.files

    def problem(row: _Row, column: str, message: str, expected: str | None = None, value: str | None = None) -> Problem:
        return Problem(files[row.source].file, message, row=row.line, column=displays[row.source][column],
                       value=row.values[column] if value is None else value, expected=expected)

    # 1. a member's rows in more than one file
    by_member: dict[str, dict[int, list[_Row]]] = {}
    for row in rows:
        by_member.setdefault(row.values["member_id"], {}).setdefault(row.source, []).append(row)
    excluded: set[int] = set()  # id() of rows not considered further
    for member, per_file in by_member.items():
        (first, base), *others = per_file.items()
        base_rows = Counter(r.signature() for r in base)
        base_keys = {r.key for r in base}
        where = f"{files[first].file} ({_rows_text([r.line for r in base])})"
        for _source, theirs in others:
            excluded.update(id(r) for r in theirs)
            if Counter(r.signature() for r in theirs) == base_rows:
                result.notes.append(problem(theirs[0], "member_id",
                                            f"structure « {member} » : ces {len(theirs)} lignes répètent exactement "
                                            f"celles de {where} ; gardées une fois"))
                continue
            overlap = sum(1 for r in theirs if r.key in base_keys)
            detail = (f" ; {overlap} de ses demandes sont dans les deux fichiers" if overlap > 1
                      else " ; une de ses demandes est dans les deux fichiers" if overlap else "")
            result.problems.append(problem(
                theirs[0], "member_id",
                f"structure « {member} » envoyée deux fois : elle a aussi des lignes dans {where}{detail}",
                expected="un fichier par structure : ne fusionner que son dernier classeur, ou les réunir en un seul"))

    # 2. duplicate requests, 3. differing windows of one trainee
    kept: list[_Row] = []
    seen: dict[tuple[str, str, str], _Row] = {}
    windows: dict[tuple[str, str], _Row] = {}
    for row in rows:
        if id(row) in excluded or not all(row.key):
            continue
        first = seen.get(row.key)
        if first is not None:
            if first.signature() == row.signature():
                result.notes.append(problem(row, "module_code", f"doublon identique de la ligne {first.line} : gardé une fois",
                                            value=f"{row.key[1]} / {row.key[2]}"))
            else:
                differ = ", ".join(displays[row.source][c] for c in SPEC_COLUMNS if first.values[c] != row.values[c])
                result.problems.append(problem(
                    row, "module_code",
                    f"demande en double : le salarié « {row.key[1]} » de « {row.key[0]} » demande déjà ce module "
                    f"ligne {first.line} ; les lignes diffèrent en {differ}", expected="une ligne par salarié et par module"))
            continue
        seen[row.key] = row
        if row.request is None:
            continue  # its problems are reported; its window and its place in the output wait for the fix
        trainee = (row.values["member_id"], row.values["trainee_ref"])
        other = windows.setdefault(trainee, row)
        r, o = row.request, other.request
        if (r.available_from, r.available_to) != (o.available_from, o.available_to):
            column = "available_from" if r.available_from != o.available_from else "available_to"
            here = f"{format_month(r.available_from)}..{format_month(r.available_to)}"
            there = f"{format_month(o.available_from)}..{format_month(o.available_to)}"
            p = problem(row, column, f"le salarié « {trainee[1]} » de « {trainee[0]} » est disponible {here} ici mais "
                        f"{there} ligne {other.line}", value=here,
                        expected="la même disponibilité sur toutes les lignes d’un salarié"
                        + ("" if allow_differing_windows else " (ou fusionner avec --allow-differing-windows)"))
            (result.notes if allow_differing_windows else result.problems).append(p)
        kept.append(row)
    return kept
