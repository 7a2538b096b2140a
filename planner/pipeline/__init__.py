"""One solve, from a loaded scenario to a checked plan folder: what ``planner solve`` and the API's
solve worker both run.

Steps: the plan (the greedy plan, or a backend's: greedy start, stages, meeting days,
explanations; see :func:`planner.solvers.solve`), then the independent check of the written
folder, which replaces the old one only if the check passes. One :class:`SolveEvents` object
hears every step, stage and incumbent, and may ask to stop.
"""

from planner.pipeline.options import GREEDY, SOLVERS, SolveOptions
from planner.pipeline.run import (GREEDY_STEP, MODEL_STEP, WRITE_STEP, SolveOutcome, check_and_write, make_plan,
                                  solve_and_write)
from planner.solvers.events import SolveEvents

__all__ = ["GREEDY", "GREEDY_STEP", "MODEL_STEP", "SOLVERS", "WRITE_STEP", "SolveEvents", "SolveOptions",
           "SolveOutcome", "check_and_write", "make_plan", "solve_and_write"]
