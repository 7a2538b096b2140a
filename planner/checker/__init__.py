"""Independent plan checker: verifies a plan folder (SPEC §3) against a scenario (SPEC §2).

It imports nothing from the model or the solver backends: every cost, count and stage value is
recomputed here from :class:`planner.domain.Scenario` and the plan's files, with the integer
units of :mod:`planner.domain.units`. ``check_plan`` never raises on a bad plan; every problem comes back
as a :class:`Violation` with a short ``rule`` code (see :data:`RULES`).

Conventions the SPEC leaves open (also in the modules' docstrings):

* engineering is split between a session's members in proportion to their trainees by largest
  remainder, each member paying its exact share rounded down or up, ties to the smaller member_id
  (:mod:`planner.checker.costs`);
* a funding group is (session, member, cost item); its rows add up to the cost within 1 cent per
  row; a line's amount lies within its applicable rules' summed shares of the group's cost
  within 1 cent per trainee (:mod:`planner.checker.funding`);
* meeting days are read from plan.json ``meeting_days`` and required whenever the plan has
  sessions; fallbacks (non-consecutive short days, a long module on more than two weekdays) are
  accepted only when the other sessions' days left no regular choice
  (:mod:`planner.checker.meetings`);
* the unmet reasons ``no_offer``, ``out_of_reach`` and ``window`` are verified (first that holds);
  the others only when none of these holds (:mod:`planner.checker.unmet`).
"""

from planner.checker.check import check_plan
from planner.checker.report import CheckReport, Violation

RULES: dict[str, str] = {
    # files and ids
    "file_format": "a plan file is missing, unreadable, lacks a column or has a cell that does not parse",
    "unknown_id": "a row names a module, provider, venue, member, session, line, funder or cost item "
                  "that does not exist",
    "duplicate_id": "a session id, or a (session, member, line, cost item) funding row, appears twice",
    "derived_field": "a column restating scenario data disagrees with it (family, territory, hours, "
                     "travel_min, road_km, funder of a line)",
    "scenario_id": "plan.json names another scenario",
    # §2.1-2.2, 2.6 sessions
    "offer": "no offer for (provider, module, venue's territory), or the venue is not the provider's",
    "months": "end_month is not start + months - 1, or the session runs outside the horizon or in a closed month",
    "dates": "start_date/end_date outside the session's months, in the wrong order, or not its first/last meeting day",
    "min_fill": "trainees + external seats below the minimum fill",
    "max_size": "trainees + external seats above the maximum size",
    "external_seats": "external seats negative or above policy.external_seats_max",
    "trainee_count": "the trainees column differs from the session's assignment rows",
    "provider_parallel": "a provider runs more than max_parallel_sessions sessions in a month",
    # §2.3-2.5 requests and trainees
    "request_unknown": "an assignment or unmet row is not a survey request (member, trainee, module)",
    "request_module": "an assignment's module differs from its session's module",
    "request_window": "a session month lies outside the request's availability window",
    "request_reach": "the venue is beyond the request's max_travel_min (or no travel time is known)",
    "request_twice": "a request is assigned more than once",
    "trainee_month": "a trainee is in more sessions in one month than allowed",
    "trainee_module": "a trainee attends the same module in two sessions",
    "release_cap": "a member has more trainees in training in a month than its release cap",
    # meeting days (plan.json meeting_days; README "Meeting days")
    "meeting_missing": "the plan has sessions but a session has no meeting days (or plan.json no meeting_days)",
    "meeting_weekend": "a meeting day falls on a Saturday or a Sunday",
    "meeting_holiday": "a meeting day is a French public holiday",
    "meeting_month": "a meeting day lies outside the session's months",
    "meeting_count": "days × hours_per_day < hours, or one day fewer would do, or a day is listed twice",
    "meeting_consecutive": "a short module does not meet on consecutive working days although such a run was "
                           "free of its venue's and trainees' other sessions",
    "meeting_weekdays": "a long module meets on more than two weekdays although fewer weekdays had enough free days",
    "meeting_spread": "a long module's days do not cover its months (each month, or as many months as it has days)",
    "trainee_day": "a trainee is in two sessions on the same day",
    "venue_day": "a venue hosts two sessions on the same day",
    # §2.7-2.8 funding
    "cost_coverage": "the rows of a (session, member, cost item) do not add up to its cost",
    "share_bounds": "a line pays outside its applicable rules' shares, or pays where no rule applies",
    "share_sum": "the minimum shares applicable to a cost add up above 100 %",
    "opca_access": "an OPCA line pays for a member that neither adheres nor paid the access fee",
    "access_fee": "an access fee row is wrong (amount, funder, twice, adherent, line, or tied to a session)",
    "envelope": "a budget line spends more than its envelope",
    "own_funds": "a member pays more than its own funds (access fees included)",
    "negative_amount": "a funding row pays a negative amount",
    # §2.9 objective
    "stage_value": "a stage value in plan.json differs from the recomputed one, or is missing",
    "stage_bound": "a stage's bound is on the wrong side of its value",
    # unmet.csv
    "unmet_missing": "a request is neither assigned nor listed in unmet.csv",
    "unmet_duplicate": "a request is listed more than once in unmet.csv",
    "unmet_assigned": "an assigned request is also listed in unmet.csv",
    "unmet_reason": "an unmet reason is unknown, or not the first of no_offer/out_of_reach/window that holds",
    # the checker itself
    "internal": "the checker hit a bug on this plan (reported instead of crashing)",
}

__all__ = ["CheckReport", "RULES", "Violation", "check_plan"]
