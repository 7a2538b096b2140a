"""The ``planner`` command line: a thin layer over the library (read → act → write)."""

from planner.cli.app import EXIT_BAD_INPUT, EXIT_OK, EXIT_WARN, app, console, err_console, main

__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "EXIT_WARN", "app", "console", "err_console", "main"]
