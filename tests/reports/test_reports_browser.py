"""The HTML documents in a real browser (headless Chromium): no console error, the sessions
table of a territory schedule holds the plan's sessions of that territory."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.reports.render import territory_file

from .conftest import read_csv

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium "
                    "(apt-get install chromium; the Makefile installs it)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def open_page(browser, path: Path):
    """Open a file in a new page; the page and the console errors, page errors and failed requests seen."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
    page.goto(path.as_uri(), wait_until="load")
    return page, errors


def test_overview_opens_without_errors(browser, rendered):
    page, errors = open_page(browser, rendered / "index.html")
    try:
        assert page.title().startswith("Aperçu du plan")
        assert page.locator("svg.chart").count() == 2
        assert page.locator("#by-funder tbody tr").count() > 0
        box = page.locator("#map svg").bounding_box()
        assert box and box["width"] > 300 and box["height"] > 300, "the map is drawn at a readable size"
        assert errors == []
    finally:
        page.close()


def test_territory_schedule_lists_the_plan_sessions(browser, rendered, isere):
    scenario, _, folder = isere
    sessions = read_csv(folder / "sessions.csv")
    territory = max(scenario.territories, key=lambda t: sum(s["territory_id"] == t.id for s in sessions))
    expected = sorted(s["session_id"] for s in sessions if s["territory_id"] == territory.id)
    page, errors = open_page(browser, rendered / territory_file(territory.id))
    try:
        rows = page.locator("#sessions tbody tr")
        assert rows.count() == len(expected) > 0
        assert sorted(rows.evaluate_all("rs => rs.map(r => r.dataset.sessionId)")) == expected
        assert page.locator("#grid tbody tr").count() > 0
        # every session appears in the year grid at its start month
        starts = page.locator("#grid .badge.start").count()
        assert starts == len(expected)
        # links back to the overview work over file://
        page.click("nav.back a")
        page.wait_for_load_state("load")
        assert page.url.endswith("/index.html")
        assert errors == []
    finally:
        page.close()
