"""planner: the pooled yearly training plan of a network of insertion employers.

Public entry points are re-exported here; see the README for the CLI.
"""

from planner.domain import Scenario
from planner.domain.errors import Problem, ScenarioInvalid
from planner.ingestion import load_scenario, read_scenario

__version__ = "0.1.0"

__all__ = ["Problem", "Scenario", "ScenarioInvalid", "load_scenario", "read_scenario", "__version__"]
