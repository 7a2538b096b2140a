"""Parse cells of one table row, collecting a :class:`Problem` for each bad cell.

Each parser returns the parsed value, or None when the cell is empty-and-optional or bad
(in which case a problem was recorded), so a loader can go on and report every problem.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Container, Iterable

from planner.domain.errors import Problem
from planner.ingestion.tables import Row, closest
from planner.ingestion.wording import ENGLISH, Wording
from planner.domain.months import Month, parse_month

TRUE = {"true", "yes", "1", "oui", "vrai"}
LARGEST = 1e12  # no amount, duration or distance of a scenario comes near; beyond, scaling to integers fails
FALSE = {"false", "no", "0", "non", "faux"}


class Cells:
    """Cell parsers bound to one file and row."""

    def __init__(self, file: str, line: int, row: Row, problems: list[Problem], words: Wording = ENGLISH):
        self.file = file
        self.line = line
        self.row = row
        self.problems = problems
        self.words = words

    def raw(self, column: str) -> str:
        return self.row.get(column, "").strip()

    def problem(self, column: str, message: str, expected: str | None = None, suggestion: str | None = None) -> None:
        self.problems.append(
            Problem(
                self.file,
                message,
                row=self.line,
                column=column,
                value=self.raw(column),
                expected=expected,
                suggestion=suggestion,
            )
        )

    def text(self, column: str, *, required: bool = True) -> str | None:
        value = self.raw(column)
        if not value:
            if required:
                self.problem(column, self.words.value_required, expected=self.words.non_empty)
            return None
        return value

    def integer(self, column: str, *, required: bool = False, minimum: int | None = None, maximum: int | None = None) -> int | None:
        value = self.raw(column)
        w = self.words
        expected = w.range(w.whole_number, minimum, maximum)
        if not value:
            if required:
                self.problem(column, w.value_required, expected=expected)
            return None
        try:
            number = float(value.replace(",", "."))
            if not number.is_integer():
                raise ValueError
            parsed = int(number)
        except ValueError:
            self.problem(column, w.not_whole, expected=expected)
            return None
        if (minimum is not None and parsed < minimum) or (maximum is not None and parsed > maximum):
            self.problem(column, w.out_of_range, expected=expected)
            return None
        return parsed

    def number(
        self, column: str, *, required: bool = False, minimum: float | None = None, maximum: float | None = None,
        strictly_positive: bool = False,
    ) -> str | None:
        """A decimal number, returned as normalised text so that units can scale it exactly."""
        value = self.raw(column)
        w = self.words
        expected = w.range(w.a_number, minimum, maximum) if not strictly_positive else w.above_zero
        if not value:
            if required:
                self.problem(column, w.value_required, expected=expected)
            return None
        text = value.replace(",", ".").replace("\u00a0", "").replace(" ", "")
        try:
            parsed = float(text)
        except ValueError:
            self.problem(column, w.not_number, expected=expected)
            return None
        if not math.isfinite(parsed):
            self.problem(column, w.not_finite, expected=expected)
            return None
        if (minimum is not None and parsed < minimum) or (maximum is not None and parsed > maximum) or (
            strictly_positive and parsed <= 0
        ):
            self.problem(column, w.out_of_range, expected=expected)
            return None
        if abs(parsed) > LARGEST:
            self.problem(column, w.too_large, expected=w.largest.format(expected=expected, largest=f"{LARGEST:g}"))
            return None
        return text

    def boolean(self, column: str, *, required: bool = True) -> bool | None:
        value = self.raw(column).casefold()
        if not value:
            if required:
                self.problem(column, self.words.value_required, expected=self.words.true_or_false)
            return None
        if value in TRUE:
            return True
        if value in FALSE:
            return False
        self.problem(column, self.words.not_boolean, expected=self.words.true_or_false)
        return None

    def month(self, column: str) -> Month | None:
        value = self.raw(column)
        if not value:
            return None
        try:
            return parse_month(value)
        except ValueError as exc:
            self.problem(column, self.words.not_month, expected=self.words.month_format.format(detail=exc))
            return None

    def choice(self, column: str, allowed: Iterable[str], *, required: bool = True) -> str | None:
        allowed = list(allowed)
        value = self.raw(column)
        one_of = self.words.one_of.format(values=", ".join(allowed))
        if not value:
            if required:
                self.problem(column, self.words.value_required, expected=one_of)
            return None
        if value in allowed:
            return value
        self.problem(column, self.words.not_allowed, expected=one_of, suggestion=closest(value, allowed))
        return None

    def ref(self, column: str, known: Collection[str], what: str, *, required: bool = True,
            listed: Container[str] = ()) -> str | None:
        """An id that must name a known object (module, member, ...).

        An id in ``listed`` but not in ``known`` names a row that is itself invalid: None is
        returned without a new problem, the row's own problem says what to fix.
        """
        value = self.raw(column)
        w, thing = self.words, self.words.thing(what)
        if not value:
            if required:
                self.problem(column, w.value_required, expected=w.known_id.format(what=thing))
            return None
        if value in known:
            return value
        if value in listed:
            return None
        self.problem(column, w.unknown_id.format(what=thing, value=value), expected=w.listed_id.format(what=thing),
                     suggestion=closest(value, known))
        return None
