"""Precedence rules and defaults of SPEC §1, on edited copies of ``tests/data/mini``."""

from __future__ import annotations

from scenario_copy import ScenarioCopy

from planner.domain import CostItem, Family, MemberKind, Objective, Policy, TravelPolicy
from planner.domain.months import parse_month


def _offer(scenario, module_code: str):
    return next(o for o in scenario.offers if o.module_code == module_code)


def _request(scenario, member_id: str, trainee_ref: str, module_code: str):
    return next(r for r in scenario.requests if (r.member_id, r.trainee_ref, r.module_code) == (member_id, trainee_ref, module_code))


# --- rate: offer, then module, then policy -----------------------------------------------------

def test_rate_offer_then_module_then_policy(mini: ScenarioCopy) -> None:
    scenario = mini.load()
    # CCLES-LIRE: the offer says 15 EUR/h
    assert scenario.rate_cents_per_hour(_offer(scenario, "CCLES-LIRE")) == 1500
    # CACES-R489-1: neither offer nor module has a rate, policy 14.0 EUR/h
    assert _offer(scenario, "CACES-R489-1").rate_cents_per_hour is None
    assert scenario.rate_cents_per_hour(_offer(scenario, "CACES-R489-1")) == 1400


def test_rate_module_beats_policy_and_offer_beats_module(mini: ScenarioCopy) -> None:
    mini.set_cell("modules.csv", 2, "rate_eur_per_hour", "16.5")   # CACES-R489-1
    mini.set_cell("modules.csv", 3, "rate_eur_per_hour", "9")      # CCLES-LIRE, offer says 15
    scenario = mini.load()
    assert scenario.rate_cents_per_hour(_offer(scenario, "CACES-R489-1")) == 1650
    assert scenario.rate_cents_per_hour(_offer(scenario, "CCLES-LIRE")) == 1500


def test_rate_policy_default_when_policy_omits_it(mini: ScenarioCopy) -> None:
    mini.toml_replace("rate_eur_per_hour = 14.0\n", "")
    scenario = mini.load()
    assert scenario.policy.rate_cents_per_hour == Policy().rate_cents_per_hour == 1400
    mini.toml_replace("max_size = 6\n", "max_size = 6\nrate_eur_per_hour = 12.25\n")
    scenario = mini.load()
    assert scenario.rate_cents_per_hour(_offer(scenario, "CACES-R489-1")) == 1225


# --- min_fill: module, then the venue's territory, then policy ----------------------------------

def test_min_fill_module_then_venue_territory_then_policy(mini: ScenarioCopy) -> None:
    scenario = mini.load()
    # v1 is in north (no min_fill): policy 3; v2 is in south (min_fill 2)
    assert scenario.min_fill("CACES-R489-1", "v1") == 3
    assert scenario.min_fill("CACES-R489-1", "v2") == 2
    assert scenario.min_fill("CCLES-LIRE", "v2") == 2
    mini.set_cell("modules.csv", 3, "min_fill", "4")  # CCLES-LIRE
    scenario = mini.load()
    assert scenario.min_fill("CCLES-LIRE", "v2") == 4
    assert scenario.min_fill("CACES-R489-1", "v2") == 2


def test_min_fill_uses_the_venue_territory_not_the_member_territory(mini: ScenarioCopy) -> None:
    """Member 007 lives in north (no min_fill); at venue v2 (south) the south min_fill applies."""
    scenario = mini.load()
    assert scenario.member["007"].territory_id == "north"
    assert scenario.venue["v2"].territory_id == "south"
    assert scenario.min_fill("CACES-R489-1", "v2") == scenario.territory["south"].min_fill == 2


def test_min_fill_and_max_size_policy_defaults(mini: ScenarioCopy) -> None:
    mini.toml_replace("min_fill = 3\n", "")
    mini.toml_replace("max_size = 6\n", "")
    scenario = mini.load()
    assert scenario.min_fill("CACES-R489-1", "v1") == Policy().min_fill == 6
    assert scenario.max_size("CACES-R489-1") == Policy().max_size == 12
    mini.set_cell("modules.csv", 2, "max_size", "8")
    assert mini.load().max_size("CACES-R489-1") == 8


# --- max_travel_min: survey row, then member, then policy ---------------------------------------

def test_max_travel_survey_then_member_then_policy(mini: ScenarioCopy) -> None:
    scenario = mini.load()
    assert scenario.max_travel_min(_request(scenario, "m2", "s2", "CACES-R489-1")) == 90  # survey row
    assert scenario.max_travel_min(_request(scenario, "m2", "s1", "CCLES-LIRE")) == 45    # policy
    mini.set_cell("members.csv", 3, "max_travel_min", "30")  # m2
    scenario = mini.load()
    assert scenario.max_travel_min(_request(scenario, "m2", "s2", "CACES-R489-1")) == 90
    assert scenario.max_travel_min(_request(scenario, "m2", "s1", "CCLES-LIRE")) == 30
    assert scenario.max_travel_min(_request(scenario, "007", "t1", "CACES-R489-1")) == 45


def test_max_travel_policy_default(mini: ScenarioCopy) -> None:
    mini.toml_replace("max_travel_min = 45\n", "")
    scenario = mini.load()
    assert scenario.max_travel_min(_request(scenario, "007", "t1", "CACES-R489-1")) == Policy().max_travel_min == 45


# --- survey defaults ----------------------------------------------------------------------------

def test_priority_defaults_to_2(mini: ScenarioCopy) -> None:
    scenario = mini.load()
    assert _request(scenario, "007", "t3", "CACES-R489-1").priority == 2  # empty cell
    assert _request(scenario, "007", "t1", "CACES-R489-1").priority == 1
    assert _request(scenario, "m2", "s2", "CCLES-LIRE").priority == 3
    mini.drop_column("survey.csv", "priority")
    assert {r.priority for r in mini.load().requests} == {2}


def test_window_defaults_to_horizon(mini: ScenarioCopy) -> None:
    scenario = mini.load()
    t1 = _request(scenario, "007", "t1", "CACES-R489-1")
    assert (t1.available_from, t1.available_to) == (parse_month("2012-01"), parse_month("2012-06"))
    t2 = _request(scenario, "007", "t2", "CACES-R489-1")
    assert (t2.available_from, t2.available_to) == (parse_month("2012-02"), parse_month("2012-05"))
    mini.set_cell("survey.csv", 2, "available_from", "2012-03")   # lone from
    mini.set_cell("survey.csv", 4, "available_to", "2012-02")     # lone to
    scenario = mini.load()
    t1 = _request(scenario, "007", "t1", "CACES-R489-1")
    t3 = _request(scenario, "007", "t3", "CACES-R489-1")
    assert (t1.available_from, t1.available_to) == (parse_month("2012-03"), scenario.horizon_end)
    assert (t3.available_from, t3.available_to) == (scenario.horizon_start, parse_month("2012-02"))


# --- rules ---------------------------------------------------------------------------------------

def test_lone_share_min_means_share_max_1(mini: ScenarioCopy) -> None:
    mini.toml_replace("share = 0.30", "share_min = 0.2")
    rule = mini.load().rules[1]
    assert (rule.share_min_ppm, rule.share_max_ppm) == (200_000, 1_000_000)
    assert not rule.fixed


def test_lone_share_max_means_share_min_0(mini: ScenarioCopy) -> None:
    mini.toml_replace("share = 0.30", "share_max = 0.25")
    rule = mini.load().rules[1]
    assert (rule.share_min_ppm, rule.share_max_ppm) == (0, 250_000)


def test_fixed_share(mini: ScenarioCopy) -> None:
    rules = mini.load().rules
    assert (rules[0].share_min_ppm, rules[0].share_max_ppm) == (700_000, 700_000)
    assert rules[0].fixed and rules[0].cost_item is CostItem.PEDAGOGY


def test_omitted_or_empty_filters_mean_all(mini: ScenarioCopy) -> None:
    scenario = mini.load()
    omitted = scenario.rules[1]  # region-ctef: no families, member_kinds, territories
    assert omitted.families == omitted.member_kinds == omitted.territories == frozenset()
    mini.toml_replace('families = ["short"]', "families = []\nmember_kinds = []\nterritories = []")
    empty = mini.load().rules[0]
    assert empty.families == empty.member_kinds == empty.territories == frozenset()
    for rule in (omitted, empty):
        for family in Family:
            for kind in MemberKind:
                for territory in ("north", "south"):
                    assert rule.matches(family, kind, territory)


def test_rule_filters_restrict(mini: ScenarioCopy) -> None:
    mini.toml_replace('families = ["short"]', 'families = ["short"]\nmember_kinds = ["ACI"]\nterritories = ["north"]')
    rule = mini.load().rules[0]
    assert rule.matches(Family.SHORT, MemberKind.ACI, "north")
    assert not rule.matches(Family.KEY_SKILLS, MemberKind.ACI, "north")
    assert not rule.matches(Family.SHORT, MemberKind.AI, "north")
    assert not rule.matches(Family.SHORT, MemberKind.ACI, "south")


# --- calendar ------------------------------------------------------------------------------------

def test_closed_months_excluded_from_start_months(mini: ScenarioCopy) -> None:
    scenario = mini.load()
    jan, feb, mar, apr, may, jun = (parse_month(f"2012-{m:02d}") for m in range(1, 7))
    assert scenario.closed_months == {apr}
    assert scenario.open_months == (jan, feb, mar, may, jun)
    # one-month module: every open month
    assert scenario.start_months("CACES-R489-1") == (jan, feb, mar, may, jun)
    # two-month module: neither span may touch April nor leave the horizon
    assert scenario.start_months("CCLES-LIRE") == (jan, feb, may)


def test_no_closed_months(mini: ScenarioCopy) -> None:
    mini.toml_replace('closed_months = ["2012-04"]\n', "")
    scenario = mini.load()
    assert scenario.closed_months == frozenset()
    assert len(scenario.start_months("CACES-R489-1")) == 6
    assert len(scenario.start_months("CCLES-LIRE")) == 5


# --- integer scaling -----------------------------------------------------------------------------

def test_integer_scaling(mini: ScenarioCopy) -> None:
    scenario = mini.load()
    assert scenario.policy.rate_cents_per_hour == 1400          # 14.0 EUR/h
    assert scenario.module["CACES-R489-1"].minutes == 1260      # 21 h
    assert scenario.module["CCLES-LIRE"].minutes == 6000        # 100 h
    assert scenario.member["007"].own_funds_cents == 50_000     # 500 EUR
    assert scenario.member["m2"].own_funds_cents == 20_000
    assert scenario.funder["opca"].access_fee_cents == 15_000   # 150 EUR
    assert scenario.budget_line["opca-short"].envelope_cents == 500_000
    assert scenario.budget_line["region-ctef"].envelope_cents is None
    assert isinstance(scenario.policy.rate_cents_per_hour, int)


def test_integer_scaling_of_decimals(mini: ScenarioCopy) -> None:
    mini.set_cell("modules.csv", 2, "hours", "10,5")          # decimal comma
    mini.set_cell("members.csv", 2, "wage_eur_per_hour", "11.655")
    mini.toml_replace("rate_eur_per_hour = 14.0", "rate_eur_per_hour = 0.1")
    scenario = mini.load()
    assert scenario.module["CACES-R489-1"].minutes == 630
    assert scenario.member["007"].wage_cents_per_hour == 1166  # rounded half up
    assert scenario.member["m2"].wage_cents_per_hour is None
    assert scenario.policy.rate_cents_per_hour == 10


def test_policy_travel_objective_defaults(mini: ScenarioCopy) -> None:
    scenario = mini.load()
    policy = Policy()
    assert scenario.policy.hours_per_day == policy.hours_per_day == 7
    assert scenario.policy.max_sessions_per_trainee_per_month == 1
    assert scenario.policy.external_seats_max == 0
    assert scenario.policy.engineering_cents_per_session == 0
    assert scenario.travel == TravelPolicy()
    assert scenario.objective.stages == Objective().stages
    assert scenario.objective.served == "hours"
    assert dict(scenario.objective.priority_weights) == {1: 3, 2: 2, 3: 1}


def test_module_months_default_1(mini: ScenarioCopy) -> None:
    scenario = mini.load()
    assert scenario.module["CACES-R489-1"].months == 1
    assert scenario.module["CCLES-LIRE"].months == 2
    assert scenario.days("CACES-R489-1") == 3    # 21 h / 7 h per day
    assert scenario.days("CCLES-LIRE") == 15     # ceil(100 / 7)
