"""Run a solve in a child process with a hard wall-clock kill and a graceful stop.

The child ignores Ctrl-C; the parent turns it into a stop request, and the child returns
the best plan found so far. A child that overruns ``time_limit`` plus a grace period is
killed, so a solver that hangs can never hang ``planner``.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from planner.domain import Scenario
from planner.domain.plan import Plan, SolveStatus

GRACE_SECONDS = 30.0


@dataclass
class Progress:
    stage: str
    value: float | None
    bound: float | None
    elapsed: float


def _child(scenario: Scenario, options: dict[str, Any], events: mp.Queue, stop: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # native solvers print banners on stdout; the parent owns the terminal
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    from planner.solvers import solve

    current: dict[str, Any] = {"stage": "", "backend": None}
    started = time.monotonic()

    def on_stage(stage: str, value: float | None, bound: float | None, elapsed: float) -> None:
        current["stage"] = stage
        events.put(("progress", Progress(stage, value, bound, elapsed)))

    def on_incumbent(value: float, bound: float, _elapsed: float) -> None:
        events.put(("incumbent", Progress(current["stage"], value, bound, time.monotonic() - started)))

    def watch_stop() -> None:
        stop.wait()
        backend = current.get("backend")
        if backend is not None:
            backend.interrupt()

    threading.Thread(target=watch_stop, daemon=True).start()
    try:
        plan = solve(scenario, progress=on_stage, should_stop=stop.is_set, stage_progress=on_incumbent,
                     on_backend=lambda b: current.__setitem__("backend", b), **options)
        events.put(("plan", plan))
    except BaseException as exc:  # report, never hang the parent
        events.put(("error", f"{type(exc).__name__}: {exc}"))


def solve_in_child(scenario: Scenario, *, time_limit: float, on_progress: Callable[[Progress, bool], None] | None = None,
                   **options: Any) -> Plan:
    """Solve in a forked child; ``on_progress(progress, is_incumbent)`` is called in the parent."""
    ctx = mp.get_context("fork")
    events: mp.Queue = ctx.Queue()
    stop = ctx.Event()
    child = ctx.Process(target=_child, args=(scenario, {**options, "time_limit": time_limit}, events, stop), daemon=True)
    child.start()
    # the solve, then up to four relaxed re-solves to explain unmet requests, then the grace period
    explaining = 4 * float(options.get("explain_time_limit", 10.0)) * 1.5
    deadline = time.monotonic() + time_limit * 1.2 + explaining + GRACE_SECONDS
    interrupted = False
    try:
        while True:
            try:
                kind, payload = events.get(timeout=0.25)
            except queue.Empty:
                if time.monotonic() > deadline or not child.is_alive():
                    break
                continue
            except KeyboardInterrupt:  # Ctrl-C: ask the child for its best plan
                stop.set()
                interrupted = True
                deadline = min(deadline, time.monotonic() + GRACE_SECONDS)
                continue
            if kind in ("progress", "incumbent") and on_progress is not None:
                on_progress(payload, kind == "incumbent")
            elif kind == "plan":
                return payload
            elif kind == "error":
                return Plan(scenario.id, scenario.source_hash, options.get("solver", ""), "", SolveStatus.ERROR,
                            error=payload)
    finally:
        if child.is_alive():
            child.kill()
        child.join(timeout=5)
    status = SolveStatus.INTERRUPTED if interrupted else SolveStatus.NO_SOLUTION
    return Plan(scenario.id, scenario.source_hash, options.get("solver", ""), "", status)
