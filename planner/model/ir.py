"""A solver-neutral mixed-integer linear model with integer coefficients.

Both backends read this one structure, so they solve the same model. Coefficients are exact
integers (money in cents, shares in ppm): CP-SAT needs integers, and HiGHS divides each row
by its ``scale`` to keep its numbers small.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

Expr = dict[int, int]  # variable index -> integer coefficient


@dataclass(frozen=True, slots=True)
class Row:
    coefs: Expr
    lo: int | None
    hi: int | None
    scale: int = 1  # HiGHS divides coefficients and bounds by this
    name: str = ""


@dataclass
class LinearModel:
    lb: list[int] = field(default_factory=list)
    ub: list[int] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    # groups of integer variables a neighbourhood search frees together (one per module and
    # territory); a hint for search, not part of the model's meaning
    blocks: list[list[int]] = field(default_factory=list)
    block_keys: list[tuple[str, ...]] = field(default_factory=list)  # what each block is about
    # integer variables that open capacity (session counts): a restricted search caps them
    gates: list[int] = field(default_factory=list)
    # valid inequalities every integer solution obeys, kept out of the rows: they tighten the LP
    # relaxation (a better bound) but slow down the search for plans; see with_cuts
    cuts: list[Row] = field(default_factory=list)

    @property
    def num_vars(self) -> int:
        return len(self.lb)

    def with_cuts(self) -> LinearModel:
        """The same model with its cuts as rows: same variables, same integer solutions."""
        return replace(self, rows=[*self.rows, *self.cuts], cuts=[])

    def add_var(self, lb: int, ub: int, *, integer: bool = True, name: str = "") -> int:
        self.lb.append(lb)
        self.ub.append(ub)
        self.integer.append(integer)
        self.names.append(name)
        return len(self.lb) - 1

    def add_row(self, coefs: Expr, lo: int | None = None, hi: int | None = None, *, scale: int = 1, name: str = "") -> None:
        coefs = {v: c for v, c in coefs.items() if c}
        if not coefs:
            if (lo is not None and lo > 0) or (hi is not None and hi < 0):
                raise ValueError(f"row {name!r} is infeasible on its own")
            return
        self.rows.append(Row(coefs, lo, hi, scale, name))

    def evaluate(self, expr: Expr, values: list[float]) -> float:
        return sum(c * values[v] for v, c in expr.items())


def add_into(target: Expr, expr: Expr, factor: int = 1) -> Expr:
    """target += factor * expr (in place), returns target."""
    for v, c in expr.items():
        target[v] = target.get(v, 0) + factor * c
    return target
