"""Members' surveys: JSON rows or the XLSX template, validated as `planner survey merge`, versioned."""

from __future__ import annotations

import io

import openpyxl
import pytest
from api_helpers import assert_problem, scenario_files, tiny_copy, wait_job


@pytest.fixture
def scenario(fresh, tmp_path):
    r = fresh.client.post("/v1/scenarios", files=scenario_files(tiny_copy(tmp_path / "tiny")),
                          headers=fresh.h("coordinator"))
    return r.json()["id"]


def test_a_member_replaces_its_rows_and_the_old_version_stays(fresh, scenario):
    base = f"/v1/scenarios/{scenario}/surveys/m1"
    first = fresh.client.get(base, headers=fresh.h("member:m1")).json()
    assert first["version"] == 1 and first["source"] == "scenario" and first["row_count"] == 5
    rows = [{"trainee_ref": "S01", "module_code": "EV-TAILLE", "priority": 1},
            {"trainee_ref": "S02", "module_code": "CCLES-LIRE", "available_from": "2012-02", "available_to": "2012-05"}]
    r = fresh.client.post(base, json={"rows": rows}, headers=fresh.h("member:m1"))
    assert r.status_code == 201, r.text
    assert r.json()["version"] == 2 and r.json()["source"] == "json" and r.json()["row_count"] == 2
    assert r.headers["location"].endswith("/surveys/m1/versions/2")
    current = fresh.client.get(base, headers=fresh.h("member:m1")).json()
    assert [row["trainee_ref"] for row in current["rows"]] == ["S01", "S02"]
    assert current["rows"][0]["member_id"] == "m1" and current["rows"][1]["available_from"] == "2012-02"
    old = fresh.client.get(f"{base}/versions/1", headers=fresh.h("member:m1")).json()
    assert old["row_count"] == 5 and old["rows"] == first["rows"]
    versions = fresh.client.get(f"{base}/versions", headers=fresh.h("coordinator")).json()
    assert versions["count"] == 2 and [v["version"] for v in versions["data"]] == [2, 1]
    listing = fresh.client.get(f"/v1/scenarios/{scenario}/surveys", headers=fresh.h("member:m1")).json()
    assert listing["count"] == 1 and listing["data"][0]["version"] == 2
    assert fresh.client.get(f"/v1/scenarios/{scenario}/surveys", headers=fresh.h("coordinator")).json()["count"] == 4


def test_an_empty_submission_means_no_request(fresh, scenario):
    r = fresh.client.post(f"/v1/scenarios/{scenario}/surveys/m2", json={"rows": []}, headers=fresh.h("member:m2"))
    assert r.status_code == 201 and r.json()["row_count"] == 0


def test_bad_rows_are_refused_with_every_problem(fresh, scenario):
    rows = [{"trainee_ref": "S01", "module_code": "EV-TAILLE"},
            {"trainee_ref": "S02", "module_code": "EV-TAILLX", "priority": 7},
            {"trainee_ref": "S03", "module_code": "EV-TAILLE", "available_from": "2012-13"},
            {"member_id": "m2", "trainee_ref": "S04", "module_code": "EV-TAILLE"}]
    base = f"/v1/scenarios/{scenario}/surveys/m1"
    body = assert_problem(fresh.client.post(base, json={"rows": rows}, headers=fresh.h("member:m1")), 422)
    errors = {(e["row"], e["column"]): e for e in body["errors"]}
    assert errors[(2, "module_code")]["suggestion"] == "EV-TAILLE" and errors[(2, "module_code")]["file"] == "body"
    assert (2, "priority") in errors and (3, "available_from") in errors
    assert any(e["column"] == "member_id" and e["value"] == "m2" for e in body["errors"])
    assert fresh.client.get(f"{base}/versions", headers=fresh.h("member:m1")).json()["count"] == 1  # nothing stored
    # a duplicate request that differs: an error, as in `planner survey merge`
    dup = [{"trainee_ref": "S01", "module_code": "EV-TAILLE", "priority": 1},
           {"trainee_ref": "S01", "module_code": "EV-TAILLE", "priority": 3}]
    assert assert_problem(fresh.client.post(base, json={"rows": dup}, headers=fresh.h("member:m1")), 422)["errors"]
    # the shape itself: unknown fields, missing fields
    body = assert_problem(fresh.client.post(base, json={"rows": [{"trainee": "x"}]}, headers=fresh.h("member:m1")), 422)
    assert {e["column"] for e in body["errors"]} >= {"trainee_ref", "module_code"}
    assert all(e["row"] == 1 for e in body["errors"])


def test_members_reach_their_own_survey_only(fresh, scenario):
    base = f"/v1/scenarios/{scenario}/surveys"
    row = {"rows": [{"trainee_ref": "S01", "module_code": "EV-TAILLE"}]}
    assert_problem(fresh.client.post(f"{base}/m1", json=row, headers=fresh.h("member:m2")), 403)
    assert_problem(fresh.client.get(f"{base}/m1", headers=fresh.h("member:m2")), 403)
    assert_problem(fresh.client.get(f"{base}/m1", headers=fresh.h("funder:opca")), 403)
    assert_problem(fresh.client.get(f"{base}/nobody", headers=fresh.h("coordinator")), 404)
    assert_problem(fresh.client.get(f"{base}/m1/versions/9", headers=fresh.h("coordinator")), 404)
    assert fresh.client.post(f"{base}/m1", json=row, headers=fresh.h("coordinator")).status_code == 201


def _filled_template(content: bytes, rows: list[list[str]]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb["Demandes"]
    for i, values in enumerate(rows, start=3):
        for j, value in enumerate(values, start=1):
            ws.cell(i, j, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_template_round_trip(fresh, scenario):
    base = f"/v1/scenarios/{scenario}/surveys/m3"
    r = fresh.client.get(f"{base}/template", headers=fresh.h("member:m3"))
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    filled = _filled_template(r.content, [["m3", "W1", "EV-TAILLE", 1], ["m3", "W2", "EV-TAILLE", 2, "2012-02"]])
    r = fresh.client.post(f"{base}/workbook", files={"file": ("enquete m3.xlsx", filled)}, headers=fresh.h("member:m3"))
    assert r.status_code == 201, r.text
    assert r.json()["source"] == "xlsx" and r.json()["row_count"] == 2 and r.json()["version"] == 2
    template = fresh.client.get(f"{base}/template", headers=fresh.h("member:m3")).content
    bad = _filled_template(template, [["m3", "W1", "EV-TAILLX"]])
    body = assert_problem(fresh.client.post(f"{base}/workbook", files={"file": ("mine.xlsx", bad)},
                                            headers=fresh.h("member:m3")), 422)
    assert body["errors"][0]["file"] == "mine.xlsx" and body["errors"][0]["row"] == 3
    assert body["errors"][0]["column"].startswith("C") and body["errors"][0]["suggestion"] == "EV-TAILLE"
    csv = b"member_id,trainee_ref,module_code\nm3,W9,EV-TAILLE\n"
    r = fresh.client.post(f"{base}/workbook", files={"file": ("m3.csv", csv)}, headers=fresh.h("member:m3"))
    assert r.status_code == 201 and r.json()["source"] == "csv"
    for name, data in (("m3.pdf", b"%PDF"), ("m3.xlsx", b"not a workbook")):
        assert_problem(fresh.client.post(f"{base}/workbook", files={"file": (name, data)},
                                         headers=fresh.h("member:m3")), 422)


def test_a_solve_reads_the_latest_survey_versions(fresh, scenario):
    rows = [{"trainee_ref": f"S{i}", "module_code": "EV-TAILLE"} for i in range(4)]
    fresh.client.post(f"/v1/scenarios/{scenario}/surveys/m4", json={"rows": rows}, headers=fresh.h("member:m4"))
    report = fresh.client.get(f"/v1/scenarios/{scenario}/validation", headers=fresh.h("coordinator")).json()
    assert report["survey_versions"] == {"m1": 1, "m2": 1, "m3": 1, "m4": 2}
    assert report["summary"]["requests"] == 14 - 2 + 4  # m4 asked twice before
    job = fresh.client.post("/v1/solves", json={"scenario_id": scenario, "solver": "greedy"},
                            headers=fresh.h("coordinator")).json()
    assert job["survey_versions"]["m4"] == 2
    done = wait_job(fresh.client, fresh.tokens["coordinator"], job["id"])
    assert done["status"] == "succeeded", done
    plan = fresh.client.get(f"/v1/plans/{done['plan_id']}", headers=fresh.h("coordinator")).json()
    assert plan["kpis"]["requests"] == 16


def test_members_read_the_refusal_of_their_survey_in_french(fresh, scenario):
    base = f"/v1/scenarios/{scenario}/surveys/m1"
    rows = [{"trainee_ref": "S02", "module_code": "EV-TAILLX", "priority": 7},
            {"member_id": "m2", "trainee_ref": "S04", "module_code": "EV-TAILLE"}]
    body = assert_problem(fresh.client.post(base, json={"rows": rows}, headers=fresh.h("member:m1")), 422)
    assert body["detail"] == f"{len(body['errors'])} problèmes dans l'enquête"
    other = next(e for e in body["errors"] if e["column"] == "member_id")
    assert "« m2 »" in other["message"] and "elle-même" in other["expected"]
    for name, data, detail in (("m1.pdf", b"%PDF", "type de fichier non pris en charge pour l'enquête"),
                               ("m1.xlsx", b"not a workbook", "classeur d'enquête illisible")):
        refused = assert_problem(fresh.client.post(f"{base}/workbook", files={"file": (name, data)},
                                                   headers=fresh.h("member:m1")), 422)
        assert refused["detail"] == detail and not any(w in refused["errors"][0]["message"]
                                                       for w in ("unsupported", "readable", "workbook"))
