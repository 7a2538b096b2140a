"""The domain: a scenario's facts (SPEC §1), the plan every producer returns, months, integer units.

The innermost layer: it imports nothing else of ``planner``. The scenario's types are re-exported
here (``from planner.domain import Scenario``); months, units, plans and input problems live in
their own modules of this package.
"""

from planner.domain.scenario import (
    BudgetLine,
    CostItem,
    Family,
    Funder,
    Leg,
    Member,
    MemberKind,
    Module,
    OWN,
    Objective,
    Offer,
    Policy,
    Provider,
    Request,
    Rule,
    Scenario,
    Stage,
    Territory,
    TravelPolicy,
    Venue,
)

__all__ = [
    "BudgetLine", "CostItem", "Family", "Funder", "Leg", "Member", "MemberKind", "Module", "OWN", "Objective", "Offer",
    "Policy", "Provider", "Request", "Rule", "Scenario", "Stage", "Territory", "TravelPolicy", "Venue",
]
