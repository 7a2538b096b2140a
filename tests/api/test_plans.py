"""Plan views: list, get, sessions with filters, unmet, the budget split (JSON and CSV), diff."""

from __future__ import annotations

import csv
import io

from api_helpers import assert_problem

GROUPS = ("funder", "line", "territory", "family", "member_kind", "month", "cost_item")


def test_list_and_get(world):
    c = world.client
    plans = c.get("/v1/plans", headers=world.h("funder:opca")).json()
    assert plans["count"] == 2 and {p["id"] for p in plans["data"]} == {world.plan_id, world.other_plan_id}
    assert c.get(f"/v1/plans?scenario_id={world.scenario_id}&limit=1", headers=world.h("coordinator")).json()["count"] == 2
    assert c.get("/v1/plans?scenario_id=snope", headers=world.h("coordinator")).json()["count"] == 0
    plan = c.get(f"/v1/plans/{world.plan_id}", headers=world.h("funder:opca")).json()
    assert plan["solver"] == "greedy" and plan["kpis"]["requests"] == 14
    assert_problem(c.get("/v1/plans/pnope", headers=world.h("coordinator")), 404)
    assert_problem(c.get("/v1/plans/bad%20id", headers=world.h("coordinator")), 422)


def test_sessions_and_filters(world):
    c, h, p = world.client, world.h("coordinator"), world.plan_id
    everything = c.get(f"/v1/plans/{p}/sessions?limit=1000", headers=h).json()
    assert everything["count"] == len(everything["data"]) > 0
    s = everything["data"][0]
    assert sum(len(x["attendees"]) for x in everything["data"]) == sum(x["trainees"] for x in everything["data"])
    for query, check in ((f"territory={s['territory_id']}", lambda x: x["territory_id"] == s["territory_id"]),
                         (f"month={s['start_month']}", lambda x: x["start_month"] <= s["start_month"] <= x["end_month"]),
                         (f"module={s['module_code']}", lambda x: x["module_code"] == s["module_code"]),
                         (f"provider={s['provider_id']}", lambda x: x["provider_id"] == s["provider_id"])):
        rows = c.get(f"/v1/plans/{p}/sessions?{query}", headers=h).json()["data"]
        assert rows and all(check(x) for x in rows), query
    assert c.get(f"/v1/plans/{p}/sessions?territory=nowhere", headers=h).json()["count"] == 0
    assert c.get(f"/v1/plans/{p}/sessions?month=2011-01", headers=h).json()["count"] == 0
    page = c.get(f"/v1/plans/{p}/sessions?limit=1&offset=1", headers=h).json()
    assert page["count"] == everything["count"] and page["data"] == everything["data"][1:2]
    assert_problem(c.get(f"/v1/plans/{p}/sessions?month=2012-13", headers=h), 422)


def test_unmet(world):
    c, p = world.client, world.plan_id
    rows = c.get(f"/v1/plans/{p}/unmet", headers=world.h("coordinator")).json()
    kpis = c.get(f"/v1/plans/{p}", headers=world.h("coordinator")).json()["kpis"]
    assert rows["count"] == sum(kpis["unmet_by_reason"].values()) > 0
    # the capacity cause reaches the API (issue 15): set for capacity rows, empty otherwise
    assert all(u["cause"] == "" for u in rows["data"] if u["reason"] != "capacity")
    reason = rows["data"][0]["reason"]
    same = c.get(f"/v1/plans/{p}/unmet?reason={reason}", headers=world.h("coordinator")).json()
    assert same["count"] == kpis["unmet_by_reason"][reason]
    mine = c.get(f"/v1/plans/{p}/unmet", headers=world.h("member:m3")).json()["data"]
    assert mine and all(u["member_id"] == "m3" for u in mine)
    assert_problem(c.get(f"/v1/plans/{p}/unmet?member=m1", headers=world.h("member:m3")), 403)


def test_budget_totals_agree_with_the_plan(world):
    c, h = world.client, world.h("funder:region")
    for plan_id in (world.plan_id, world.other_plan_id):
        kpis = c.get(f"/v1/plans/{plan_id}", headers=h).json()["kpis"]
        budget = c.get(f"/v1/plans/{plan_id}/budget?group_by=funder", headers=h).json()
        by_funder = {row["funder"]: row["amount_eur"] for row in budget["data"]}
        assert by_funder.pop("own") == kpis["own_funds_eur"]
        assert by_funder == kpis["public_eur_by_funder"]
        assert round(sum(r["amount_eur"] for r in budget["data"]), 2) == budget["total"]["amount_eur"]
        assert budget["total"]["trainees"] == kpis["requests_served"]
        assert budget["total"]["trainee_hours"] == sum(kpis["trainee_hours_by_family"].values())
        for group in GROUPS:  # every grouping adds up to the same total
            rows = c.get(f"/v1/plans/{plan_id}/budget?group_by={group}", headers=h).json()["data"]
            assert round(sum(r["amount_eur"] for r in rows), 2) == budget["total"]["amount_eur"], group
            assert all(set(r) == {group, "amount_eur", "trainees", "trainee_hours"} for r in rows)


def test_budget_filters_and_errors(world):
    c, h, p = world.client, world.h("funder:opca"), world.plan_id
    rows = c.get(f"/v1/plans/{p}/budget?group_by=funder,territory,family&funder=region&territory=ville&family=short",
                 headers=h).json()
    assert rows["filters"] == {"funder": "region", "territory": "ville", "family": "short"}
    assert rows["data"] and all((r["funder"], r["territory"], r["family"]) == ("region", "ville", "short")
                                for r in rows["data"])
    month = c.get(f"/v1/plans/{p}/budget?group_by=month,member_kind", headers=h).json()["data"]
    assert any(r["month"] == "2012-01" for r in month) and {r["member_kind"] for r in month} <= {"ACI", "AI"}
    body = assert_problem(c.get(f"/v1/plans/{p}/budget?funder=regoin", headers=h), 422)
    assert body["errors"][0]["column"] == "funder" and body["errors"][0]["suggestion"] == "region"
    body = assert_problem(c.get(f"/v1/plans/{p}/budget?group_by=funder,colour", headers=h), 422)
    assert body["errors"][0]["value"] == "colour"
    assert_problem(c.get(f"/v1/plans/{p}/budget?group_by=funder,funder", headers=h), 422)
    assert_problem(c.get(f"/v1/plans/{p}/budget?family=long", headers=h), 422)


def test_budget_as_csv(world):
    c, p = world.client, world.plan_id
    r = c.get(f"/v1/plans/{p}/budget?group_by=funder,line", headers={**world.h("funder:opca"), "Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0]) == ["funder", "line", "amount_eur", "trainees", "trainee_hours"]
    json_rows = c.get(f"/v1/plans/{p}/budget?group_by=funder,line", headers=world.h("funder:opca")).json()["data"]
    assert [(x["funder"], x["line"], float(x["amount_eur"])) for x in rows] == \
        [(x["funder"], x["line"], x["amount_eur"]) for x in json_rows]
    default = c.get(f"/v1/plans/{p}/budget", headers={**world.h("funder:opca"), "Accept": "*/*"})
    assert default.headers["content-type"] == "application/json"


def test_diff(world):
    c, p, q = world.client, world.plan_id, world.other_plan_id
    same = c.get(f"/v1/plans/{p}/diff?against={p}", headers=world.h("coordinator")).json()
    assert same["sessions_opened"] == same["sessions_closed"] == same["trainees_moved"] == []
    assert all(f["delta_eur"] == 0 for f in same["eur_by_funder"])
    d = c.get(f"/v1/plans/{q}/diff?against={p}", headers=world.h("coordinator")).json()
    old = c.get(f"/v1/plans/{p}", headers=world.h("coordinator")).json()["kpis"]
    new = c.get(f"/v1/plans/{q}", headers=world.h("coordinator")).json()["kpis"]
    deltas = {f["funder"]: f for f in d["eur_by_funder"]}
    for funder, amount in new["public_eur_by_funder"].items():
        assert deltas[funder]["after_eur"] == amount
    for funder, amount in old["public_eur_by_funder"].items():
        assert deltas[funder]["before_eur"] == amount
    assert d["newly_served"] - d["no_longer_served"] == new["requests_served"] - old["requests_served"]
    assert len(d["trainees_moved"]) == d["moved"] + d["newly_served"] + d["no_longer_served"]
    funder = c.get(f"/v1/plans/{q}/diff?against={p}", headers=world.h("funder:opca")).json()
    assert funder["trainees_moved"] is None and funder["moved"] == d["moved"]
    assert funder["eur_by_funder"] == d["eur_by_funder"]
    mine = c.get(f"/v1/plans/{q}/diff?against={p}", headers=world.h("member:m2")).json()
    assert all(m["member_id"] == "m2" for m in mine["trainees_moved"])
    assert_problem(c.get(f"/v1/plans/{p}/diff?against=pnope", headers=world.h("coordinator")), 404)
    assert_problem(c.get(f"/v1/plans/{p}/diff", headers=world.h("coordinator")), 422)
