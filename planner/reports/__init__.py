"""Printable documents of a plan, in French: per territory, funder and member structure, and an overview.

Each document is rendered from a Jinja2 template (autoescaped) to HTML and, through
WeasyPrint, to an A4 PDF. View models are plain dicts built by :mod:`planner.reports.context`
from the same tables as the plan folder, so that every amount agrees to the cent with
``funding.csv``. Charts are drawn by matplotlib as inline SVG (:mod:`planner.reports.charts`).
"""

from planner.reports.render import write_reports

__all__ = ["write_reports"]
