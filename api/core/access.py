"""Who sees which rows: the role rules of the API in one place (the roles are in :mod:`api.core.auth`).

- the coordinator sees everything;
- a funder sees aggregates and budget views, never a trainee (so no survey, no member document);
- a member sees the scenarios it belongs to and their plans' identity, its own survey and its own
  trainees' rows.
"""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from api.core.auth import Principal
from api.core.models import PlanRecord, ScenarioRecord
from api.core.problems import forbidden


def restricted_member(principal: Principal) -> str | None:
    """The member whose data alone a principal may see (None: every member's)."""
    return principal.subject if principal.is_member() else None


def sees_member(principal: Principal, member_id: str) -> bool:
    """Whether the principal may see that member's rows (a member: its own only)."""
    return not principal.is_member() or principal.subject == member_id


def sees_trainees(principal: Principal) -> bool:
    """Funders never see a trainee (ref or survey row)."""
    return not principal.is_funder()


def sees_plan_figures(principal: Principal) -> bool:
    """Stage values and KPIs are the pool's aggregates: members get a plan's identity only."""
    return not principal.is_member()


def sees_scenario(principal: Principal, record: ScenarioRecord) -> bool:
    """A member sees the scenarios it belongs to; the other roles see them all."""
    return not principal.is_member() or principal.subject in (record.member_ids or [])


def check_scenario(principal: Principal, record: ScenarioRecord) -> None:
    if not sees_scenario(principal, record):
        raise forbidden(f"member {principal.subject} is not a member of scenario {record.id}")


def check_survey(principal: Principal, member_id: str) -> None:
    """Members reach their own survey only; funders none."""
    if not sees_trainees(principal):
        raise forbidden("funders do not see surveys (they hold trainee refs)")
    if not sees_member(principal, member_id):
        raise forbidden(f"member {principal.subject} may only see and submit its own survey")


def check_plan(session: Session, principal: Principal, plan: PlanRecord) -> None:
    """A member sees the plans of the scenarios it belongs to."""
    if principal.is_member():
        scenario = session.get(ScenarioRecord, plan.scenario_id)
        if scenario is None or not sees_scenario(principal, scenario):
            raise forbidden(f"member {principal.subject} has no trainee in the scenario of plan {plan.id}")


def visible_plans(session: Session, principal: Principal, query: Select) -> Select:
    """The plan query limited to the plans the principal may list."""
    if principal.is_member():
        mine = [s.id for s in session.scalars(select(ScenarioRecord)).all() if sees_scenario(principal, s)]
        query = query.where(PlanRecord.scenario_id.in_(mine))
    return query


def check_document(principal: Principal, kind: str, ident: str | None) -> None:
    """Member documents hold trainee refs (coordinator and that member); the others are for funders."""
    if principal.is_coordinator:
        return
    if kind == "member":
        if not principal.is_member(ident):
            raise forbidden("a member document holds trainee refs: only the coordinator and that member see it")
        return
    if not principal.is_funder():
        raise forbidden(f"the {kind} documents are for the coordinator and funders")
