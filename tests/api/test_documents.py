"""Rendered documents (HTML, PDF) and ICS calendars, as `planner report` writes them, under the role rules."""

from __future__ import annotations

from api_helpers import REF_PREFIX, assert_problem, ref


def test_documents_as_html_and_pdf(world):
    c, p = world.client, world.plan_id
    for path, role in ((f"/v1/plans/{p}/documents/overview", "funder:opca"),
                       (f"/v1/plans/{p}/documents/territory/collines", "funder:region"),
                       (f"/v1/plans/{p}/documents/funder/region", "funder:opca"),
                       (f"/v1/plans/{p}/documents/member/m2", "member:m2")):
        html = c.get(path, headers=world.h(role))
        assert html.status_code == 200 and html.headers["content-type"].startswith("text/html"), path
        assert "<html" in html.text.lower()
        again = c.get(path, headers=world.h("coordinator"))  # cached: the same file
        assert again.content == html.content
    pdf = c.get(f"/v1/plans/{p}/documents/member/m2?format=pdf", headers=world.h("member:m2"))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    member = c.get(f"/v1/plans/{p}/documents/member/m2", headers=world.h("member:m2")).text
    assert ref("m2", "T1") in member and REF_PREFIX + "-m1-" not in member
    funder = c.get(f"/v1/plans/{p}/documents/funder/opca", headers=world.h("funder:opca")).text
    assert "OPCA des petites structures" in funder


def test_calendars(world):
    c, p = world.client, world.plan_id
    territory = c.get(f"/v1/plans/{p}/calendars/territory/ville", headers=world.h("funder:opca"))
    assert territory.status_code == 200 and territory.headers["content-type"].startswith("text/calendar")
    assert territory.text.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in territory.text
    assert REF_PREFIX not in territory.text
    member = c.get(f"/v1/plans/{p}/calendars/member/m1", headers=world.h("member:m1")).text
    assert ref("m1", "T1") in member.replace("\r\n ", "")  # ICS folds long lines


def test_unknown_documents_and_formats(world):
    c, p, h = world.client, world.plan_id, world.h("coordinator")
    assert_problem(c.get(f"/v1/plans/{p}/documents/territory/nowhere", headers=h), 404)
    assert_problem(c.get(f"/v1/plans/{p}/documents/funder/own", headers=h), 404)
    assert_problem(c.get(f"/v1/plans/{p}/documents/venue/x", headers=h), 422)
    assert_problem(c.get(f"/v1/plans/{p}/documents/overview?format=docx", headers=h), 422)
    assert_problem(c.get(f"/v1/plans/{p}/calendars/funder/opca", headers=h), 422)
    assert_problem(c.get("/v1/plans/pnope/documents/overview", headers=h), 404)
    assert_problem(c.get(f"/v1/plans/{p}/documents/member/m2", headers=world.h("member:m1")), 403)
    assert_problem(c.get(f"/v1/plans/{p}/calendars/member/m2", headers=world.h("funder:opca")), 403)
    assert_problem(c.get(f"/v1/plans/{p}/documents/territory/ville", headers=world.h("member:m1")), 403)
