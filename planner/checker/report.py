"""What the checker returns: a list of violations and the recomputed stage values."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule of SPEC §2 (or a malformed plan file).

    ``rule`` is a short stable code (see :data:`planner.checker.RULES`); ``message`` is a
    sentence naming the session, member, trainee or line and the numbers involved.
    ``file``/``row`` locate a bad cell when the violation comes from reading a file
    (row 1 is the header).
    """

    rule: str
    message: str
    session_id: str | None = None
    member_id: str | None = None
    file: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class CheckReport:
    """Result of :func:`planner.checker.check_plan`.

    ``stage_values`` are recomputed from the plan files and the scenario, whatever the plan
    claims; they are in the units of ``plan.json`` (served in weighted hours or trainees,
    public_cost in EUR, travel in minutes, equity as a ratio, sessions as a count).
    """

    violations: list[Violation] = field(default_factory=list)
    stage_values: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.violations

    def counts(self) -> dict[str, int]:
        """Number of violations per rule code."""
        return dict(Counter(v.rule for v in self.violations))

    def rules(self) -> set[str]:
        """The rule codes that were broken."""
        return {v.rule for v in self.violations}

    def summary(self, limit: int | None = 50) -> str:
        """A few lines for people: verdict, then the violations (at most ``limit``)."""
        if self.ok:
            head = "plan OK: no violation found"
        else:
            per_rule = ", ".join(f"{rule} {n}" for rule, n in sorted(self.counts().items()))
            head = f"plan INVALID: {len(self.violations)} violation(s) ({per_rule})"
        shown = self.violations if limit is None else self.violations[:limit]
        lines = [head, *(f"  {v}" for v in shown)]
        if len(shown) < len(self.violations):
            lines.append(f"  ... and {len(self.violations) - len(shown)} more")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "violations": [v.as_dict() for v in self.violations],
            "stage_values": dict(self.stage_values),
        }
