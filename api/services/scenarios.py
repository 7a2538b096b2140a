"""Stored scenarios: upload (validated like ``planner validate``), folders on disk, cached loading.

A scenario folder is stored once and never changes (``data/scenarios/<id>/``). Its survey, when
it has one, becomes version 1 of every member's survey (:mod:`api.services.surveys`); a solve reads the
latest version of each member's survey, not the uploaded file.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy.orm import Session

from api.core import access
from api.core.auth import Principal
from api.core.models import ScenarioRecord, SurveyVersion, utcnow
from api.core.problems import ApiProblem, invalid, not_found
from api.core.settings import Settings
from api.services.uploads import Upload, check_workbook, client_name, extract_zip, is_zip, save_files
from planner.domain import Scenario
from planner.domain.errors import Problem
from planner.domain.months import format_month


def new_id(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(6)}"


def folder_of(settings: Settings, relative: str) -> Path:
    return settings.data_dir.resolve() / relative


@lru_cache(maxsize=16)
def _load(folder: str, survey: bool) -> tuple[Scenario | None, tuple[Problem, ...]]:
    from planner.ingestion import read_scenario

    scenario, problems = read_scenario(folder, survey=survey)
    return scenario, tuple(problems)


def load(folder: Path, *, survey: bool) -> Scenario:
    """A stored (immutable) folder's scenario, cached; 422 when it does not load."""
    scenario, problems = _load(str(folder), survey)
    if scenario is None:
        raise invalid(f"{len(problems)} problem(s) in the stored scenario", scrub(problems, folder))
    return scenario


def scrub(problems: Any, folder: Path) -> list[Problem]:
    """Problems without the server's folder names (files are named as uploaded)."""
    prefix = str(folder)

    def clean(text: str | None) -> str | None:
        return None if text is None else text.replace(prefix + os.sep, "").replace(prefix, "the upload")

    return [dataclasses.replace(p, file=clean(p.file) or "", message=clean(p.message) or "",
                                expected=clean(p.expected), value=clean(p.value)) for p in problems]


def get_record(session: Session, scenario_id: str, principal: Principal) -> ScenarioRecord:
    record = session.get(ScenarioRecord, scenario_id)
    if record is None:
        raise not_found("scenario", scenario_id)
    access.check_scenario(principal, record)
    return record


def catalogue(settings: Settings, record: ScenarioRecord) -> Scenario:
    """The scenario without its survey (what survey rows are checked against)."""
    return load(folder_of(settings, record.folder), survey=False)


def receive(settings: Settings, parts: list[tuple[str | None, BinaryIO]], dest: Path) -> Upload:
    """Uploaded parts into ``dest``: one zip, or the scenario's files."""
    if not parts:
        return Upload(problems=[Problem("files", "no file uploaded", expected="the scenario's files or one .zip")])
    heads = []
    for _, stream in parts:
        heads.append(stream.read(4))
        stream.seek(0)
    zips = [i for i, (name, _) in enumerate(parts) if is_zip(client_name(name), heads[i])]
    if zips and len(parts) > 1:
        return Upload(problems=[Problem("files", "a zip must come alone", expected="one .zip, or the files themselves")])
    if zips:
        name, stream = parts[0]
        return extract_zip(stream, client_name(name) or "upload.zip", dest, max_bytes=settings.max_unzipped_bytes,
                           max_entries=settings.max_zip_entries)
    return save_files(parts, dest, settings.max_upload_bytes)


def summary(scenario: Scenario) -> dict[str, Any]:
    return {
        "horizon": [format_month(scenario.horizon_start), format_month(scenario.horizon_end)],
        "territories": len(scenario.territories), "members": len(scenario.members),
        "modules": len(scenario.modules), "providers": len(scenario.providers), "venues": len(scenario.venues),
        "funders": [f.id for f in scenario.funders], "requests": len(scenario.requests),
    }


def survey_rows(scenario: Scenario) -> dict[str, list[dict[str, str]]]:
    """The uploaded survey as rows per member (SPEC columns, defaults written out)."""
    rows: dict[str, list[dict[str, str]]] = {}
    for r in scenario.requests:
        rows.setdefault(r.member_id, []).append({
            "member_id": r.member_id, "trainee_ref": r.trainee_ref, "module_code": r.module_code,
            "priority": str(r.priority), "available_from": format_month(r.available_from),
            "available_to": format_month(r.available_to),
            "max_travel_min": "" if r.max_travel_min is None else str(r.max_travel_min),
        })
    return rows


def store(settings: Settings, session: Session, parts: list[tuple[str | None, BinaryIO]],
          principal: Principal) -> tuple[ScenarioRecord, list[str]]:
    """Validate the upload and store it; 422 with every problem when it is not a valid scenario."""
    from planner.ingestion import read_scenario

    tmp = Path(tempfile.mkdtemp(prefix="upload-", dir=settings.dir("tmp")))
    try:
        upload = receive(settings, parts, tmp)
        for name in upload.files:
            if name.endswith(".xlsx"):
                upload.problems += check_workbook(tmp / name, name, max_bytes=settings.max_unzipped_bytes,
                                                  max_entries=settings.max_zip_entries)
        if upload.problems:
            raise invalid(f"{len(upload.problems)} problem(s) in the upload", upload.problems)
        has_survey = any(f.startswith("survey.") for f in upload.files)
        scenario, problems = read_scenario(tmp, survey=has_survey)
        if problems or scenario is None:
            raise invalid(f"{len(problems)} problem(s) in the scenario", scrub(problems, tmp))
        scenario_id = new_id("s")
        relative = f"scenarios/{scenario_id}"
        settings.dir("scenarios")
        os.replace(tmp, folder_of(settings, relative))  # whole, or not at all
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    now = utcnow()
    record = ScenarioRecord(id=scenario_id, key=scenario.id, title=scenario.title, folder=relative,
                            source_hash=scenario.source_hash, has_survey=has_survey,
                            member_ids=[m.id for m in scenario.members], summary=summary(scenario),
                            created_by=principal.token_id, created_at=now)
    session.add(record)
    for member_id, rows in survey_rows(scenario).items():
        session.add(SurveyVersion(scenario_id=scenario_id, member_id=member_id, version=1, source="scenario",
                                  rows=rows, created_by=principal.token_id, created_at=now))
    session.commit()
    return record, upload.ignored


def check_ids(raise_for: str, ids: dict[str, tuple[str | None, Any]]) -> None:
    """422 for query filters naming unknown ids (with the closest known one)."""
    from planner.ingestion.tables import closest

    problems = [Problem("query", f"unknown {column}", column=column, value=value,
                        expected=", ".join(sorted(known))[:500], suggestion=closest(value, known))
                for column, (value, known) in ids.items() if value is not None and value not in known]
    if problems:
        raise ApiProblem(422, f"{len(problems)} unknown id(s) in {raise_for}", slug="validation",
                         title="Validation failed", errors=problems)
