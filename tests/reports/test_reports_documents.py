"""The documents of the Isère plan: every one renders, figures agree with the plan files to the
cent, trainee refs stay where they belong, PDFs are A4."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from datetime import date, datetime
from decimal import Decimal

import pytest

from planner.reports import french
from planner.reports.context import ReportData
from planner.reports.render import funder_file, member_file, render_html, territory_file

from .conftest import PDF_MEMBERS, by_id, parse, pdf_objects, pdf_pages, read_csv, text_of

A4 = (595.28, 841.89)  # points


def cents(amount_eur: str) -> int:
    return int(Decimal(amount_eur) * 100)


def refs_in(text: str, refs: set[str]) -> set[str]:
    return {ref for ref in refs if re.search(rf"(?<![\w-]){re.escape(ref)}(?![\w-])", text)}


def test_every_document_is_written_in_french_with_the_plan_date(isere, rendered):
    scenario, _, folder = isere
    names = ["index.html"] + [territory_file(t.id) for t in scenario.territories]
    names += [funder_file(f.id) for f in scenario.funders] + [member_file(m.id) for m in scenario.members]
    plan_day = datetime.fromtimestamp((folder / "plan.json").stat().st_mtime).date()
    for name in names:
        path = rendered / name
        assert path.exists(), name
        root = parse(path)
        assert root.get("lang") == "fr"
        text = text_of(root)
        assert f"Plan du {french.day_label(plan_day)}" in " ".join(text.split()), name
        assert scenario.title in text and scenario.id in text
        for leftover in ("None", "undefined", "{{", "{%", "nan"):
            assert not re.search(rf"\b{re.escape(leftover)}\b", text), f"{leftover!r} in {name}"


def test_funder_documents_add_up_to_funding_csv_to_the_cent(isere, rendered):
    scenario, _, folder = isere
    expected: Counter[str] = Counter()
    by_line: Counter[str] = Counter()
    for row in read_csv(folder / "funding.csv"):
        if row["line_id"] != "own":
            expected[row["funder_id"]] += cents(row["amount_eur"])
            by_line[row["line_id"]] += cents(row["amount_eur"])
    assert sum(expected.values()) > 0
    for funder in scenario.funders:
        root = parse(rendered / funder_file(funder.id))
        assert int(by_id(root, "funder-total").get("data-cents")) == expected[funder.id]
        lines = by_id(root, "by-line")
        rows = lines.find("tbody").findall("tr")
        used = {tr.get("data-line-id"): int(tr.find("td").get("data-cents")) for tr in rows}
        assert sum(used.values()) == expected[funder.id], funder.id
        assert used == {b.id: by_line[b.id] for b in scenario.budget_lines if b.funder_id == funder.id}
        for table_id in ("by-line", "by-family", "by-item", "by-territory", "by-kind"):
            table = by_id(root, table_id)
            body = [int(tr.find("td").get("data-cents")) for tr in table.find("tbody").findall("tr")
                    if tr.find("td") is not None and tr.find("td").get("data-cents") is not None]
            total = int(table.find("tfoot").find("tr").find("td").get("data-cents"))
            assert sum(body) == total == expected[funder.id], (funder.id, table_id)


def test_envelope_use_and_burn_down_end_on_what_is_left(isere, rendered):
    scenario, _, folder = isere
    spent: Counter[str] = Counter()
    for row in read_csv(folder / "funding.csv"):
        spent[row["line_id"]] += cents(row["amount_eur"])
    root = parse(rendered / funder_file("region"))
    burn = {tr.get("data-line-id"): [int(td.get("data-cents")) for td in tr.findall("td")]
            for tr in by_id(root, "burn").find("tbody").findall("tr")}
    for line in (b for b in scenario.budget_lines if b.funder_id == "region"):
        values = burn[line.id]
        assert len(values) == len(range(scenario.horizon_start, scenario.horizon_end + 1)) + 1
        assert values[0] == line.envelope_cents and values[-1] == line.envelope_cents - spent[line.id]
        assert all(a >= b for a, b in zip(values, values[1:])), "remaining envelope never grows"
    svgs = [e for e in by_id(root, "burn-down").iter() if str(e.tag).rpartition("}")[2] == "svg"]
    assert len(svgs) == 1 and svgs[0].get("role") == "img"


def test_no_trainee_ref_in_funder_territory_or_overview_documents(isere, rendered):
    scenario, _, _ = isere
    refs = {r.trainee_ref for r in scenario.requests}
    names = ["index.html"] + [territory_file(t.id) for t in scenario.territories]
    names += [funder_file(f.id) for f in scenario.funders]
    for name in names:
        html = (rendered / name).read_text(encoding="utf-8")
        assert not refs_in(html, refs), f"trainee refs in {name}: {sorted(refs_in(html, refs))[:5]}"
        assert "data-trainee-ref" not in html


def test_member_documents_hold_their_own_trainees_only(isere, rendered):
    scenario, _, folder = isere
    assignments = defaultdict(set)
    for a in read_csv(folder / "assignments.csv"):
        assignments[a["member_id"]].add((a["trainee_ref"], a["session_id"]))
    unmet = defaultdict(Counter)
    for u in read_csv(folder / "unmet.csv"):
        unmet[u["member_id"]][(u["trainee_ref"], u["reason"])] += 1
    own_refs = defaultdict(set)
    for r in scenario.requests:
        own_refs[r.member_id].add(r.trainee_ref)
    for member in scenario.members:
        root = parse(rendered / member_file(member.id))
        rows = [e for e in root.iter() if e.get("data-trainee-ref") is not None]
        assert {e.get("data-trainee-ref") for e in rows} <= own_refs[member.id]
        listed = {(e.get("data-trainee-ref"), e.get("data-session-id")) for e in rows if e.get("data-session-id")}
        assert listed == assignments[member.id], member.id
        unmet_rows = Counter((e.get("data-trainee-ref"), e.get("data-reason")) for e in rows if e.get("data-reason"))
        assert unmet_rows == unmet[member.id], member.id
        text = text_of(root)
        others = refs_in(text, {r for m, rs in own_refs.items() if m != member.id for r in rs} - own_refs[member.id])
        assert not others, f"{member.id} shows other members' refs {sorted(others)[:5]}"


def test_member_funding_table_adds_up_to_its_funding_rows(isere, rendered):
    _, _, folder = isere
    rows = [r for r in read_csv(folder / "funding.csv") if r["member_id"] == "ai01"]
    root = parse(rendered / member_file("ai01"))
    table = by_id(root, "funding")
    foot = [int(td.get("data-cents")) for td in table.find("tfoot").find("tr").findall("td") if td.get("data-cents")]
    own = sum(cents(r["amount_eur"]) for r in rows if r["line_id"] == "own")
    assert foot[-1] == sum(cents(r["amount_eur"]) for r in rows)
    assert foot[-2] == own
    assert sum(foot[:-2]) == sum(cents(r["amount_eur"]) for r in rows if r["line_id"] != "own")


def test_territory_documents_list_the_plan_sessions(isere, rendered):
    scenario, _, folder = isere
    sessions = read_csv(folder / "sessions.csv")
    for territory in scenario.territories:
        root = parse(rendered / territory_file(territory.id))
        listed = [tr.get("data-session-id") for tr in by_id(root, "sessions").find("tbody").findall("tr")] \
            if any(s["territory_id"] == territory.id for s in sessions) else []
        assert sorted(listed) == sorted(s["session_id"] for s in sessions if s["territory_id"] == territory.id)
        grid = by_id(root, "grid")
        months = grid.find("thead").find("tr").findall("th")[1:]
        assert len(months) == scenario.horizon_end - scenario.horizon_start + 1


def test_pdfs_are_a4_one_per_document(isere, rendered):
    scenario, _, _ = isere
    names = ["apercu.pdf"] + [territory_file(t.id, "pdf") for t in scenario.territories]
    names += [funder_file(f.id, "pdf") for f in scenario.funders] + [member_file(m, "pdf") for m in PDF_MEMBERS]
    for name in names:
        pages = pdf_pages(rendered / name)
        assert pages, f"{name} has no page"
        for width, height in pages:
            assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1, (name, width, height)
        assert b"file:" not in pdf_objects(rendered / name), f"{name} links to files of this machine"
    # the overview: figures, territories and map, unmet requests each start a page
    assert len(pdf_pages(rendered / "apercu.pdf")) >= 3
    written = {p.name for p in rendered.glob("*.pdf")}
    assert written == set(names), "one PDF per document, nothing else"


def test_overview_headline_agrees_with_plan_kpis(isere, rendered):
    scenario, plan, folder = isere
    import json

    kpis = json.loads((folder / "plan.json").read_text(encoding="utf-8"))["kpis"]
    root = parse(rendered / "index.html")
    funders = {tr.get("data-funder-id"): int(tr.find("td").get("data-cents"))
               for tr in by_id(root, "by-funder").find("tbody").findall("tr")}
    for funder_id, eur in kpis["public_eur_by_funder"].items():
        assert funders[funder_id] == round(eur * 100)
    headline = " ".join(text_of(by_id(root, "headline")).split())
    assert f"{kpis['rural_requests_served']} sur {kpis['rural_requests']}" in headline
    assert str(kpis["sessions"]) in headline
    reasons = {tr.get("data-reason"): int(tr.findall("td")[0].text) for tr in
               by_id(root, "unmet-by-reason").find("tbody").findall("tr")}
    assert reasons == kpis["unmet_by_reason"]
    assert len(by_id(root, "near-misses").find("tbody").findall("tr")) == len(plan.near_misses)
    svgs = [e for e in root.iter() if str(e.tag).rpartition("}")[2] == "svg"]
    assert len(svgs) == 2  # hours by family, map
    html = (rendered / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", html), "no online resource"


def test_dates_from_meeting_days_or_to_be_fixed(isere):
    scenario, plan, _ = isere
    session = plan.sessions[0]
    territory = scenario.venue[session.venue_id].territory_id
    undated = dataclasses.replace(plan, meeting_days={})
    view = ReportData(scenario, undated).territory(territory)
    assert all(not s["dates_known"] for s in view["sessions"])
    assert "dates à fixer" in render_html("territory.html.j2", view)
    year = session.start_month // 12
    month = session.start_month % 12 + 1
    days = [date(year, month, d).isoformat() for d in (1, 2, 5)]
    dated = dataclasses.replace(plan, meeting_days={session.id: days})
    view = ReportData(scenario, dated).territory(territory)
    mine = next(s for s in view["sessions"] if s["id"] == session.id)
    assert mine["dates_label"] == f"du 1er au 5 {french.MONTH_NAMES[month - 1]} {year}"
    assert mine["meeting_days"] == 3
    html = render_html("territory.html.j2", view)
    assert mine["dates_label"] in html


def test_text_from_the_scenario_is_escaped(isere):
    scenario, plan, _ = isere
    member = scenario.members[0]
    evil = dataclasses.replace(member, name='<script>alert("x")</script> & Cie')
    tampered = dataclasses.replace(scenario, members=(evil,) + scenario.members[1:])
    html = render_html("member.html.j2", ReportData(tampered, plan).member(member.id))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "&amp; Cie" in html


@pytest.mark.parametrize("member_id", ["ai01", "aci03"])
def test_unmet_details_are_in_french(isere, member_id):
    scenario, plan, _ = isere
    view = ReportData(scenario, plan).member(member_id)
    # built from the reason and cause (issue 15), never the solver's English detail
    details = {u.detail for u in plan.unmet}
    assert view["unmet"] and all(u["detail"] and u["detail"] not in details for u in view["unmet"])


def test_pdf_page_count_is_what_weasyprint_laid_out(rendered, tmp_path):
    from planner.reports.render import write_pdf

    html = (rendered / territory_file("cisg")).read_text(encoding="utf-8")
    pages = write_pdf(html, tmp_path / "cisg.pdf")
    assert pages >= 1 and len(pdf_pages(tmp_path / "cisg.pdf")) == pages
