"""The live line of ``planner solve`` while a backend solves."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.live import Live

from planner.cli.views import UNKNOWN, figure
from planner.domain.plan import relative_gap
from planner.pipeline import MODEL_STEP, SolveEvents


class LiveProgress(SolveEvents):
    """A live line while a backend solves: stage, best value, bound, gap, elapsed (gone once it is done)."""

    def __init__(self, console: Console, solver: str):
        self.console, self.solver = console, solver
        self.state: dict[str, Any] = {"stage": "", "value": None, "bound": None, "elapsed": 0.0}
        self.live: Live | None = None

    def __enter__(self) -> LiveProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()

    def line(self) -> str:
        state = self.state
        value, bound = state["value"], state["bound"]
        text = f"[cyan]{self.solver}[/cyan] stage [bold]{state['stage']}[/bold]"
        gap = relative_gap(value, bound)
        text += f"  best {figure(value)}  bound {figure(bound)}  gap {UNKNOWN if gap is None else f'{gap:.2%}'}"
        return text + f"  {state['elapsed']:.0f} s  (Ctrl-C keeps the best plan)"

    def step(self, name: str) -> None:
        if name != MODEL_STEP:  # the greedy plan (no live line), or the solve is over
            self._stop()
            return
        self.state["stage"] = name
        self.live = Live(self.line(), console=self.console, refresh_per_second=4, transient=True)
        self.live.start(refresh=True)

    def stage(self, stage: str, value: float | None, bound: float | None, elapsed: float) -> None:
        self.state.update(stage=stage, elapsed=elapsed, value=value, bound=bound)
        self._show()

    def incumbent(self, value: float, bound: float, elapsed: float) -> None:
        self.state.update(elapsed=elapsed, value=value, bound=bound)
        self._show()

    def _show(self) -> None:
        if self.live is not None:
            self.live.update(self.line())

    def _stop(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None
