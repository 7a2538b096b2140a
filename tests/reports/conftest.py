"""The Isère reference scenario, its greedy plan written as a plan folder, and its documents.

Rendering every document is the slow part (WeasyPrint): it is done once for the whole
package. Every document is written as HTML; PDFs are written for the overview, every
territory, every funder and two member structures (the member template is the same for all).
"""

from __future__ import annotations

import csv
import re
import zlib
from pathlib import Path

import pytest
import tinyhtml5

from planner.heuristics.greedy import solve_greedy
from planner.ingestion import load_scenario
from planner.plans.writer import write_plan
from planner.plans.reader import read_plan
from planner.reports import write_reports

ROOT = Path(__file__).resolve().parents[2]
ISERE = ROOT / "scenarios" / "isere-2012"
PDF_MEMBERS = ("ai01", "aci03")


@pytest.fixture(scope="session")
def isere(tmp_path_factory):
    """(scenario, plan read back from its folder, plan folder)."""
    scenario = load_scenario(ISERE)
    folder = write_plan(scenario, solve_greedy(scenario), tmp_path_factory.mktemp("isere") / "plan")
    return scenario, read_plan(folder, scenario), folder


@pytest.fixture(scope="session")
def rendered(isere, tmp_path_factory):
    """Folder with every document as HTML, and the PDFs named in the module docstring."""
    scenario, plan, folder = isere
    out = tmp_path_factory.mktemp("documents")
    write_reports(scenario, plan, folder, out, pdf=False)
    write_reports(scenario, plan, folder, out, members=PDF_MEMBERS, workers=2)
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def parse(path: Path):
    """An HTML file as an ElementTree element (tags without namespace)."""
    return tinyhtml5.parse(path.read_text(encoding="utf-8"), namespace_html_elements=False)


def by_id(root, element_id: str):
    found = [e for e in root.iter() if e.get("id") == element_id]
    assert len(found) == 1, f"expected one element with id {element_id!r}, found {len(found)}"
    return found[0]


def text_of(element) -> str:
    return "".join(element.itertext())


def pdf_objects(path: Path) -> bytes:
    """A PDF's bytes with every Flate-compressed stream (object streams included) inflated."""
    data = path.read_bytes()
    assert data.startswith(b"%PDF-"), f"{path.name} is not a PDF"
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(chunks)


def pdf_pages(path: Path) -> list[tuple[float, float]]:
    """Width and height (points) of each page of a PDF, read from its (possibly compressed) objects."""
    text = pdf_objects(path)
    pages = []
    for obj in re.finditer(rb"<<(?:[^<>]|<<(?:[^<>]|<<[^<>]*>>)*>>)*>>", text):
        body = obj.group(0)
        if re.search(rb"/Type\s*/Page(?![s\w])", body):
            box = re.search(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", body)
            assert box, f"a page of {path.name} has no MediaBox"
            x0, y0, x1, y1 = (float(v) for v in box.groups())
            pages.append((x1 - x0, y1 - y0))
    return pages
