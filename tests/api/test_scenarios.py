"""Scenario upload (files or a zip), validation with the CLI's file/row/column messages, limits, listing."""

from __future__ import annotations

import io
import zipfile

from api_helpers import assert_problem, bearer, issue_tokens, scenario_files, tiny_copy, zipped


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buffer.getvalue()


def test_upload_files_then_list_and_get(fresh, tmp_path):
    folder = tiny_copy(tmp_path / "tiny")
    (folder / "README.md").write_text("notes")
    r = fresh.client.post("/v1/scenarios", files=scenario_files(folder), headers=fresh.h("coordinator"))
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["ignored_files"] == ["README.md"]
    assert created["key"] == "tiny" and created["has_survey"] and created["summary"]["requests"] == 14
    assert r.headers["location"] == f"/v1/scenarios/{created['id']}"
    got = fresh.client.get(f"/v1/scenarios/{created['id']}", headers=fresh.h("funder:opca")).json()
    assert got["id"] == created["id"] and got["source_hash"] == created["source_hash"]
    listed = fresh.client.get("/v1/scenarios", headers=fresh.h("member:m1")).json()
    assert listed["count"] == 1 and listed["data"][0]["id"] == created["id"]


def test_upload_a_zip_at_its_root_or_in_one_folder(fresh, tmp_path):
    folder = tiny_copy(tmp_path / "tiny")
    (folder / "README.md").write_text("notes")
    for prefix in ("", "tiny/"):
        data = zipped(folder, prefix)
        r = fresh.client.post("/v1/scenarios", files={"files": ("tiny.zip", data, "application/zip")},
                              headers=fresh.h("coordinator"))
        assert r.status_code == 201, r.text
        assert r.json()["ignored_files"] == [prefix + "README.md"]
    assert fresh.client.get("/v1/scenarios?limit=1", headers=fresh.h("coordinator")).json()["count"] == 2


def test_pagination(fresh, tmp_path):
    folder = tiny_copy(tmp_path / "tiny")
    for _ in range(3):
        fresh.client.post("/v1/scenarios", files=scenario_files(folder), headers=fresh.h("coordinator"))
    page = fresh.client.get("/v1/scenarios?limit=2&offset=2", headers=fresh.h("coordinator")).json()
    assert page["count"] == 3 and len(page["data"]) == 1 and page["limit"] == 2 and page["offset"] == 2
    body = assert_problem(fresh.client.get("/v1/scenarios?limit=0", headers=fresh.h("coordinator")), 422)
    assert body["errors"][0]["column"] == "limit" and body["errors"][0]["file"] == "query"


def test_an_invalid_scenario_is_refused_with_every_problem(fresh, tmp_path):
    """The same file/row/column/value/expected/suggestion as `planner validate`."""
    folder = tiny_copy(tmp_path / "tiny")
    text = (folder / "survey.csv").read_text().splitlines()
    text[3] = text[3].replace("m1,", "m9,").replace("EV-TAILLE", "EV-TAILLX")
    (folder / "survey.csv").write_text("\n".join(text) + "\n")
    r = fresh.client.post("/v1/scenarios", files=scenario_files(folder), headers=fresh.h("coordinator"))
    body = assert_problem(r, 422)
    errors = {e["column"]: e for e in body["errors"]}
    assert errors["member_id"] == {"file": "survey.csv", "row": 4, "column": "member_id", "value": "m9",
                                   "message": "member 'm9' unknown", "expected": "a member id listed in the scenario",
                                   "suggestion": errors["member_id"]["suggestion"]}
    assert errors["module_code"]["suggestion"] == "EV-TAILLE"
    assert "tmp" not in r.text and str(fresh.data_dir) not in r.text  # no server path leaks
    assert fresh.client.get("/v1/scenarios", headers=fresh.h("coordinator")).json()["count"] == 0


def test_a_missing_table_is_named(fresh, tmp_path):
    folder = tiny_copy(tmp_path / "tiny")
    (folder / "venues.csv").unlink()
    body = assert_problem(fresh.client.post("/v1/scenarios", files=scenario_files(folder),
                                            headers=fresh.h("coordinator")), 422)
    assert any(e["file"] == "venues.csv" and e["message"] == "file is missing" for e in body["errors"])
    assert str(fresh.data_dir) not in str(body)


def test_a_scenario_without_survey_is_accepted(fresh, tmp_path):
    folder = tiny_copy(tmp_path / "tiny")
    (folder / "survey.csv").unlink()
    r = fresh.client.post("/v1/scenarios", files=scenario_files(folder), headers=fresh.h("coordinator"))
    assert r.status_code == 201, r.text
    assert not r.json()["has_survey"] and r.json()["summary"]["requests"] == 0


def test_validation_report(world):
    report = world.client.get(f"/v1/scenarios/{world.scenario_id}/validation", headers=world.h("coordinator")).json()
    assert report["valid"] and report["problems"] == []
    assert {w["code"] for w in report["warnings"]} == {"out_of_reach", "window"}
    assert report["summary"]["requests"] == 14 and report["survey_versions"]["m1"] >= 1


def test_unsafe_or_foreign_uploads_are_refused(fresh, tmp_path):
    h = fresh.h("coordinator")
    cases = {
        "traversal": _zip({"../../evil/scenario.toml": b"x", "members.csv": b"a"}),
        "absolute": _zip({"/etc/scenario.toml": b"x"}),
        "windows": _zip({"..\\..\\scenario.toml": b"x"}),
        "duplicate": _zip({"a/members.csv": b"x", "b/members.csv": b"y"}),
        "garbage": b"PK\x03\x04 this is no zip",
    }
    for name, data in cases.items():
        body = assert_problem(fresh.client.post("/v1/scenarios", files={"files": (f"{name}.zip", data)}, headers=h), 422)
        assert body["errors"], name
    assert not (tmp_path / "evil").exists() and not (fresh.data_dir.parent / "evil").exists()
    body = assert_problem(fresh.client.post("/v1/scenarios", files={"files": ("passwords.txt", b"x")}, headers=h), 422)
    assert {"file": "scenario.toml", "message": "file is missing"}.items() <= body["errors"][0].items()
    both = [("files", ("a.zip", _zip({"x": b"1"}))), ("files", ("members.csv", b"x"))]
    assert_problem(fresh.client.post("/v1/scenarios", files=both, headers=h), 422)
    # a file name with folders: only its last part counts
    r = fresh.client.post("/v1/scenarios", files={"files": ("../../scenario.toml", b"id='x'")}, headers=h)
    assert_problem(r, 422)
    assert not (fresh.data_dir.parent.parent / "scenario.toml").exists()


def test_zip_bombs_and_entry_counts(make_client, tmp_path):
    app, client = make_client(max_unzipped_bytes=100_000, max_zip_entries=20)
    h = bearer(issue_tokens(app, ["coordinator"])["coordinator"])
    bomb = _zip({"members.csv": b"0" * 50_000_000})  # 50 MB of zeros in ~50 KB
    assert len(bomb) < 100_000
    body = assert_problem(client.post("/v1/scenarios", files={"files": ("bomb.zip", bomb)}, headers=h), 422)
    assert "too large once unzipped" in body["errors"][0]["message"]
    many = _zip({f"f{i}.txt": b"x" for i in range(50)})
    body = assert_problem(client.post("/v1/scenarios", files={"files": ("many.zip", many)}, headers=h), 422)
    assert "entries" in body["errors"][0]["message"]
    # an .xlsx is a zip too: a workbook that unzips too large is refused before it is read
    body = assert_problem(client.post("/v1/scenarios", files={"files": ("members.xlsx", bomb)}, headers=h), 422)
    assert "classeur" in body["errors"][0]["message"]  # the survey check, members read it in French
    assert list((tmp_path / "data" / "tmp").iterdir()) == []  # nothing left behind


def test_request_size_limit(make_client, tmp_path):
    app, client = make_client(max_upload_bytes=64 * 1024)
    h = bearer(issue_tokens(app, ["coordinator"])["coordinator"])
    big = b"a" * (200 * 1024)
    assert_problem(client.post("/v1/scenarios", files={"files": ("members.csv", big)}, headers=h), 413)

    def chunks():  # no Content-Length: the body is counted as it streams
        for _ in range(10):
            yield b"x" * 32 * 1024

    r = client.post("/v1/scenarios", content=chunks(), headers={**h, "Content-Type": "multipart/form-data; boundary=b"})
    assert_problem(r, 413)
