"""Request and trainee rules (SPEC §2.3, §2.4, §2.5) and the travel columns of assignments.

Codes: ``request_unknown``, ``request_module``, ``request_window``, ``request_reach``,
``request_twice``, ``trainee_month``, ``trainee_module``, ``release_cap``, ``derived_field``.
A request is the survey row identified by (member_id, trainee_ref, module_code).
"""

from __future__ import annotations

from collections import defaultdict

from planner.checker.index import LiveAssignment, PlanIndex
from planner.checker.report import Violation
from planner.domain.months import format_month
from planner.domain.units import hm_to_km


def check(ix: PlanIndex) -> list[Violation]:
    out: list[Violation] = []
    for a in ix.assignments:
        out += _request(ix, a)
        out += _travel_columns(ix, a)
    out += _twice(ix)
    out += _trainee_months(ix)
    out += _trainee_modules(ix)
    out += _release_cap(ix)
    return out


def _who(a: LiveAssignment) -> str:
    return f"trainee {a.record.trainee_ref!r} of member {a.member.id!r}"


def _v(rule: str, a: LiveAssignment, message: str) -> Violation:
    return Violation(rule, message, session_id=a.record.session_id or None, member_id=a.member.id)


def _request(ix: PlanIndex, a: LiveAssignment) -> list[Violation]:
    """The row is a survey request, of the session's module, in its window and within reach."""
    r, s, out = a.record, a.session, []
    if a.request is None:
        out.append(_v("request_unknown", a, f"{_who(a)} is assigned to session {r.session_id!r} for module "
                                            f"{r.module_code!r}, which is not a survey request"))
    if s is None:
        return out
    if r.module_code != s.module.code:
        out.append(_v("request_module", a, f"{_who(a)} is assigned for module {r.module_code!r} to session "
                                           f"{s.id!r}, which runs module {s.module.code!r}"))
    request = a.request
    if request is not None:
        window = range(request.available_from, request.available_to + 1)
        if s.months[0] not in window or s.months[-1] not in window:
            out.append(_v("request_window", a, f"{_who(a)} is available "
                          f"{format_month(request.available_from)}..{format_month(request.available_to)} but session "
                          f"{s.id!r} runs {format_month(s.months[0])}..{format_month(s.months[-1])}"))
    leg = ix.leg(a.member.id, s.venue.id)
    if leg is None:
        out.append(_v("request_reach", a, f"no travel time is known from member {a.member.id!r} to venue "
                                          f"{s.venue.id!r} of session {s.id!r}"))
    elif request is not None and leg.minutes > ix.scenario.max_travel_min(request):
        out.append(_v("request_reach", a, f"{_who(a)} would travel {leg.minutes} min to venue {s.venue.id!r} of "
                                          f"session {s.id!r}; the limit is {ix.scenario.max_travel_min(request)} min"))
    return out


def _travel_columns(ix: PlanIndex, a: LiveAssignment) -> list[Violation]:
    """travel_min and road_km restate the scenario's leg (when given)."""
    s = a.session
    leg = ix.leg(a.member.id, s.venue.id) if s is not None else None
    if leg is None:
        return []
    r, out = a.record, []
    if r.travel_min is not None and abs(r.travel_min - leg.minutes) > 0.5:
        out.append(_v("derived_field", a, f"{_who(a)} in session {s.id!r}: travel_min is {r.travel_min:g} but the "
                                          f"scenario's trip to venue {s.venue.id!r} takes {leg.minutes} min"))
    if r.road_km is not None and abs(r.road_km - hm_to_km(leg.road_hm)) > 0.05 + 1e-9:
        out.append(_v("derived_field", a, f"{_who(a)} in session {s.id!r}: road_km is {r.road_km:g} but the "
                                          f"scenario's trip to venue {s.venue.id!r} is {hm_to_km(leg.road_hm):g} km"))
    return out


def _twice(ix: PlanIndex) -> list[Violation]:
    """Each request is assigned at most once (over all rows of assignments.csv)."""
    rows: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for r in ix.plan.assignments:
        if r.request_key in ix.requests:
            rows[r.request_key].append(r.session_id)
    out = []
    for (member, trainee, module), sessions in rows.items():
        if len(sessions) > 1:
            out.append(Violation(
                "request_twice",
                f"request of trainee {trainee!r} of member {member!r} for module {module!r} is assigned "
                f"{len(sessions)} times (sessions {', '.join(map(repr, sessions))})",
                session_id=sessions[1] or None, member_id=member,
            ))
    return out


def _trainee_months(ix: PlanIndex) -> list[Violation]:
    cap = ix.scenario.policy.max_sessions_per_trainee_per_month
    out = []
    for (member, trainee), months in ix.trainee_months().items():
        for month, ids in sorted(months.items()):
            if len(ids) > cap:
                out.append(Violation(
                    "trainee_month",
                    f"trainee {trainee!r} of member {member!r} is in {len(ids)} sessions in {format_month(month)} "
                    f"({', '.join(sorted(ids))}); at most {cap} allowed",
                    session_id=sorted(ids)[0], member_id=member,
                ))
    return out


def _trainee_modules(ix: PlanIndex) -> list[Violation]:
    """Never twice the same module (by the sessions' modules); a request assigned twice is
    already reported as ``request_twice`` and not repeated here."""
    seen: dict[tuple[str, str, str], dict[str, set[tuple[str, str, str]]]] = defaultdict(lambda: defaultdict(set))
    for a in ix.assignments:
        if a.session is not None:
            seen[(*a.trainee, a.session.module.code)][a.session.id].add(a.record.request_key)
    out = []
    for (member, trainee, module), sessions in seen.items():
        keys = set().union(*sessions.values())
        if len(sessions) > 1 and not (len(keys) == 1 and next(iter(keys)) in ix.requests):
            out.append(Violation(
                "trainee_module",
                f"trainee {trainee!r} of member {member!r} attends module {module!r} in {len(sessions)} sessions "
                f"({', '.join(sorted(sessions))})",
                session_id=sorted(sessions)[1], member_id=member,
            ))
    return out


def _release_cap(ix: PlanIndex) -> list[Violation]:
    in_training: dict[tuple[str, int], set[str]] = defaultdict(set)
    for a in ix.assignments:
        if a.session is not None:
            for month in a.session.months:
                in_training[(a.member.id, month)].add(a.record.trainee_ref)
    out = []
    for (member, month), trainees in sorted(in_training.items()):
        cap = ix.scenario.member[member].release_cap
        if cap is not None and len(trainees) > cap:
            out.append(Violation(
                "release_cap",
                f"member {member!r} has {len(trainees)} trainees in training in {format_month(month)} "
                f"({', '.join(map(repr, sorted(trainees)))}); its release cap is {cap}",
                member_id=member,
            ))
    return out
