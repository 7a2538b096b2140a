"""Read a plan folder (SPEC §3) into plain records, turning every defect into a violation.

Nothing here raises on a bad plan: a missing file, a missing column, a ragged row or a cell
that does not parse becomes a ``file_format`` violation. Cells are read as text (the csv
module, no type inference), so ids like ``"007"`` stay strings; numbers are parsed here, money
through :func:`planner.domain.units.eur_to_cents`.

What is kept when a cell is bad:

* ``sessions.csv``: a row whose start/end month, trainees or external seats do not parse is
  dropped and its session id remembered in ``broken_sessions`` (later checks skip what refers
  to it instead of reporting it as unknown); bad ``hours`` or dates are kept as ``None``.
* ``assignments.csv``: bad (or empty) ``travel_min``/``road_km`` are kept as ``None``.
* ``funding.csv``: a row whose amount does not parse is dropped and its
  (session, member, cost item) remembered in ``broken_groups``.
* ``unmet.csv``: the optional ``cause`` column (absent in older plans) is kept as read; an unknown
  cause, or one given with a reason other than ``capacity``, is reported and the row kept.
* ``plan.json`` ``meeting_days`` (session id -> ISO dates): kept as ``None`` when the key is
  absent (or not an object); a session whose list is not a list of ISO dates is reported and
  remembered in ``broken_meeting_days`` (its date checks are skipped).
* A file that cannot be read at all (missing, undecodable, missing columns) is listed in
  ``unreadable`` and the checks that need it are skipped.
"""

from __future__ import annotations

import csv
import json
import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from planner.checker.report import Violation
from planner.domain.months import Month, parse_month
from planner.domain.units import eur_to_cents

SESSIONS = "sessions.csv"
ASSIGNMENTS = "assignments.csv"
FUNDING = "funding.csv"
UNMET = "unmet.csv"
PLAN_JSON = "plan.json"

COLUMNS: dict[str, tuple[str, ...]] = {
    SESSIONS: (
        "session_id", "module_code", "family", "provider_id", "venue_id", "territory_id",
        "start_month", "end_month", "hours", "trainees", "external_seats", "start_date", "end_date",
    ),
    ASSIGNMENTS: ("session_id", "member_id", "trainee_ref", "module_code", "travel_min", "road_km"),
    FUNDING: ("session_id", "member_id", "funder_id", "line_id", "cost_item", "amount_eur"),
    UNMET: ("member_id", "trainee_ref", "module_code", "reason", "detail"),  # and the optional "cause"
}
# what a capacity reason may name as its binding limit (unmet.csv's optional cause column)
CAPACITY_CAUSES = ("release_cap", "max_size", "provider_parallel", "venue_day")

SCHEMA_VERSION = 1
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True, slots=True)
class SessionRecord:
    row: int
    session_id: str
    module_code: str
    family: str
    provider_id: str
    venue_id: str
    territory_id: str
    start_month: Month
    end_month: Month
    hours: float | None
    trainees: int
    external_seats: int
    start_date: date | None
    end_date: date | None


@dataclass(frozen=True, slots=True)
class AssignmentRecord:
    row: int
    session_id: str
    member_id: str
    trainee_ref: str
    module_code: str
    travel_min: float | None
    road_km: float | None

    @property
    def trainee(self) -> tuple[str, str]:
        return (self.member_id, self.trainee_ref)

    @property
    def request_key(self) -> tuple[str, str, str]:
        return (self.member_id, self.trainee_ref, self.module_code)


@dataclass(frozen=True, slots=True)
class FundingRecord:
    row: int
    session_id: str
    member_id: str
    funder_id: str
    line_id: str
    cost_item: str
    amount_cents: int


@dataclass(frozen=True, slots=True)
class UnmetRecord:
    row: int
    member_id: str
    trainee_ref: str
    module_code: str
    reason: str
    detail: str
    cause: str = ""  # optional column: the binding limit of a capacity reason

    @property
    def request_key(self) -> tuple[str, str, str]:
        return (self.member_id, self.trainee_ref, self.module_code)


@dataclass(frozen=True, slots=True)
class StageRecord:
    name: str
    value: float
    bound: float | None
    gap: float | None
    proven: bool


@dataclass
class PlanFiles:
    """Everything read from a plan folder, plus the defects found while reading."""

    sessions: list[SessionRecord] = field(default_factory=list)
    assignments: list[AssignmentRecord] = field(default_factory=list)
    funding: list[FundingRecord] = field(default_factory=list)
    unmet: list[UnmetRecord] = field(default_factory=list)
    stages: list[StageRecord] = field(default_factory=list)
    meta: dict[str, object] = field(default_factory=dict)
    meeting_days: dict[str, list[date]] | None = None  # None: plan.json has no meeting_days object
    broken_meeting_days: set[str] = field(default_factory=set)
    broken_sessions: set[str] = field(default_factory=set)
    broken_groups: set[tuple[str, str, str]] = field(default_factory=set)
    unreadable: set[str] = field(default_factory=set)
    damaged: set[str] = field(default_factory=set)  # files with at least one row left out
    violations: list[Violation] = field(default_factory=list)

    def readable(self, *files: str) -> bool:
        return not any(f in self.unreadable for f in files)

    def intact(self, *files: str) -> bool:
        """Readable and no row left out."""
        return not any(f in self.unreadable or f in self.damaged for f in files)


class _Bad(ValueError):
    """A cell that does not parse; the message says what was expected."""


# --- cell parsers ------------------------------------------------------------------------------

def _int(text: str) -> int:
    t = text.strip()
    try:
        return int(t)
    except ValueError:
        pass
    try:
        f = float(t)
    except ValueError:
        raise _Bad("expected a whole number") from None
    if not math.isfinite(f) or not f.is_integer():
        raise _Bad("expected a whole number")
    return int(f)


def _float(text: str) -> float:
    try:
        f = float(text.strip())
    except ValueError:
        raise _Bad("expected a number") from None
    if not math.isfinite(f):
        raise _Bad("expected a finite number")
    return f


def _month(text: str) -> Month:
    try:
        return parse_month(text)
    except ValueError as exc:
        raise _Bad(str(exc)) from None


def _date(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise _Bad("expected an ISO date YYYY-MM-DD, or nothing") from None


def _cents(text: str) -> int:
    t = text.strip()
    try:
        f = float(t)
    except ValueError:
        raise _Bad("expected an amount in EUR, e.g. 123.45") from None
    if not math.isfinite(f) or abs(f) > 1e12:
        raise _Bad("expected a finite amount in EUR")
    try:
        return eur_to_cents(t)
    except (ValueError, ArithmeticError):
        raise _Bad("expected an amount in EUR, e.g. 123.45") from None


# --- tables ------------------------------------------------------------------------------------

class _Table:
    """One CSV file as a list of {column: text} rows with their 1-based row numbers."""

    def __init__(self, plan: PlanFiles, folder: Path, name: str):
        self.plan, self.name = plan, name
        self.rows: list[tuple[int, dict[str, str]]] = []
        self.ragged: list[dict[str, str]] = []  # rows with a wrong cell count, partly mapped
        path = folder / name
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                lines = list(csv.reader(handle))
        except FileNotFoundError:
            self._fail(f"{name} is missing from the plan folder")
            return
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            self._fail(f"{name} cannot be read as UTF-8 CSV ({exc})")
            return
        if not lines:
            self._fail(f"{name} is empty: it needs at least its header row")
            return
        header = [h.strip() for h in lines[0]]
        missing = [c for c in COLUMNS[name] if c not in header]
        if missing:
            self._fail(f"{name} lacks column(s) {', '.join(missing)}; expected {', '.join(COLUMNS[name])}", row=1)
            return
        named = [h for h in header if h]
        if len(set(named)) != len(named):
            repeated = sorted({h for h in named if named.count(h) > 1})
            self._fail(f"{name} repeats column(s) {', '.join(repeated)} in its header", row=1)
            return
        for number, cells in enumerate(lines[1:], start=2):
            if not cells or all(not c.strip() for c in cells) and len(cells) <= 1:
                continue  # blank line
            if len(cells) != len(header):
                self.bad(number, f"has {len(cells)} cells where the header has {len(header)}")
                self.ragged.append(dict(zip(header, cells)))
                continue
            self.rows.append((number, dict(zip(header, cells))))

    def _fail(self, message: str, row: int | None = None) -> None:
        self.plan.unreadable.add(self.name)
        self.plan.violations.append(Violation("file_format", message, file=self.name, row=row))

    def bad(self, row: int, message: str, column: str | None = None, value: str | None = None,
            dropped: bool = True) -> None:
        """Report a bad row or cell; ``dropped``: the row is left out of the plan records."""
        where = f"{self.name} row {row}" + (f", column {column}" if column else "")
        what = f" (value {value!r})" if value is not None else ""
        self.plan.violations.append(Violation("file_format", f"{where} {message}{what}", file=self.name, row=row))
        if dropped:
            self.plan.damaged.add(self.name)


def _parse(table: _Table, row: int, cells: dict[str, str], column: str, parser, dropped: bool = True):
    """Parse one cell; on failure report it and raise _Bad."""
    text = cells[column]
    try:
        return parser(text)
    except _Bad as exc:
        table.bad(row, str(exc), column, text, dropped)
        raise


def _optional(table: _Table, row: int, cells: dict[str, str], column: str, parser):
    """Parse a cell whose failure keeps the row (the value becomes None)."""
    try:
        return _parse(table, row, cells, column, parser, dropped=False)
    except _Bad:
        return None


def _read_sessions(plan: PlanFiles, folder: Path) -> None:
    table = _Table(plan, folder, SESSIONS)
    seen: dict[str, int] = {}
    plan.broken_sessions.update(cells["session_id"] for cells in table.ragged if "session_id" in cells)
    for row, cells in table.rows:
        sid = cells["session_id"]
        if not sid.strip():
            table.bad(row, "has an empty session_id", "session_id")
            continue
        try:
            start = _parse(table, row, cells, "start_month", _month)
            end = _parse(table, row, cells, "end_month", _month)
            trainees = _parse(table, row, cells, "trainees", _int)
            external = _parse(table, row, cells, "external_seats", _int)
        except _Bad:
            plan.broken_sessions.add(sid)
            continue
        if sid in seen:
            plan.violations.append(Violation(
                "duplicate_id", f"session {sid!r} appears twice in {SESSIONS} (rows {seen[sid]} and {row}); "
                "the first row is checked", session_id=sid, file=SESSIONS, row=row))
            continue
        seen[sid] = row
        plan.sessions.append(SessionRecord(
            row, sid, cells["module_code"], cells["family"], cells["provider_id"], cells["venue_id"],
            cells["territory_id"], start, end,
            _optional(table, row, cells, "hours", _float), trainees, external,
            _optional(table, row, cells, "start_date", _date), _optional(table, row, cells, "end_date", _date),
        ))


def _read_assignments(plan: PlanFiles, folder: Path) -> None:
    table = _Table(plan, folder, ASSIGNMENTS)
    for row, cells in table.rows:
        plan.assignments.append(AssignmentRecord(
            row, cells["session_id"], cells["member_id"], cells["trainee_ref"], cells["module_code"],
            _optional(table, row, cells, "travel_min", _float), _optional(table, row, cells, "road_km", _float),
        ))


def _read_funding(plan: PlanFiles, folder: Path) -> None:
    table = _Table(plan, folder, FUNDING)
    plan.broken_groups.update(
        (cells.get("session_id", ""), cells.get("member_id", ""), cells.get("cost_item", "")) for cells in table.ragged
    )
    for row, cells in table.rows:
        try:
            amount = _parse(table, row, cells, "amount_eur", _cents)
        except _Bad:
            plan.broken_groups.add((cells["session_id"], cells["member_id"], cells["cost_item"]))
            continue
        plan.funding.append(FundingRecord(
            row, cells["session_id"], cells["member_id"], cells["funder_id"], cells["line_id"],
            cells["cost_item"], amount,
        ))


def _read_unmet(plan: PlanFiles, folder: Path) -> None:
    table = _Table(plan, folder, UNMET)
    for row, cells in table.rows:
        cause = cells.get("cause", "").strip()  # plans written before the column have none
        if cause and cells["reason"] != "capacity":
            table.bad(row, f"gives a cause with reason {cells['reason']!r}: only reason 'capacity' has one",
                      "cause", cause, dropped=False)
        elif cause and cause not in CAPACITY_CAUSES:
            table.bad(row, f"has an unknown cause; expected {', '.join(CAPACITY_CAUSES)} or nothing", "cause", cause,
                      dropped=False)
        plan.unmet.append(UnmetRecord(
            row, cells["member_id"], cells["trainee_ref"], cells["module_code"], cells["reason"], cells["detail"],
            cause,
        ))


def _number(value: object) -> bool:
    """A JSON number that fits a float (NaN included: it then fails the comparisons)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        float(value)
    except OverflowError:
        return False
    return True


def _read_plan_json(plan: PlanFiles, folder: Path) -> None:
    def fail(message: str) -> None:
        plan.unreadable.add(PLAN_JSON)
        plan.violations.append(Violation("file_format", message, file=PLAN_JSON))

    def bad(message: str) -> None:
        plan.damaged.add(PLAN_JSON)
        plan.violations.append(Violation("file_format", message, file=PLAN_JSON))

    try:
        doc = json.loads((folder / PLAN_JSON).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        return fail(f"{PLAN_JSON} is missing from the plan folder")
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        return fail(f"{PLAN_JSON} is not valid JSON ({exc})")
    if not isinstance(doc, dict):
        return fail(f"{PLAN_JSON} must hold a JSON object, not {type(doc).__name__}")
    plan.meta = doc
    if doc.get("schema_version") != SCHEMA_VERSION or isinstance(doc.get("schema_version"), bool):
        bad(f"{PLAN_JSON} schema_version is {doc.get('schema_version')!r}; this checker reads version {SCHEMA_VERSION}")
    _read_meeting_days(plan, doc.get("meeting_days"))
    stages = doc.get("stages")
    if not isinstance(stages, list):
        return fail(f"{PLAN_JSON} needs a list 'stages' of {{name, value, bound, gap, proven}}")
    seen: set[str] = set()
    for i, entry in enumerate(stages):
        where = f"{PLAN_JSON} stages[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            bad(f"{where} must be an object with a text 'name'")
            continue
        name = entry["name"]
        value, bound, gap, proven = (entry.get(k) for k in ("value", "bound", "gap", "proven"))
        problems = []
        if not _number(value):
            problems.append(f"value {value!r} is not a number")
        if bound is not None and not _number(bound):
            problems.append(f"bound {bound!r} is neither a number nor null")
        if gap is not None and not _number(gap):
            problems.append(f"gap {gap!r} is neither a number nor null")
        if not isinstance(proven, bool):
            problems.append(f"proven {proven!r} is not true/false")
        if name in seen:
            problems.append("the stage is listed twice")
        if problems:
            bad(f"{where} ({name!r}): " + "; ".join(problems))
            continue
        seen.add(name)
        plan.stages.append(StageRecord(
            name, float(value), None if bound is None else float(bound), None if gap is None else float(gap), proven
        ))


def _read_meeting_days(plan: PlanFiles, value: object) -> None:
    """plan.json ``meeting_days``: {session id: [ISO date, ...]}."""
    if value is None:
        return
    if not isinstance(value, dict):
        plan.violations.append(Violation(
            "file_format", f"{PLAN_JSON} meeting_days must be an object {{session id: [ISO dates]}}, not "
                           f"{type(value).__name__}", file=PLAN_JSON))
        return
    plan.meeting_days = {}
    for sid, days in value.items():
        parsed: list[date] = []
        ok = isinstance(days, list) and all(isinstance(d, str) and _ISO_DATE.fullmatch(d) for d in days)
        if ok:
            try:
                parsed = [date.fromisoformat(d) for d in days]
            except ValueError:
                ok = False
        if not ok:
            plan.broken_meeting_days.add(str(sid))
            plan.violations.append(Violation(
                "file_format", f"{PLAN_JSON} meeting_days of session {str(sid)!r} must be a list of ISO dates "
                               f"YYYY-MM-DD (value {str(days)[:60]!r})", session_id=str(sid), file=PLAN_JSON))
            continue
        plan.meeting_days[str(sid)] = parsed


def read_plan(folder: str | Path) -> PlanFiles:
    """Read every file of a plan folder; never raises on bad content."""
    folder = Path(folder)
    plan = PlanFiles()
    if not folder.is_dir():
        plan.unreadable.update(COLUMNS)
        plan.unreadable.add(PLAN_JSON)
        plan.violations.append(Violation("file_format", f"plan folder {str(folder)!r} does not exist"))
        return plan
    _read_sessions(plan, folder)
    _read_assignments(plan, folder)
    _read_funding(plan, folder)
    _read_unmet(plan, folder)
    _read_plan_json(plan, folder)
    return plan
