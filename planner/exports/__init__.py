"""Exports of a plan for the people who use it.

- :func:`planner.exports.xlsx.write_plan_workbook` — the whole plan as one French XLSX workbook
  (summary by funder and budget line, sessions, trainees, funding rows, members, unmet needs);
- :func:`planner.exports.ics.write_calendars` — ICS calendars per territory and per member
  structure, one event per meeting day.
"""

from planner.exports.ics import write_calendars
from planner.exports.xlsx import write_plan_workbook

__all__ = ["write_calendars", "write_plan_workbook"]
