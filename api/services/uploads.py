"""Uploaded scenario files (several files, or one zip) written safely into a folder.

Only the scenario's own file names are kept (``scenario.toml`` and the SPEC §1 tables as
``.csv`` or ``.xlsx``); anything else is listed as ignored. A zip may hold them at its root or in
one folder. Guards: total and per-request sizes, the number of zip entries, the real
(decompressed) size of every entry (zip bombs), entry names that climb out of the folder
(``..``, absolute paths, drive letters), symbolic links and encrypted entries.
"""

from __future__ import annotations

import stat
import zlib
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from planner.domain.errors import Problem

TABLES = ("territories", "members", "modules", "providers", "venues", "offers", "survey", "travel")
ALLOWED = frozenset({"scenario.toml"} | {f"{t}.{ext}" for t in TABLES for ext in ("csv", "xlsx")})
CHUNK = 1 << 16


class TooLarge(Exception):
    """More bytes than allowed."""


@dataclass
class Upload:
    files: list[str] = field(default_factory=list)  # names written
    ignored: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _copy(src: BinaryIO, dest: Path, budget: int) -> int:
    """Copy at most ``budget`` bytes; TooLarge beyond."""
    written = 0
    with dest.open("wb") as out:
        while chunk := src.read(CHUNK):
            written += len(chunk)
            if written > budget:
                raise TooLarge()
            out.write(chunk)
    return written


def client_name(name: str | None) -> str:
    """The bare file name a client sent (any folder part dropped, Windows separators too)."""
    text = (name or "").replace("\\", "/").split("/")[-1]
    return "".join(ch for ch in text if ch.isprintable())[:200]


def is_zip(name: str, head: bytes) -> bool:
    """A zip archive of the scenario (an .xlsx is a zip too, but a table)."""
    lower = name.lower()
    return lower.endswith(".zip") or (head.startswith(b"PK\x03\x04") and not lower.endswith(".xlsx"))


def save_files(files: Iterable[tuple[str | None, BinaryIO]], dest: Path, max_bytes: int) -> Upload:
    """Several uploaded files: those named as the scenario's files are kept, others listed as ignored."""
    result, total = Upload(), 0
    for raw_name, stream in files:
        name = client_name(raw_name)
        if name not in ALLOWED:  # e.g. the folder's README: listed, not kept
            result.ignored.append(name or "(no name)")
            continue
        if name in result.files:
            result.problems.append(Problem(name, "file uploaded twice", expected="each file once"))
            continue
        try:
            total += _copy(stream, dest / name, max_bytes - total)
        except TooLarge:
            result.problems.append(Problem(name, "the files are too large", expected=f"at most {max_bytes} bytes in all"))
            return result
        result.files.append(name)
    return result


def _unsafe(name: str) -> bool:
    if "\x00" in name or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return True
    return any(part in ("..",) for part in name.replace("\\", "/").split("/"))


def extract_zip(stream: BinaryIO, label: str, dest: Path, *, max_bytes: int, max_entries: int) -> Upload:
    """The scenario files of a zip, at its root or in one folder."""
    result = Upload()
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        result.problems.append(Problem(label, "not a readable zip archive", expected="a .zip of the scenario folder"))
        return result
    with archive:
        entries = archive.infolist()
        if len(entries) > max_entries:
            result.problems.append(Problem(label, f"the archive has {len(entries)} entries",
                                           expected=f"at most {max_entries}"))
            return result
        chosen: dict[str, zipfile.ZipInfo] = {}
        for info in entries:
            name = info.filename
            if _unsafe(name):
                result.problems.append(Problem(label, "unsafe path in the archive", value=client_name(name) or "?",
                                               column="entry", expected="relative paths inside the archive"))
                continue
            if info.is_dir():
                continue
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                result.ignored.append(client_name(name))
                continue
            parts = PurePosixPath(name.replace("\\", "/")).parts
            base = parts[-1] if parts else ""
            if len(parts) > 2 or base not in ALLOWED or parts[0] == "__MACOSX":
                result.ignored.append(name[:200])
                continue
            if base in chosen:
                result.problems.append(Problem(label, "the archive holds this file twice", value=base,
                                               expected="one scenario folder per archive"))
                continue
            if info.flag_bits & 0x1:
                result.problems.append(Problem(label, "encrypted entry", value=base, expected="an archive without password"))
                continue
            chosen[base] = info
        if result.problems:
            return result
        budget = max_bytes
        if sum(info.file_size for info in chosen.values()) > max_bytes:
            result.problems.append(Problem(label, "the archive's files are too large once unzipped",
                                           expected=f"at most {max_bytes} bytes"))
            return result
        for base, info in chosen.items():
            try:
                with archive.open(info) as src:  # sizes in the archive may lie: count what comes out
                    budget -= _copy(src, dest / base, budget)
            except TooLarge:
                result.problems.append(Problem(label, "the archive's files are too large once unzipped",
                                               expected=f"at most {max_bytes} bytes"))
                return result
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError, zlib.error) as exc:
                result.problems.append(Problem(label, f"cannot extract {base}: {exc}", value=base))
                return result
            result.files.append(base)
    return result


def check_workbook(path: Path, label: str, *, max_bytes: int, max_entries: int) -> list[Problem]:
    """An .xlsx is a zip: refuse one whose parts would unzip beyond the limits (before openpyxl reads it)."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return [Problem(label, "classeur .xlsx illisible", expected="un classeur enregistré par un tableur")]
    if len(entries) > max(max_entries, 1000):
        return [Problem(label, f"le classeur compte {len(entries)} parties", expected="un classeur ordinaire")]
    if sum(info.file_size for info in entries) > max_bytes:
        return [Problem(label, "le classeur est trop volumineux une fois décompressé",
                        expected=f"au plus {max_bytes:,} octets".replace(",", "\u202f"))]
    return []
