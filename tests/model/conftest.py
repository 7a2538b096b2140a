"""The model tests share the scenario builder of tests/solvers (a plain module, not a conftest)."""

from __future__ import annotations

import sys
from pathlib import Path

_SOLVERS = str(Path(__file__).resolve().parents[1] / "solvers")
if _SOLVERS not in sys.path:
    sys.path.insert(0, _SOLVERS)
