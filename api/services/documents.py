"""The plan's documents (HTML, PDF) and calendars (ICS), rendered on first request and kept.

Views come from :class:`planner.reports.context.ReportData` and the report templates, exactly as
``planner report`` renders them (one document at a time here); calendars from
:func:`planner.exports.write_calendars`. Files are cached under the run folder
(``documents/``), written to a temporary name and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

KINDS = ("overview", "territory", "funder", "member")
MEDIA = {"html": "text/html; charset=utf-8", "pdf": "application/pdf", "ics": "text/calendar; charset=utf-8"}


@lru_cache(maxsize=4)
def report_data(run_folder: str):  # -> ReportData
    from api.services.scenarios import load
    from planner.plans.reader import read_plan
    from planner.reports.context import ReportData
    from planner.reports.render import plan_date

    run = Path(run_folder)
    scenario = load(run / "scenario", survey=True)
    plan = read_plan(run / "plan", scenario)
    return ReportData(scenario, plan, plan_date(run / "plan"))


def _view(kind: str, ident: str | None, data: Any) -> tuple[str, dict[str, Any]]:
    from planner.reports import charts
    from planner.reports.render import safe_name

    if kind == "overview":
        view = data.overview()
        view["charts"] = {"hours": Markup(charts.hours_by_family(view["families"], prefix="hours")),
                          "map": Markup(charts.network_map(view["map"], prefix="map"))}
        return "overview.html.j2", view
    if kind == "territory":
        return "territory.html.j2", data.territory(ident)
    if kind == "funder":
        view = data.funder(ident)
        view["charts"] = {"burn": Markup(charts.burn_down([m["label"] for m in view["months"]], view["burn"],
                                                          prefix=f"burn-{safe_name(ident)}")) if view["burn"] else None}
        return "funder.html.j2", view
    return "member.html.j2", data.member(ident)


def _atomic(path: Path, write) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def document(run: Path, kind: str, ident: str | None, fmt: str) -> Path:
    """The HTML or PDF of one document (ids already checked against the scenario)."""
    from planner.reports.render import render_html, safe_name, write_pdf

    name = f"{kind}-{safe_name(ident or 'plan')}.{fmt}"
    path = run / "documents" / name
    if path.exists():
        return path
    template, view = _view(kind, ident, report_data(str(run)))
    html = render_html(template, view)
    if fmt == "html":
        return _atomic(path, lambda tmp: tmp.write_text(html, encoding="utf-8"))
    return _atomic(path, lambda tmp: write_pdf(html, tmp, base_url=run / "documents"))


def calendar(run: Path, kind: str, ident: str) -> Path:
    """The ICS calendar of a territory or a member."""
    from planner.exports import write_calendars
    from planner.reports.render import safe_name

    path = run / "documents" / f"{kind}-{safe_name(ident)}.ics"
    if path.exists():
        return path
    data = report_data(str(run))

    def write(tmp: Path) -> None:
        out = Path(tempfile.mkdtemp(prefix=".ics-", dir=tmp.parent))
        try:
            (written,) = write_calendars(data.scenario, data.plan, out, territories=[ident] if kind == "territory" else [],
                                         members=[ident] if kind == "member" else [])
            os.replace(written, tmp)
        finally:
            for f in out.iterdir():
                f.unlink()
            out.rmdir()

    return _atomic(path, write)
