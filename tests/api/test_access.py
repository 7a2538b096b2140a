"""Every endpoint under every role: 401 without a valid token, 403 for a wrong role (problem details),
and no trainee ref ever reaching a funder, nor another member's data reaching a member."""

from __future__ import annotations

import re

import pytest
from api_helpers import REF_PREFIX, assert_problem, bearer, scenario_files, tiny_copy

ALL = {"coordinator", "funder:opca", "funder:region", "member:m1", "member:m2", "member:m3"}
FUNDERS = {"funder:opca", "funder:region"}
MEMBERS = {"member:m1", "member:m2", "member:m3"}
C = {"coordinator"}


def reads(w) -> list[tuple[str, set[str]]]:
    """(GET path, roles allowed) for every read endpoint, with the world's ids."""
    s, p, q, j = w.scenario_id, w.plan_id, w.other_plan_id, w.job_id
    return [
        ("/v1/me", ALL),
        ("/v1/audit", C),
        ("/v1/scenarios", ALL),
        (f"/v1/scenarios/{s}", ALL),
        (f"/v1/scenarios/{s}/validation", C),
        (f"/v1/scenarios/{s}/surveys", C | MEMBERS),
        (f"/v1/scenarios/{s}/surveys/m1", C | {"member:m1"}),
        (f"/v1/scenarios/{s}/surveys/m1/versions", C | {"member:m1"}),
        (f"/v1/scenarios/{s}/surveys/m1/versions/1", C | {"member:m1"}),
        (f"/v1/scenarios/{s}/surveys/m1/template", C | {"member:m1"}),
        ("/v1/solves", C),
        (f"/v1/solves/{j}", C),
        ("/v1/plans", ALL),
        (f"/v1/plans/{p}", ALL),
        (f"/v1/plans/{p}/sessions", ALL),
        (f"/v1/plans/{p}/unmet", C | MEMBERS),
        (f"/v1/plans/{p}/budget?group_by=funder,line,territory,family,member_kind,month,cost_item", ALL),
        (f"/v1/plans/{p}/diff?against={q}", ALL),
        (f"/v1/plans/{p}/documents/overview", C | FUNDERS),
        (f"/v1/plans/{p}/documents/territory/ville", C | FUNDERS),
        (f"/v1/plans/{p}/documents/funder/opca", C | FUNDERS),
        (f"/v1/plans/{p}/documents/member/m1", C | {"member:m1"}),
        (f"/v1/plans/{p}/calendars/territory/ville", C | FUNDERS),
        (f"/v1/plans/{p}/calendars/member/m1", C | {"member:m1"}),
    ]


def writes(w) -> list[tuple[str, str, dict, set[str]]]:
    """(method, path, request kwargs, roles allowed) for the endpoints that change something."""
    s = w.scenario_id
    row = {"trainee_ref": "new", "module_code": "EV-TAILLE"}
    return [
        ("POST", "/v1/scenarios", {"files": [("files", ("scenario.toml", b"id = 'x'"))]}, C),
        ("POST", f"/v1/scenarios/{s}/surveys/m1", {"json": {"rows": [row]}}, C | {"member:m1"}),
        ("POST", f"/v1/scenarios/{s}/surveys/m1/workbook", {"files": {"file": ("s.csv", b"member_id\n")}},
         C | {"member:m1"}),
        ("POST", "/v1/solves", {"json": {"scenario_id": "nope"}}, C),
        ("DELETE", "/v1/solves/jnope", {}, C),
    ]


def test_every_endpoint_is_listed_here(world):
    """The tables above cover every operation of the OpenAPI schema."""
    schema = world.client.get("/openapi.json").json()
    listed = {("GET", re.sub(r"\?.*", "", path)) for path, _ in reads(world)}
    listed |= {(m, path) for m, path, _, _ in writes(world)}
    ids = {world.scenario_id, world.plan_id, world.job_id, "m1", "ville", "opca", "1", "jnope"}
    normalised = {(m, "/".join("{}" if part in ids else part for part in path.split("/"))) for m, path in listed}
    for path, operations in schema["paths"].items():
        for method in operations:
            key = (method.upper(), re.sub(r"\{[^}]+\}", "{}", path))
            if key[1].startswith("/v1"):
                # documents/{kind}/{ident}: kinds are listed one by one above
                shape = re.sub(r"/(territory|funder|member)/\{\}", "/{}/{}", key[1])
                assert key in normalised or (key[0], shape) in {
                    (m, re.sub(r"/(territory|funder|member)/\{\}", "/{}/{}", p)) for m, p in normalised}, key


def test_no_token_gives_401_everywhere(world):
    for path, _ in reads(world):
        body = assert_problem(world.client.get(path), 401)
        assert body["instance"] == path.split("?")[0]
    for method, path, kwargs, _ in writes(world):
        response = world.client.request(method, path, **kwargs)
        assert_problem(response, 401)
        assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer plnr_000000000000_" + "x" * 43, "Basic dXNlcjpwYXNz",
                                    "Bearer ", "bearer"])
def test_bad_tokens_give_401(world, header):
    assert_problem(world.client.get("/v1/scenarios", headers={"Authorization": header}), 401)


def test_a_revoked_token_gives_401(fresh):
    from api.core.auth import revoke_token

    token = fresh.tokens["funder:opca"]
    assert fresh.client.get("/v1/me", headers=bearer(token)).status_code == 200
    with fresh.app.state.sessions() as session:
        revoke_token(session, token.split("_")[1])
    assert_problem(fresh.client.get("/v1/me", headers=bearer(token)), 401)


def test_roles_on_every_read_endpoint(world):
    for path, allowed in reads(world):
        for role in sorted(ALL):
            response = world.client.get(path, headers=world.h(role))
            if role in allowed:
                assert response.status_code == 200, (path, role, response.text)
            else:
                assert_problem(response, 403)


def test_roles_on_every_write_endpoint(world):
    for method, path, kwargs, allowed in writes(world):
        for role in sorted(ALL - allowed):
            assert_problem(world.client.request(method, path, headers=world.h(role), **kwargs), 403)


def _all_responses(world, role: str) -> list[tuple[str, bytes]]:
    """Every read endpoint's answer to ``role`` (denied ones too), with every filter and grouping."""
    p = world.plan_id
    paths = [path for path, _ in reads(world)]
    for group in ("funder", "line", "territory", "family", "member_kind", "month", "cost_item"):
        paths.append(f"/v1/plans/{p}/budget?group_by={group}")
    paths += [f"/v1/plans/{p}/sessions?territory=ville", f"/v1/plans/{p}/sessions?month=2012-01",
              f"/v1/plans/{p}/diff?against={world.plan_id}", f"/v1/plans/{world.other_plan_id}/diff?against={p}",
              f"/v1/plans/{p}/documents/funder/region", f"/v1/plans/{p}/documents/territory/collines",
              f"/v1/plans/{p}/calendars/territory/collines", f"/v1/plans/{p}/documents/member/m2",
              f"/v1/plans/{p}/documents/overview?format=pdf", f"/v1/plans/{p}/documents/funder/opca?format=pdf",
              f"/v1/plans/{p}/unmet?member=m1", f"/v1/scenarios/{world.scenario_id}/surveys/m2",
              f"/v1/scenarios/{world.scenario_id}/surveys/m2/versions/1"]
    out = []
    for path in paths:
        response = world.client.get(path, headers=world.h(role))
        assert response.status_code < 500, (path, response.text)
        out.append((path, response.content))
        csv = world.client.get(path, headers={**world.h(role), "Accept": "text/csv"})
        out.append((path + " (csv)", csv.content))
    return out


@pytest.mark.parametrize("role", sorted(FUNDERS))
def test_a_funder_never_receives_a_trainee_ref(world, role):
    responses = _all_responses(world, role)
    assert sum(1 for _, body in responses if b"amount_eur" in body) >= 8  # it does get budget views
    for path, body in responses:
        assert REF_PREFIX.encode() not in body, path
    for method, path, kwargs, _ in writes(world):
        assert REF_PREFIX.encode() not in world.client.request(method, path, headers=world.h(role), **kwargs).content


def test_the_coordinator_does_receive_trainee_refs(world):
    """The check above is meaningful: the same endpoints carry refs for the coordinator."""
    bodies = b"".join(body for _, body in _all_responses(world, "coordinator"))
    for member in ("m1", "m2", "m3", "m4"):
        assert f"{REF_PREFIX}-{member}-".encode() in bodies


@pytest.mark.parametrize("member", ["m1", "m2", "m3"])
def test_a_member_never_sees_another_members_data(world, member):
    responses = _all_responses(world, f"member:{member}")
    own = f"{REF_PREFIX}-{member}-".encode()
    assert any(own in body for _, body in responses)  # it sees its own trainees
    for path, body in responses:
        for other in ("m1", "m2", "m3", "m4"):
            if other != member:
                assert f"{REF_PREFIX}-{other}-".encode() not in body, (path, other)


def test_a_member_outside_a_scenario_sees_nothing_of_it(fresh, tmp_path):
    from api.core.auth import create_token

    folder = tiny_copy(tmp_path / "tiny")
    r = fresh.client.post("/v1/scenarios", files=scenario_files(folder), headers=fresh.h("coordinator"))
    sid = r.json()["id"]
    with fresh.app.state.sessions() as session:
        stranger = bearer(create_token(session, "member:zz9")[1])
    assert fresh.client.get("/v1/scenarios", headers=stranger).json()["count"] == 0
    assert_problem(fresh.client.get(f"/v1/scenarios/{sid}", headers=stranger), 403)
    assert_problem(fresh.client.get(f"/v1/scenarios/{sid}/surveys/zz9", headers=stranger), 403)


def test_member_budget_and_sessions_are_its_own(world):
    p = world.plan_id
    mine = world.client.get(f"/v1/plans/{p}/budget?group_by=funder", headers=world.h("member:m3")).json()
    everyone = world.client.get(f"/v1/plans/{p}/budget?group_by=funder", headers=world.h("coordinator")).json()
    assert 0 < mine["total"]["amount_eur"] < everyone["total"]["amount_eur"]
    sessions = world.client.get(f"/v1/plans/{p}/sessions", headers=world.h("member:m3")).json()["data"]
    assert sessions and all(a["member_id"] == "m3" for s in sessions for a in s["attendees"])
    funder = world.client.get(f"/v1/plans/{p}/sessions", headers=world.h("funder:opca")).json()["data"]
    assert funder and all(s["attendees"] is None for s in funder)
    plan = world.client.get(f"/v1/plans/{p}", headers=world.h("member:m1")).json()
    assert plan["kpis"] is None and plan["stages"] is None


def test_docs_are_public_and_wrong_methods_are_named(world):
    assert world.client.get("/docs").status_code == 200
    assert "/v1/plans/{plan_id}/budget" in world.client.get("/openapi.json").json()["paths"]
    response = world.client.put("/v1/scenarios", headers=world.h("coordinator"))
    assert_problem(response, 405)
    assert response.headers["allow"] == "GET, POST"
    assert_problem(world.client.get("/v2/nothing", headers=world.h("coordinator")), 404)
