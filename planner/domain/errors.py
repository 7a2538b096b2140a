"""Problems found in input files, and the exceptions that carry them.

Validation for people collects every :class:`Problem` before raising one
:class:`ScenarioInvalid`; library calls on already-valid data fail fast with ValueError.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One bad cell (or file, or row) with what would be valid."""

    file: str
    message: str
    row: int | None = None  # 1-based line/row in the file, header being row 1
    column: str | None = None
    value: str | None = None
    expected: str | None = None
    suggestion: str | None = None

    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.value is not None:
            text += f" (value {self.value!r})"
        if self.expected:
            text += f"; expected {self.expected}"
        if self.suggestion:
            text += f"; did you mean {self.suggestion!r}?"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "expected": self.expected,
            "suggestion": self.suggestion,
        }


class PlannerError(Exception):
    """Base of the library's exceptions."""


class ScenarioInvalid(PlannerError):
    """A scenario (or survey workbook) has problems; every one of them is listed."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the input")

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
