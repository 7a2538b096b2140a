"""Join the plan's records to the scenario: which module, venue, member, request each row means.

Rows that name an unknown id are reported once here (``unknown_id``) and left out of the rule
checks that need the missing object; rows that point to a session dropped while reading are left
out silently (the ``file_format`` violation already says why).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from planner.checker.read import ASSIGNMENTS, SESSIONS, AssignmentRecord, PlanFiles, SessionRecord
from planner.checker.report import Violation
from planner.domain import Leg, Member, Module, Offer, Provider, Request, Scenario, Venue
from planner.domain.months import Month


@dataclass(frozen=True, slots=True)
class LiveSession:
    """A session row whose module, provider and venue exist in the scenario."""

    record: SessionRecord
    module: Module
    provider: Provider
    venue: Venue
    offer: Offer | None  # None: no offer (a rule-1 violation); costs then use module/policy rates

    @property
    def id(self) -> str:
        return self.record.session_id

    @property
    def months(self) -> range:
        """The months the session really runs: start .. start + module.months - 1."""
        start = self.record.start_month
        return range(start, start + self.module.months)


@dataclass(frozen=True, slots=True)
class LiveAssignment:
    """An assignment row with a known member; ``session``/``request`` are None when unknown."""

    record: AssignmentRecord
    member: Member
    session: LiveSession | None
    request: Request | None

    @property
    def trainee(self) -> tuple[str, str]:
        return self.record.trainee


@dataclass
class PlanIndex:
    """The scenario and the plan, cross-referenced once for every rule module."""

    scenario: Scenario
    plan: PlanFiles
    violations: list[Violation] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sessions: dict[str, LiveSession] = {}
        self.known_session_ids: set[str] = {r.session_id for r in self.plan.sessions}
        self._resolve_sessions()
        self.assignments: list[LiveAssignment] = []
        self._resolve_assignments()

    # --- helpers used by the rule modules ------------------------------------------------------
    def session_status(self, session_id: str) -> str:
        """'live', 'skip' (dropped, unresolved or sessions.csv unreadable) or 'unknown'."""
        if session_id in self.sessions:
            return "live"
        if (
            not self.plan.readable(SESSIONS)
            or session_id in self.plan.broken_sessions
            or session_id in self.known_session_ids
        ):
            return "skip"
        return "unknown"

    @cached_property
    def requests(self) -> dict[tuple[str, str, str], Request]:
        """Survey requests by (member_id, trainee_ref, module_code)."""
        out: dict[tuple[str, str, str], Request] = {}
        for r in self.scenario.requests:
            out.setdefault((r.member_id, r.trainee_ref, r.module_code), r)
        return out

    @cached_property
    def by_session(self) -> dict[str, list[LiveAssignment]]:
        """Assignments with a live session and a known member, per session id."""
        out: dict[str, list[LiveAssignment]] = defaultdict(list)
        for a in self.assignments:
            if a.session is not None:
                out[a.session.id].append(a)
        return out

    @cached_property
    def rows_per_session(self) -> dict[str, int]:
        """Assignment rows per session id, whatever their member."""
        out: dict[str, int] = defaultdict(int)
        for r in self.plan.assignments:
            out[r.session_id] += 1
        return out

    def leg(self, member_id: str, venue_id: str) -> Leg | None:
        return self.scenario.legs.get((member_id, venue_id))

    def trainee_months(self) -> dict[tuple[str, str], dict[Month, set[str]]]:
        """For each trainee, the live sessions it attends in each month."""
        out: dict[tuple[str, str], dict[Month, set[str]]] = defaultdict(lambda: defaultdict(set))
        for a in self.assignments:
            if a.session is not None:
                for month in a.session.months:
                    out[a.trainee][month].add(a.session.id)
        return out

    # --- resolution ----------------------------------------------------------------------------
    def _unknown(self, message: str, file: str, row: int, session_id: str | None = None,
                 member_id: str | None = None) -> None:
        self.violations.append(Violation("unknown_id", message, session_id=session_id, member_id=member_id,
                                         file=file, row=row))

    def _resolve_sessions(self) -> None:
        sc = self.scenario
        for r in self.plan.sessions:
            module = sc.module.get(r.module_code)
            provider = sc.provider.get(r.provider_id)
            venue = sc.venue.get(r.venue_id)
            named = (("module", r.module_code, module), ("provider", r.provider_id, provider),
                     ("venue", r.venue_id, venue))
            missing = [f"{what} {value!r}" for what, value, obj in named if obj is None]
            if missing:
                self._unknown(f"session {r.session_id!r} names an unknown {' and '.join(missing)}",
                              SESSIONS, r.row, session_id=r.session_id)
                continue
            offer = sc.offer.get((provider.id, module.code, venue.territory_id))
            self.sessions[r.session_id] = LiveSession(r, module, provider, venue, offer)

    def _resolve_assignments(self) -> None:
        for r in self.plan.assignments:
            member = self.scenario.member.get(r.member_id)
            status = self.session_status(r.session_id)
            if status == "unknown":
                self._unknown(f"assignment of trainee {r.trainee_ref!r} of {r.member_id!r} names an unknown "
                              f"session {r.session_id!r}", ASSIGNMENTS, r.row, r.session_id, r.member_id)
            if member is None:
                self._unknown(f"assignment of trainee {r.trainee_ref!r} names an unknown member {r.member_id!r}",
                              ASSIGNMENTS, r.row, r.session_id or None)
                continue
            self.assignments.append(LiveAssignment(
                r, member, self.sessions.get(r.session_id), self.requests.get(r.request_key)
            ))
