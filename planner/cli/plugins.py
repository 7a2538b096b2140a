"""Commands other packages add to ``planner`` (the partner API's ``serve`` and ``token``).

A package declares ``[project.entry-points."planner.commands"] name = "module:register"``;
``register(app)`` adds its commands to the Typer app. The library never imports those packages
itself, and one that is missing or broken leaves the other commands working.
"""

from __future__ import annotations

import sys
from importlib.metadata import entry_points

import typer

GROUP = "planner.commands"


def load_command_plugins(app: typer.Typer) -> None:
    for entry in entry_points(group=GROUP):
        try:
            entry.load()(app)
        except Exception as exc:  # a broken plugin costs its own commands only
            print(f"planner: the commands of {entry.name!r} ({entry.value}) are not available: "
                  f"{type(exc).__name__}: {exc}", file=sys.stderr)
