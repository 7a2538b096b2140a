"""The scenario as it stands: the uploaded files with every member's latest survey version.

A solve reads exactly this folder (copied into its run folder); the validation report reads it too,
so that both see the surveys members have submitted since the upload.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from api.core.models import ScenarioRecord
from api.services.scenarios import folder_of, scrub, summary
from api.core.settings import Settings
from api.services.surveys import effective_survey
from planner.domain import Scenario
from planner.domain.errors import Problem


def assemble(settings: Settings, session: Session, record: ScenarioRecord,
             dest: Path) -> tuple[Scenario | None, list[Problem], dict[str, int]]:
    """Write the folder into ``dest`` and read it: (scenario or None, problems, survey versions used)."""
    from planner.ingestion import read_scenario
    from planner.survey.merge import write_survey_csv

    source = folder_of(settings, record.folder)
    dest.mkdir(parents=True)
    for f in source.iterdir():
        if f.is_file() and not f.name.startswith("survey."):
            shutil.copy2(f, dest / f.name)
    rows, used = effective_survey(session, record)
    write_survey_csv(rows, dest / "survey.csv")
    scenario, problems = read_scenario(dest)
    return scenario, scrub(problems, dest), used


def validation_report(settings: Settings, session: Session, record: ScenarioRecord) -> dict[str, Any]:
    """What ``planner validate`` says of the scenario as it stands: problems, or a summary and warnings."""
    from planner.explain.diagnostics import unservable

    tmp = Path(tempfile.mkdtemp(prefix="validate-", dir=settings.dir("tmp")))
    try:
        scenario, problems, used = assemble(settings, session, record, tmp / "scenario")
        if scenario is None:
            return {"valid": False, "problems": [p.as_dict() for p in problems], "warnings": [], "summary": {},
                    "survey_versions": used}
        warnings = [{"code": g.code, "title": g.title, "count": g.count,
                     "details": [{"detail": d, "count": n} for d, n in g.details.most_common()]}
                    for g in unservable(scenario)]
        return {"valid": True, "problems": [], "warnings": warnings, "summary": summary(scenario),
                "survey_versions": used}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
