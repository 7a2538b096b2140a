"""Members' surveys: submitted as JSON rows or as the XLSX template, validated, versioned.

Rows are validated by :func:`planner.survey.merge.merge_workbooks`, the very checks of ``planner
survey merge`` (and of the scenario loader). A submission adds a version; earlier versions are
never changed or deleted. A solve reads the latest version of every member.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.core import access
from api.core.auth import Principal
from api.core.models import ScenarioRecord, SurveyVersion, utcnow
from api.core.problems import ApiProblem, invalid, not_found
from api.services.scenarios import catalogue
from api.core.settings import Settings
from api.services.uploads import TooLarge, _copy, check_workbook, client_name
from planner.domain.errors import Problem
from planner.survey.layout import SPEC_COLUMNS

JSON_FILE = "body"


def problems_in_survey(count: int) -> str:
    """The French ``detail`` of a refused survey (members read it)."""
    return f"{count} problème{'s' if count > 1 else ''} dans l'enquête"


def check_member(principal: Principal, record: ScenarioRecord, member_id: str) -> None:
    """Members reach their own survey only; the member must belong to the scenario."""
    access.check_survey(principal, member_id)
    if member_id not in (record.member_ids or []):
        raise not_found("member", member_id)


def _merge(settings: Settings, record: ScenarioRecord, member_id: str, path: Path, label: str,
           shift_rows: bool) -> tuple[list[dict[str, str]], list[Problem]]:
    from planner.survey.merge import merge_workbooks

    scenario = catalogue(settings, record)
    result = merge_workbooks(scenario, [path])
    problems, notes = list(result.problems), list(result.notes)
    for row in result.rows:
        if row["member_id"] != member_id:
            problems.append(Problem(label, f"ligne de la structure « {row['member_id']} » dans l'enquête de la structure "
                                    f"« {member_id} »", column="member_id", value=row["member_id"],
                                    expected=f"« {member_id} » : une structure ne répond que pour elle-même"))

    def shown(p: Problem) -> Problem:
        import dataclasses

        row = p.row - 1 if (shift_rows and p.row is not None) else p.row  # JSON rows count from 1, no header
        return dataclasses.replace(p, file=label, row=row)

    if problems:
        raise invalid(problems_in_survey(len(problems)), [shown(p) for p in problems])
    return result.rows, [shown(p) for p in notes]


def rows_from_json(settings: Settings, record: ScenarioRecord, member_id: str,
                   rows: list[dict[str, Any]]) -> tuple[list[dict[str, str]], list[Problem]]:
    tmp = Path(tempfile.mkdtemp(prefix="survey-", dir=settings.dir("tmp")))
    try:
        path = tmp / "survey.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(SPEC_COLUMNS)
            for row in rows:
                values = {**row, "member_id": row.get("member_id") or member_id}
                writer.writerow(["" if values.get(c) is None else str(values.get(c)) for c in SPEC_COLUMNS])
        return _merge(settings, record, member_id, path, JSON_FILE, shift_rows=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def rows_from_file(settings: Settings, record: ScenarioRecord, member_id: str, name: str | None,
                   stream: BinaryIO) -> tuple[list[dict[str, str]], list[Problem], str]:
    label = client_name(name) or "survey.xlsx"
    suffix = Path(label).suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise invalid("type de fichier non pris en charge pour l'enquête", [Problem(
            label, f"type de fichier non pris en charge : « {suffix or '(aucun)'} »",
            expected="le modèle d'enquête (.xlsx) ou un fichier CSV")])
    tmp = Path(tempfile.mkdtemp(prefix="survey-", dir=settings.dir("tmp")))
    try:
        path = tmp / ("survey" + suffix)
        try:
            _copy(stream, path, settings.max_upload_bytes)
        except TooLarge:
            raise ApiProblem(413, f"le fichier d'enquête dépasse {settings.max_upload_bytes:,} octets".replace(",", "\u202f")) from None
        if suffix == ".xlsx":
            problems = check_workbook(path, label, max_bytes=settings.max_unzipped_bytes,
                                      max_entries=settings.max_zip_entries)
            if problems:
                raise invalid("classeur d'enquête illisible", problems)
        rows, notes = _merge(settings, record, member_id, path, label, shift_rows=False)
        return rows, notes, suffix[1:]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def add_version(session: Session, record: ScenarioRecord, member_id: str, rows: list[dict[str, str]], source: str,
                principal: Principal) -> SurveyVersion:
    """A new version (the next number); earlier versions stay as they are."""
    for _ in range(5):
        last = session.scalar(select(func.max(SurveyVersion.version)).where(
            SurveyVersion.scenario_id == record.id, SurveyVersion.member_id == member_id)) or 0
        version = SurveyVersion(scenario_id=record.id, member_id=member_id, version=last + 1, source=source,
                                rows=rows, created_by=principal.token_id, created_at=utcnow())
        session.add(version)
        try:
            session.commit()
            return version
        except IntegrityError:  # another submission took this number
            session.rollback()
    raise ApiProblem(409, "trop d'envois simultanés de cette enquête ; réessayez", slug="conflict")


def latest_versions(session: Session, scenario_id: str) -> dict[str, SurveyVersion]:
    """member id -> its latest survey version."""
    newest = (select(SurveyVersion.member_id, func.max(SurveyVersion.version).label("v"))
              .where(SurveyVersion.scenario_id == scenario_id).group_by(SurveyVersion.member_id).subquery())
    rows = session.scalars(select(SurveyVersion).join(
        newest, (SurveyVersion.member_id == newest.c.member_id) & (SurveyVersion.version == newest.c.v))
        .where(SurveyVersion.scenario_id == scenario_id))
    return {v.member_id: v for v in rows}


def get_version(session: Session, scenario_id: str, member_id: str, version: int | None) -> SurveyVersion:
    if version is None:
        found = latest_versions(session, scenario_id).get(member_id)
    else:
        found = session.scalars(select(SurveyVersion).where(
            SurveyVersion.scenario_id == scenario_id, SurveyVersion.member_id == member_id,
            SurveyVersion.version == version)).first()
    if found is None:
        raise not_found("survey version", f"{member_id}/{version if version is not None else 'latest'}")
    return found


def effective_survey(session: Session, record: ScenarioRecord) -> tuple[list[dict[str, str]], dict[str, int]]:
    """Rows a solve reads: each member's latest version, members in scenario order; and the versions used."""
    latest = latest_versions(session, record.id)
    rows: list[dict[str, str]] = []
    used: dict[str, int] = {}
    for member_id in record.member_ids or []:
        version = latest.get(member_id)
        if version is None:
            continue
        used[member_id] = version.version
        rows.extend(version.rows)
    return rows, used
