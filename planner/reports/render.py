"""Render the documents of a plan to HTML and PDF files.

Templates live in ``planner/reports/templates`` (Jinja2, autoescaped); the one print
stylesheet, ``print.css``, is embedded in every HTML file so that each file stands alone (it can
be mailed or opened from a USB stick) and WeasyPrint reads the very same rules for the PDF.

Files written by :func:`write_reports` into ``out_dir``:

- ``index.html`` / ``apercu.pdf``: the overview;
- ``territoire-<id>.html/.pdf``: one territory's schedule;
- ``financeur-<id>.html/.pdf``: one funder's budget split;
- ``structure-<id>.html/.pdf``: one member structure's trainees, sessions and funding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from planner.domain import Scenario
from planner.domain.plan import Plan
from planner.plans.reader import plan_json_path
from planner.reports import charts, french
from planner.reports.context import ReportData

OVERVIEW_HTML, OVERVIEW_PDF = "index.html", "apercu.pdf"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("planner.reports", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2", "xml"), default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        eur=french.eur_cents,
        number=french.number,
        month=french.month_label,
        percent=french.percent,
        plural=french.plural,  # {{ n | plural("stagiaire") }}: "1 stagiaire", "3 stagiaires"
    )
    env.globals["css"] = Markup(stylesheet())  # our own file: safe to embed as is
    return env


def stylesheet() -> str:
    return files("planner.reports").joinpath("templates", "print.css").read_text(encoding="utf-8")


def safe_name(identifier: str) -> str:
    """An id as a file-name part: letters, digits, ``.``, ``_`` and ``-`` kept, anything else ``_``."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", identifier) or "_"


def territory_file(territory_id: str, ext: str = "html") -> str:
    return f"territoire-{safe_name(territory_id)}.{ext}"


def funder_file(funder_id: str, ext: str = "html") -> str:
    return f"financeur-{safe_name(funder_id)}.{ext}"


def member_file(member_id: str, ext: str = "html") -> str:
    return f"structure-{safe_name(member_id)}.{ext}"


def overview_file(ext: str = "html") -> str:
    return OVERVIEW_HTML if ext == "html" else OVERVIEW_PDF


def plan_date(plan_folder: str | Path | None) -> date | None:
    """The date of a plan: when its plan.json was last written (local time)."""
    if plan_folder is None:
        return None
    try:
        return datetime.fromtimestamp(plan_json_path(plan_folder).stat().st_mtime).date()
    except OSError:
        return None


NO_LINKS: dict[str, Any] = {"territories": set(), "funders": set(), "members": set(), "overview": False}


def render_html(template: str, view: dict[str, Any], *, links: dict[str, Any] | None = None) -> str:
    """One document as HTML.

    ``links``: the sibling documents written alongside (``territories``, ``funders``,
    ``members`` id sets, ``overview`` flag), which the document links to; None links to none.
    """
    names = {"territory": territory_file, "funder": funder_file, "member": member_file, "overview": OVERVIEW_HTML}
    return environment().get_template(template).render(**view, files=names, links=links or NO_LINKS)


def write_pdf(html: str, path: str | Path, base_url: str | Path | None = None) -> int:
    """Write the PDF of an HTML document with WeasyPrint; the number of pages."""
    from weasyprint import HTML

    path = Path(path)
    document = HTML(string=html, base_url=str(base_url or path.parent)).render()
    document.write_pdf(path)
    return len(document.pages)


def _write_pdf_job(job: tuple[str, str, str]) -> int:
    return write_pdf(*job)


def write_pdfs(jobs: list[tuple[str, str, str]], workers: int = 1) -> list[int]:
    """Write several PDFs ``(html, path, base_url)``, in ``workers`` processes; their page counts.

    WeasyPrint's layout is pure Python and CPU-bound, so processes are what makes it faster on
    several cores. They are forked (a spawned child would re-run the caller's main script); where
    fork is not available, the PDFs are written one after the other.
    """
    import multiprocessing

    if workers <= 1 or len(jobs) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [_write_pdf_job(job) for job in jobs]
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
        return list(pool.map(_write_pdf_job, jobs))


def _selected(requested: Iterable[str] | None, known: Sequence[str], what: str) -> list[str]:
    """Ids to render: every known one when ``requested`` is None; unknown ids fail fast."""
    if requested is None:
        return list(known)
    chosen = list(dict.fromkeys(requested))
    unknown = [x for x in chosen if x not in set(known)]
    if unknown:
        raise ValueError(f"unknown {what}: {', '.join(unknown)} (known: {', '.join(known)})")
    return chosen


def write_reports(scenario: Scenario, plan: Plan, plan_folder: str | Path | None, out_dir: str | Path, *,
                  territories: Iterable[str] | None = None, funders: Iterable[str] | None = None,
                  members: Iterable[str] | None = None, pdf: bool = True, workers: int = 1) -> list[Path]:
    """Write the overview and the selected territory, funder and member documents (HTML and PDF).

    ``territories``, ``funders``, ``members``: ids to render; None renders every one, an empty
    list none (the overview is always written); an unknown id raises ValueError. ``plan_folder``
    dates the documents (its plan.json's modification time). ``pdf=False`` writes the HTML only;
    ``workers`` processes write the PDFs. Returns the files written, overview first, each
    document's HTML before its PDF.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    chosen_t = _selected(territories, [t.id for t in scenario.territories], "territory")
    chosen_f = _selected(funders, [f.id for f in scenario.funders], "funder")
    chosen_m = _selected(members, [m.id for m in scenario.members], "member")
    data = ReportData(scenario, plan, plan_date(plan_folder))
    links = {"territories": set(chosen_t), "funders": set(chosen_f), "members": set(chosen_m), "overview": True}

    documents: list[tuple[str, dict[str, Any], str, str]] = []  # template, view, html name, pdf name
    overview = data.overview()
    overview["charts"] = {
        "hours": Markup(charts.hours_by_family(overview["families"], prefix="hours")),
        "map": Markup(charts.network_map(overview["map"], prefix="map")),
    }
    documents.append(("overview.html.j2", overview, overview_file("html"), overview_file("pdf")))
    for t in chosen_t:
        documents.append(("territory.html.j2", data.territory(t), territory_file(t, "html"), territory_file(t, "pdf")))
    for f in chosen_f:
        view = data.funder(f)
        view["charts"] = {"burn": Markup(charts.burn_down([m["label"] for m in view["months"]], view["burn"],
                                                          prefix=f"burn-{safe_name(f)}"))
                          if view["burn"] else None}
        documents.append(("funder.html.j2", view, funder_file(f, "html"), funder_file(f, "pdf")))
    for m in chosen_m:
        documents.append(("member.html.j2", data.member(m), member_file(m, "html"), member_file(m, "pdf")))

    written: list[Path] = []
    jobs: list[tuple[str, str, str]] = []
    for template, view, html_name, pdf_name in documents:
        path = out / html_name
        path.write_text(render_html(template, view, links=links), encoding="utf-8")
        written.append(path)
        if pdf:
            written.append(out / pdf_name)
            # no links between PDFs: WeasyPrint would write them as absolute file:// URLs of this machine
            jobs.append((render_html(template, view), str(out / pdf_name), str(out)))
    write_pdfs(jobs, workers)
    return written
