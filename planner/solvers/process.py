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
from dataclasses import dataclass
from typing import Any

from planner.domain import Scenario
from planner.domain.plan import Plan, SolveStatus
from planner.solvers.backend import Backend
from planner.solvers.events import SolveEvents

GRACE_SECONDS = 30.0


@dataclass
class Progress:
    stage: str
    value: float | None
    bound: float | None
    elapsed: float


class _ChildEvents(SolveEvents):
    """The child's events: progress onto the queue, stop requests from the parent's event."""

    def __init__(self, messages: mp.Queue, stop: Any):
        self.messages, self.stop = messages, stop
        self.current_stage = ""
        self.current_backend: Backend | None = None
        self.started = time.monotonic()

    def stage(self, stage: str, value: float | None, bound: float | None, elapsed: float) -> None:
        self.current_stage = stage
        self.messages.put(("progress", Progress(stage, value, bound, elapsed)))

    def incumbent(self, value: float, bound: float, elapsed: float) -> None:
        self.messages.put(("incumbent", Progress(self.current_stage, value, bound, time.monotonic() - self.started)))

    def stop_requested(self) -> bool:
        return self.stop.is_set()

    def backend(self, backend: Backend) -> None:
        self.current_backend = backend


def _child(scenario: Scenario, options: dict[str, Any], messages: mp.Queue, stop: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # native solvers print banners on stdout; the parent owns the terminal
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    from planner.solvers import solve

    events = _ChildEvents(messages, stop)

    def watch_stop() -> None:
        stop.wait()
        if events.current_backend is not None:
            events.current_backend.interrupt()

    threading.Thread(target=watch_stop, daemon=True).start()
    try:
        plan = solve(scenario, events=events, **options)
        messages.put(("plan", plan))
    except BaseException as exc:  # report, never hang the parent
        messages.put(("error", f"{type(exc).__name__}: {exc}"))


def solve_in_child(scenario: Scenario, *, time_limit: float, events: SolveEvents | None = None,
                   **options: Any) -> Plan:
    """Solve in a forked child; ``events`` hears its stages and incumbents in the parent, and a
    stop it requests (or Ctrl-C) has the child return its best plan."""
    events = events or SolveEvents()
    ctx = mp.get_context("fork")
    messages: mp.Queue = ctx.Queue()
    stop = ctx.Event()
    child = ctx.Process(target=_child, args=(scenario, {**options, "time_limit": time_limit}, messages, stop), daemon=True)
    child.start()
    # the solve, then up to four relaxed re-solves to explain unmet requests, then the grace period
    explaining = 4 * float(options.get("explain_time_limit", 10.0)) * 1.5
    deadline = time.monotonic() + time_limit * 1.2 + explaining + GRACE_SECONDS
    interrupted = False
    try:
        while True:
            if not interrupted and events.stop_requested():
                stop.set()
                interrupted = True
                deadline = min(deadline, time.monotonic() + GRACE_SECONDS)
            try:
                kind, payload = messages.get(timeout=0.25)
            except queue.Empty:
                if time.monotonic() > deadline or not child.is_alive():
                    break
                continue
            except KeyboardInterrupt:  # Ctrl-C: ask the child for its best plan
                stop.set()
                interrupted = True
                deadline = min(deadline, time.monotonic() + GRACE_SECONDS)
                continue
            if kind == "progress":
                events.stage(payload.stage, payload.value, payload.bound, payload.elapsed)
            elif kind == "incumbent":
                events.incumbent(payload.value, payload.bound, payload.elapsed)
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
