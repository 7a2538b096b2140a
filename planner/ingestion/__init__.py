"""Reading scenario folders and survey workbooks into domain objects."""

from planner.ingestion.loader import load_scenario, read_scenario

__all__ = ["load_scenario", "read_scenario"]
