"""Tables that break across printed pages (issue 15): their header repeats on every page, their
total comes once, after the last row (a repeated footer read as a page subtotal)."""

from __future__ import annotations

from markupsafe import Markup

from planner.reports.render import member_file, stylesheet

from .conftest import by_id, parse, text_of


def page_texts(html: str) -> list[str]:
    from weasyprint import HTML

    pages = []
    for page in HTML(string=html).render().pages:
        texts = [box.text for box in page._page_box.descendants() if hasattr(box, "text")]
        pages.append(" ".join(texts))
    return pages


def test_a_long_table_repeats_its_header_and_totals_once():
    rows = "".join(f"<tr><th scope='row'>Ligne{i:03d}</th><td class='num'>{i}</td></tr>" for i in range(150))
    html = (f"<html lang='fr'><head><style>{Markup(stylesheet())}</style></head><body>"
            f"<table class='data' id='funding'><thead><tr><th>EnTete</th><th class='num'>Montant</th></tr></thead>"
            f"<tbody>{rows}</tbody><tfoot><tr><th scope='row'>TotalGeneral</th><td class='num'>11175</td></tr>"
            f"</tfoot></table></body></html>")
    pages = page_texts(html)
    assert len(pages) >= 2
    assert all("EnTete" in text for text in pages)
    assert [text.count("TotalGeneral") for text in pages] == [0] * (len(pages) - 1) + [1]
    assert pages[-1].index("Ligne149") < pages[-1].index("TotalGeneral")


def test_the_member_funding_table_names_sessions_shortly(rendered):
    table = by_id(parse(rendered / member_file("ai01")), "funding")
    labels = [e for e in table.iter() if e.tag == "tr" and e.get("data-session-id")]
    assert labels
    for row in labels:
        code, months = [text_of(e) for e in row.find("th").iter() if e.tag == "span"]
        # the module code and short months (« sept.–nov. 2012 »), each kept on one line
        assert " à " not in months and len(months) <= len("déc. 2012–janv. 2013"), months
        assert code and code in text_of(row.find("th"))
