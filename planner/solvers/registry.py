"""The backends by name: ``--solver`` and the API's ``solver`` option pick one here.

Each backend is imported on first use, so that one missing solver never breaks the others.
"""

from __future__ import annotations

from collections.abc import Callable

from planner.model.ir import LinearModel
from planner.solvers.backend import Backend, BackendFactory, IncumbentFn


def _highs() -> BackendFactory:
    from planner.solvers.highs import HighsBackend

    return HighsBackend


def _cpsat() -> BackendFactory:
    from planner.solvers.cpsat import CpSatBackend

    return CpSatBackend


def _lns() -> BackendFactory:
    from planner.solvers.lns import LnsBackend

    return LnsBackend


def _cbc() -> BackendFactory:
    from planner.solvers.cbc import CbcBackend

    return CbcBackend


REGISTRY: dict[str, Callable[[], BackendFactory]] = {"highs": _highs, "cpsat": _cpsat, "lns": _lns, "cbc": _cbc}
BACKENDS = tuple(REGISTRY)
DEFAULT_BACKEND = "lns"  # measured best on the reference scenarios (reports/bench.md)


def backend_factory(name: str) -> BackendFactory:
    """The backend class registered as ``name``."""
    if name not in REGISTRY:
        raise ValueError(f"unknown solver {name!r}; expected one of {', '.join(BACKENDS)}")
    return REGISTRY[name]()


def make_backend(name: str, lm: LinearModel, *, workers: int, seed: int, on_progress: IncumbentFn | None = None,
                 deterministic: bool = False) -> Backend:
    return backend_factory(name)(lm, workers=workers, seed=seed, on_progress=on_progress, deterministic=deterministic)
