"""Fixtures of the solver tests.

The scenario builder and the helpers live in :mod:`scenario_builder` (a plain module, so that
test files can import it without clashing with other folders' ``conftest``).

The ``solver`` fixture runs a test once per available backend: ``highs``, ``cpsat``, and
``cbc`` when PuLP's CBC binary is installed. Restrict with ``-k cpsat`` or with the environment
variable ``PLANNER_TEST_SOLVERS=highs,cpsat``.
"""

from __future__ import annotations

import pytest
from scenario_builder import BACKENDS


@pytest.fixture(params=BACKENDS)
def solver(request: pytest.FixtureRequest) -> str:
    """The backend under test; every test taking ``solver`` runs once per backend."""
    return request.param
