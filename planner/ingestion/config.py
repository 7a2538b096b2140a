"""Parse ``scenario.toml`` (SPEC §1) into domain settings, collecting every problem.

Problems name the TOML line of the offending key (``tomllib`` gives no positions, so a
small line scanner finds them) and a column such as ``rules[3].share``.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.domain import (
    BudgetLine,
    CostItem,
    Family,
    Funder,
    MemberKind,
    OWN,
    Objective,
    Policy,
    Rule,
    Stage,
    TravelPolicy,
)
from planner.domain.errors import Problem
from planner.ingestion.cells import LARGEST
from planner.ingestion.tables import closest
from planner.domain.months import Month, parse_month
from planner.domain.units import PPM, eur_to_cents, km_to_hm, share_to_ppm

FILE = "scenario.toml"

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


class _Locator:
    """Line numbers of TOML keys: (table, index, key) -> line (1-based)."""

    def __init__(self, text: str):
        self.lines: dict[tuple[str, int, str], int] = {}
        table, index = "", 0
        counts: dict[str, int] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header:
                table = header.group(2)
                if header.group(1) == "[[":
                    index = counts.get(table, -1) + 1
                    counts[table] = index
                else:
                    index = 0
                self.lines.setdefault((table, index, ""), number)
                continue
            key = _KEY.match(line)
            if key:
                self.lines.setdefault((table, index, key.group(1)), number)

    def line(self, table: str, index: int = 0, key: str = "") -> int | None:
        return self.lines.get((table, index, key)) or self.lines.get((table, index, ""))


@dataclass
class Settings:
    """Everything ``scenario.toml`` holds, scaled to domain types."""

    id: str = ""
    title: str = ""
    horizon_start: Month = 0
    horizon_end: Month = 0
    closed_months: frozenset[Month] = frozenset()
    policy: Policy = field(default_factory=Policy)
    travel: TravelPolicy = field(default_factory=TravelPolicy)
    objective: Objective = field(default_factory=Objective)
    funders: tuple[Funder, ...] = ()
    budget_lines: tuple[BudgetLine, ...] = ()
    rules: tuple[Rule, ...] = ()
    read: bool = False  # the file was found and parsed as TOML (its values may still have problems)


class _Section:
    """Typed access to one TOML table, reporting problems at the key's line."""

    def __init__(self, data: Any, table: str, index: int | None, locator: _Locator, problems: list[Problem]):
        self.data = data if isinstance(data, dict) else {}
        self.table = table
        self.index = index
        self.locator = locator
        self.problems = problems
        if data is not None and not isinstance(data, dict):
            self.problem("", "must be a table", data, "a TOML table")

    def column(self, key: str) -> str:
        prefix = self.table if self.index is None else f"{self.table}[{self.index + 1}]"
        return f"{prefix}.{key}" if prefix and key else (prefix or key)

    def problem(self, key: str, message: str, value: Any = None, expected: str | None = None, suggestion: str | None = None) -> None:
        line = self.locator.line(self.table, self.index or 0, key)
        self.problems.append(
            Problem(FILE, message, row=line, column=self.column(key), value=None if value is None else str(value),
                    expected=expected, suggestion=suggestion)
        )

    def unknown_keys(self, allowed: tuple[str, ...]) -> None:
        for key in self.data:
            if key not in allowed:
                self.problem(key, "unknown key", key, f"one of {', '.join(allowed)}", closest(key, allowed))

    def string(self, key: str, *, required: bool = False, default: str = "") -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problem(key, "key is required", None, "a string")
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(key, "not a non-empty string", value, "a string")
            return default
        return value.strip()

    def number(self, key: str, *, default: Any = None, minimum: float | None = None, maximum: float | None = None,
               integer: bool = False, positive: bool = False) -> Any:
        value = self.data.get(key)
        if value is None:
            return default
        kind = "a whole number" if integer else "a number"
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if ok and integer and isinstance(value, float):
            ok = value.is_integer()
        if not ok:
            self.problem(key, f"not {kind}", value, kind)
            return default
        if not math.isfinite(value) or abs(value) > LARGEST:
            self.problem(key, "not a finite number of sensible size", value, f"{kind} of at most {LARGEST:g}")
            return default
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum) or (positive and value <= 0):
            bounds = "above 0" if positive else f"between {minimum} and {maximum}" if maximum is not None else f"≥ {minimum}"
            self.problem(key, "out of range", value, f"{kind} {bounds}")
            return default
        return int(value) if integer else value

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(key, "not a boolean", value, "true or false")
            return default
        return value

    def string_list(self, key: str, allowed: list[str] | None = None) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(key, "not a list of strings", value, "a list such as [\"a\", \"b\"]")
            return []
        if allowed is not None:
            for v in value:
                if v not in allowed:
                    self.problem(key, f"{v!r} is not allowed", v, f"values among {', '.join(allowed)}", closest(v, allowed))
            return [v for v in value if v in allowed]
        return list(value)


def _month(section: _Section, key: str, value: Any) -> Month | None:
    try:
        if not isinstance(value, str):
            raise ValueError("expected a month as YYYY-MM, e.g. 2012-03")
        return parse_month(value)
    except ValueError as exc:
        section.problem(key, "not a valid month", value, f"YYYY-MM ({exc})")
        return None


POLICY_KEYS = ("min_fill", "max_size", "rate_eur_per_hour", "hours_per_day", "max_travel_min",
               "max_sessions_per_trainee_per_month", "external_seats_max", "engineering_eur_per_session")
TRAVEL_KEYS = ("road_factor", "speed_kmh", "allowance_eur_per_km", "allowance_threshold_km")
OBJECTIVE_KEYS = ("stages", "served", "priority_weights")
TOP_KEYS = ("id", "title", "horizon", "closed_months", "policy", "travel", "objective", "funders", "budget_lines", "rules")


def load_settings(folder: Path, problems: list[Problem]) -> Settings:
    path = folder / FILE
    settings = Settings()
    if not path.exists():
        problems.append(Problem(FILE, "file is missing", expected=f"{FILE} in {folder}"))
        return settings
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        problems.append(Problem(FILE, "file is not UTF-8 text"))
        return settings
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        problems.append(Problem(FILE, f"invalid TOML: {exc}", row=int(line.group(1)) if line else None))
        return settings
    settings.read = True
    locator = _Locator(text)
    top = _Section(data, "", None, locator, problems)
    top.unknown_keys(TOP_KEYS)
    settings.id = top.string("id", required=True)
    settings.title = top.string("title", default=settings.id)
    _horizon(top, data.get("horizon"), settings)
    closed = []
    raw_closed = data.get("closed_months", [])
    if not isinstance(raw_closed, list):
        top.problem("closed_months", "must be a list of months", raw_closed, '["YYYY-MM", ...]')
        raw_closed = []
    for value in raw_closed:
        month = _month(top, "closed_months", value)
        if month is not None:
            closed.append(month)
    settings.closed_months = frozenset(closed)
    settings.policy = _policy(_Section(data.get("policy"), "policy", None, locator, problems))
    settings.travel = _travel(_Section(data.get("travel"), "travel", None, locator, problems))
    settings.objective = _objective(_Section(data.get("objective"), "objective", None, locator, problems))
    settings.funders = _funders(_array(data, "funders", top), locator, problems)
    settings.budget_lines = _lines(_array(data, "budget_lines", top), locator, problems, settings.funders)
    settings.rules = _rules(_array(data, "rules", top), locator, problems, settings.budget_lines)
    return settings


def _array(data: dict[str, Any], key: str, top: _Section) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        top.problem(key, "must be an array of tables", value, f"[[{key}]] entries")
        return []
    return value


def _horizon(top: _Section, value: Any, settings: Settings) -> None:
    if not isinstance(value, dict) or "start" not in value or "end" not in value:
        top.problem("horizon", "horizon is required", value, '{ start = "YYYY-MM", end = "YYYY-MM" }')
        return
    start, end = _month(top, "horizon", value["start"]), _month(top, "horizon", value["end"])
    if start is None or end is None:
        return
    if end < start:
        top.problem("horizon", "horizon ends before it starts", value, "start ≤ end")
        return
    settings.horizon_start, settings.horizon_end = start, end


def _policy(s: _Section) -> Policy:
    s.unknown_keys(POLICY_KEYS)
    d = Policy()
    rate = s.number("rate_eur_per_hour", minimum=0)
    engineering = s.number("engineering_eur_per_session", minimum=0)
    return Policy(
        min_fill=s.number("min_fill", default=d.min_fill, minimum=1, integer=True),
        max_size=s.number("max_size", default=d.max_size, minimum=1, integer=True),
        rate_cents_per_hour=eur_to_cents(rate) if rate is not None else d.rate_cents_per_hour,
        hours_per_day=s.number("hours_per_day", default=d.hours_per_day, minimum=1, maximum=12, integer=True),
        max_travel_min=s.number("max_travel_min", default=d.max_travel_min, minimum=0, integer=True),
        max_sessions_per_trainee_per_month=s.number(
            "max_sessions_per_trainee_per_month", default=d.max_sessions_per_trainee_per_month, minimum=1, integer=True
        ),
        external_seats_max=s.number("external_seats_max", default=d.external_seats_max, minimum=0, integer=True),
        engineering_cents_per_session=eur_to_cents(engineering) if engineering is not None else 0,
    )


def _travel(s: _Section) -> TravelPolicy:
    s.unknown_keys(TRAVEL_KEYS)
    d = TravelPolicy()
    allowance = s.number("allowance_eur_per_km", minimum=0)
    threshold = s.number("allowance_threshold_km", minimum=0)
    return TravelPolicy(
        road_factor=float(s.number("road_factor", default=d.road_factor, minimum=1.0, maximum=5.0)),
        speed_kmh=float(s.number("speed_kmh", default=d.speed_kmh, positive=True)),
        allowance_centicents_per_km=eur_to_cents(allowance * 100) if allowance is not None else 0,
        allowance_threshold_hm=km_to_hm(threshold) if threshold is not None else 0,
    )


def _objective(s: _Section) -> Objective:
    s.unknown_keys(OBJECTIVE_KEYS)
    allowed = [stage.value for stage in Stage]
    stages = s.string_list("stages", allowed)
    if "stages" in s.data and not stages:
        s.problem("stages", "no valid stage", s.data.get("stages"), f"a list among {', '.join(allowed)}")
    if len(set(stages)) != len(stages):
        s.problem("stages", "a stage is listed twice", s.data.get("stages"), "each stage once")
    served = s.string("served", default="hours")
    if served not in ("hours", "trainees"):
        s.problem("served", "not an allowed value", served, "hours or trainees", closest(served, ["hours", "trainees"]))
        served = "hours"
    weights = dict(Objective().priority_weights)
    raw = s.data.get("priority_weights")
    if raw is not None:
        if not isinstance(raw, dict):
            s.problem("priority_weights", "must be a table", raw, "{ 1 = 3, 2 = 2, 3 = 1 }")
        else:
            for key, value in raw.items():
                if key not in ("1", "2", "3") or not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    s.problem("priority_weights", f"bad weight {key} = {value!r}", value, "keys 1, 2, 3 with whole weights ≥ 0")
                else:
                    weights[int(key)] = value
    return Objective(
        stages=tuple(Stage(x) for x in dict.fromkeys(stages)) if stages else Objective().stages,
        served=served,
        priority_weights=weights,
    )


def _funders(entries: list[Any], locator: _Locator, problems: list[Problem]) -> tuple[Funder, ...]:
    funders: list[Funder] = []
    for i, entry in enumerate(entries):
        s = _Section(entry, "funders", i, locator, problems)
        s.unknown_keys(("id", "name", "opca", "access_fee_eur"))
        fid = s.string("id", required=True)
        if fid and any(f.id == fid for f in funders):
            s.problem("id", "duplicate funder id", fid, "a unique id")
            continue
        fee = s.number("access_fee_eur", minimum=0)
        opca = s.boolean("opca")
        if fee is not None and not opca:
            s.problem("access_fee_eur", "an access fee only makes sense for an OPCA funder", fee, "opca = true, or no fee")
        if fid:
            funders.append(Funder(fid, s.string("name", default=fid), opca, eur_to_cents(fee) if fee is not None else None))
    return tuple(funders)


def _lines(entries: list[Any], locator: _Locator, problems: list[Problem], funders: tuple[Funder, ...]) -> tuple[BudgetLine, ...]:
    known = [f.id for f in funders]
    lines: list[BudgetLine] = []
    for i, entry in enumerate(entries):
        s = _Section(entry, "budget_lines", i, locator, problems)
        s.unknown_keys(("id", "funder", "envelope_eur"))
        lid = s.string("id", required=True)
        funder = s.string("funder", required=True)
        envelope = s.number("envelope_eur", minimum=0)
        if lid == OWN:
            s.problem("id", f"{OWN!r} is reserved for members' own funds", lid, "another id")
            continue
        if lid and any(line.id == lid for line in lines):
            s.problem("id", "duplicate budget line id", lid, "a unique id")
            continue
        if funder and funder not in known:
            s.problem("funder", f"funder {funder!r} unknown", funder, "a [[funders]] id", closest(funder, known))
            continue
        if lid and funder:
            lines.append(BudgetLine(lid, funder, eur_to_cents(envelope) if envelope is not None else None))
    return tuple(lines)


def _rules(entries: list[Any], locator: _Locator, problems: list[Problem], lines: tuple[BudgetLine, ...]) -> tuple[Rule, ...]:
    known = [line.id for line in lines]
    rules: list[Rule] = []
    for i, entry in enumerate(entries):
        s = _Section(entry, "rules", i, locator, problems)
        s.unknown_keys(("line", "cost_item", "families", "member_kinds", "territories", "share", "share_min", "share_max"))
        line = s.string("line", required=True)
        ok = True
        if line and line not in known:
            s.problem("line", f"budget line {line!r} unknown", line, "a [[budget_lines]] id", closest(line, known))
            ok = False
        items = [c.value for c in CostItem]
        item = s.string("cost_item", required=True)
        if item and item not in items:
            s.problem("cost_item", "not an allowed value", item, f"one of {', '.join(items)}", closest(item, items))
            ok = False
        families = s.string_list("families", [f.value for f in Family])
        kinds = s.string_list("member_kinds", [k.value for k in MemberKind])
        territories = s.string_list("territories")  # checked against territories.csv by the loader
        share = s.number("share", minimum=0, maximum=1)
        share_min = s.number("share_min", minimum=0, maximum=1)
        share_max = s.number("share_max", minimum=0, maximum=1)
        if share is not None and (share_min is not None or share_max is not None):
            s.problem("share", "give either share or share_min/share_max, not both", share, "one of the two forms")
            ok = False
        if share is None and share_min is None and share_max is None:
            if not any(k in s.data for k in ("share", "share_min", "share_max")):
                s.problem("share", "a share is required", None, "share, or share_min and/or share_max, between 0 and 1")
            ok = False
        lo = share if share is not None else (share_min if share_min is not None else 0)
        hi = share if share is not None else (share_max if share_max is not None else 1)
        if ok and lo > hi:
            s.problem("share_min", "share_min is above share_max", f"{lo} > {hi}", "share_min ≤ share_max")
            ok = False
        if ok and line and item:
            rules.append(
                Rule(
                    index=len(rules),
                    line_id=line,
                    cost_item=CostItem(item),
                    share_min_ppm=share_to_ppm(lo),
                    share_max_ppm=min(PPM, share_to_ppm(hi)),
                    families=frozenset(Family(f) for f in families),
                    member_kinds=frozenset(MemberKind(k) for k in kinds),
                    territories=frozenset(territories),
                )
            )
    return tuple(rules)
