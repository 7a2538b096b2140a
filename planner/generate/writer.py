"""Write a scenario folder (SPEC §1) from plain rows, atomically.

Tables are lists of dicts keyed by the SPEC's column names; ``scenario.toml`` comes from a
plain dict through a small TOML serializer (the standard library only reads TOML). Output is
a pure function of the input: same rows, same bytes.
"""

from __future__ import annotations

import csv
import io
import math
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

Row = Mapping[str, Any]

# (column, required) in SPEC order, per table.
COLUMNS: dict[str, tuple[tuple[str, bool], ...]] = {
    "territories": (("territory_id", True), ("name", True), ("rural", True), ("min_fill", False)),
    "members": (
        ("member_id", True), ("name", True), ("kind", True), ("territory_id", True),
        ("commune", True), ("lat", True), ("lon", True), ("opca", False),
        ("own_funds_eur", False), ("release_cap", False), ("max_travel_min", False),
        ("wage_eur_per_hour", False), ("siret", False),
    ),
    "modules": (
        ("module_code", True), ("title", True), ("family", True), ("hours", True),
        ("months", False), ("min_fill", False), ("max_size", False),
        ("rate_eur_per_hour", False), ("trade", False),
    ),
    "providers": (("provider_id", True), ("name", True), ("max_parallel_sessions", False)),
    "venues": (
        ("venue_id", True), ("provider_id", True), ("name", True), ("territory_id", True),
        ("commune", True), ("lat", True), ("lon", True),
    ),
    "offers": (
        ("provider_id", True), ("module_code", True), ("territory_id", True),
        ("rate_eur_per_hour", False),
    ),
    "survey": (
        ("member_id", True), ("trainee_ref", True), ("module_code", True), ("priority", False),
        ("available_from", False), ("available_to", False), ("max_travel_min", False),
    ),
    "travel": (("member_id", True), ("venue_id", True), ("minutes", True), ("km", True)),
}
REQUIRED_TABLES = ("territories", "members", "modules", "providers", "venues", "offers", "survey")
ID_COLUMNS = frozenset(
    {"territory_id", "member_id", "module_code", "provider_id", "venue_id", "trainee_ref", "opca"}
)


def write_scenario(
    out: Path,
    config: Mapping[str, Any],
    tables: Mapping[str, Sequence[Row]],
    readme: str | None = None,
    header: str = "",
) -> Path:
    """Write ``scenario.toml``, one CSV per table and an optional README.md into ``out``.

    The folder is built next to ``out`` and renamed into place, replacing any previous
    folder, so a failure leaves either the old folder or nothing. ``header`` becomes comment
    lines at the top of ``scenario.toml``.
    """
    missing = [name for name in REQUIRED_TABLES if name not in tables]
    unknown = [name for name in tables if name not in COLUMNS]
    if missing or unknown:
        raise ValueError(f"tables missing {missing}, unknown {unknown}")
    files = {"scenario.toml": dumps_toml(config, header)}
    for name, rows in tables.items():
        files[f"{name}.csv"] = dumps_csv(name, rows)
    if readme is not None:
        files["README.md"] = readme if readme.endswith("\n") else readme + "\n"
    return _write_folder(Path(out), files)


def _write_folder(out: Path, files: Mapping[str, str]) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8", newline="")
        tmp.chmod(0o755)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            old.rmdir()
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


# --- CSV -------------------------------------------------------------------------------------
def dumps_csv(table: str, rows: Sequence[Row]) -> str:
    """One table as CSV text: the SPEC columns that any row uses, in SPEC order."""
    spec = COLUMNS[table]
    known = {name for name, _ in spec}
    used: set[str] = set()
    for i, row in enumerate(rows):
        extra = set(row) - known
        if extra:
            raise ValueError(f"{table} row {i}: unknown columns {sorted(extra)}")
        used.update(k for k, v in row.items() if v is not None)
    columns = [name for name, required in spec if required or name in used]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for i, row in enumerate(rows):
        for name, required in spec:
            if required and row.get(name) is None:
                raise ValueError(f"{table} row {i}: missing required column {name}")
        writer.writerow([_cell(name, row.get(name)) for name in columns])
    return buf.getvalue()


def _cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if column in ID_COLUMNS:
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _float(value)
    return str(value)


def _float(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value}")
    return repr(value)


# --- TOML ------------------------------------------------------------------------------------
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_INLINE_MAX = 60  # a top-level table of scalars this short is written inline
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def dumps_toml(doc: Mapping[str, Any], header: str = "") -> str:
    """Serialize a dict to TOML: plain keys first, then ``[tables]``, then ``[[arrays]]``.

    Supports str, bool, int, float, lists, and dicts (keys may be ints, written as bare
    keys). ``None`` values are left out (TOML has no null). ``header`` lines become comments.
    """
    lines = [f"# {text}".rstrip() for text in header.splitlines()]
    body = {k: v for k, v in doc.items() if v is not None}
    tables = {k: v for k, v in body.items() if isinstance(v, Mapping) and not _inline_fits(k, v)}
    arrays = {k: v for k, v in body.items() if _is_table_array(v)}
    for key, value in body.items():
        if key not in tables and key not in arrays:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, table in tables.items():
        lines.extend(["", f"[{_key(key)}]"])
        lines.extend(f"{_key(k)} = {_value(v)}" for k, v in table.items() if v is not None)
    for key, items in arrays.items():
        for item in items:
            lines.extend(["", f"[[{_key(key)}]]"])
            lines.extend(f"{_key(k)} = {_value(v)}" for k, v in item.items() if v is not None)
    return "\n".join(lines).lstrip("\n") + "\n"


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _inline_fits(key: str, table: Mapping[str, Any]) -> bool:
    if any(isinstance(v, (Mapping, list)) for v in table.values()):
        return False
    return len(f"{key} = {_value(table)}") <= _INLINE_MAX


def _key(key: Any) -> str:
    text = str(key)
    return text if _BARE_KEY.match(text) else _string(text)


def _string(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, Mapping):
        items = [f"{_key(k)} = {_value(v)}" for k, v in value.items() if v is not None]
        return "{ " + ", ".join(items) + " }" if items else "{}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML: {value!r}")
