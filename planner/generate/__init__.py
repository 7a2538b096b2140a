"""Scenario generators: the Isère reference scenario, a hand-solvable tiny one, and synthetic
scenarios of any size, all written through :func:`write_scenario`."""

from planner.generate.isere import build_isere, build_isere_rural6
from planner.generate.synthetic import generate_scenario
from planner.generate.tiny import build_tiny
from planner.generate.writer import write_scenario

__all__ = ["build_isere", "build_isere_rural6", "build_tiny", "generate_scenario", "write_scenario"]
