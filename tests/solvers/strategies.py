"""A hypothesis strategy of valid small scenarios, shared by the property tests.

It draws what the loader would accept: 2-3 territories, 2-4 members, 1-3 modules, 1-2
providers, 4-20 requests with random windows, priorities, travel limits, release caps,
parallel-session caps, closed months, envelopes, own funds, fixed and variable shares and an
OPCA with an access fee. Minimum shares stay ≤ 100 % for every member, as stands and with the fee.
"""

from __future__ import annotations

from hypothesis import HealthCheck
from hypothesis import strategies as st
from scenario_builder import Build, describe

from planner.domain import Scenario

MONTHS = [f"2012-{i:02d}" for i in range(1, 13)]
KINDS = ["AI", "ACI", "EI", "ETTI", "EITI", "SAP"]
FAMILIES = ["short", "key_skills", "qualifying"]
SUPPRESS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]


class Case:
    """A drawn scenario whose repr is its compact description (hypothesis prints it on failure)."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario

    def __repr__(self) -> str:
        return "\n" + describe(self.scenario) + "\n"


@st.composite
def scenarios(draw: st.DrawFn, *, engineering: bool = False) -> Case:
    last = draw(st.integers(2, 6))  # horizon 2012-01 .. MONTHS[last], 3 to 7 months
    end = MONTHS[last]
    closed = draw(st.lists(st.sampled_from(MONTHS[1:last]), max_size=1, unique=True)) if last > 1 else []
    min_fill = draw(st.integers(2, 4))
    policy = dict(
        min_fill=min_fill,
        max_size=draw(st.integers(min_fill, min_fill + 4)),
        rate_eur_per_hour=draw(st.sampled_from([10, 12.5, 14])),
        max_travel_min=draw(st.sampled_from([30, 45, 60])),
        max_sessions_per_trainee_per_month=draw(st.integers(1, 2)),
        external_seats_max=draw(st.integers(0, 2)),
        engineering_eur_per_session=draw(st.sampled_from([50, 120.5, 333.33])) if engineering else 0,
    )
    allowance = draw(st.sampled_from([0, 0, 0.25]))
    b = Build(end=end, closed=closed, served=draw(st.sampled_from(["hours", "trainees"])),
              allowance_eur_per_km=allowance, allowance_threshold_km=draw(st.sampled_from([0, 10])), **policy)

    n_terr = draw(st.integers(2, 3))
    territories = [f"T{i}" for i in range(n_terr)]
    for t in territories:
        b.territory(t, rural=draw(st.booleans()), min_fill=draw(st.one_of(st.none(), st.integers(2, 4))))

    coords = st.tuples(st.floats(45.0, 45.25), st.floats(5.0, 5.25))  # mostly within 45 min
    members = [f"m{i}" for i in range(draw(st.integers(2, 4)))]
    for mid in members:
        lat, lon = draw(coords)
        b.member(mid, draw(st.sampled_from(territories)), kind=draw(st.sampled_from(KINDS)), lat=lat, lon=lon,
                 opca=draw(st.sampled_from([None, "op"])),
                 own_funds_eur=draw(st.sampled_from([0, 150, 400, 2000, 10000])),
                 release_cap=draw(st.one_of(st.none(), st.integers(1, 3))),
                 max_travel_min=draw(st.one_of(st.none(), st.sampled_from([30, 60, 90]))),
                 wage_eur_per_hour=draw(st.sampled_from([None, None, 2.5])))

    modules = [f"M{i}" for i in range(draw(st.integers(1, 3)))]
    for code in modules:
        b.module(code, draw(st.sampled_from([7, 14, 21, 35, 10.5])), family=draw(st.sampled_from(FAMILIES)),
                 months=draw(st.integers(1, 2)), min_fill=draw(st.one_of(st.none(), st.integers(2, 4))),
                 max_size=draw(st.one_of(st.none(), st.integers(4, 8))),
                 rate_eur_per_hour=draw(st.sampled_from([None, 9, 15])))

    providers = [f"P{i}" for i in range(draw(st.integers(1, 2)))]
    sites: list[tuple[str, str]] = []  # (provider, territory) with a venue
    for pid in providers:
        b.provider(pid, max_parallel_sessions=draw(st.one_of(st.none(), st.integers(1, 2))))
        for k, t in enumerate(draw(st.lists(st.sampled_from(territories), min_size=1, max_size=2, unique=True))):
            lat, lon = draw(coords)
            b.venue(f"V{pid}{k}", pid, t, lat=lat, lon=lon)
            sites.append((pid, t))
    offers = draw(st.lists(st.tuples(st.sampled_from(sites), st.sampled_from(modules)), min_size=1, max_size=6,
                           unique=True))
    for (pid, t), code in offers:
        b.offer(pid, code, t, rate_eur_per_hour=draw(st.sampled_from([None, None, 11])))

    n_requests = draw(st.integers(4, 20))
    seen: set[tuple[str, str, str]] = set()
    while len(seen) < n_requests:
        mid = draw(st.sampled_from(members))
        ref = f"t{draw(st.integers(0, 7))}"  # a small pool: some trainees ask several modules
        code = draw(st.sampled_from(modules))
        if (mid, ref, code) in seen:
            continue
        seen.add((mid, ref, code))
        lo = draw(st.integers(0, last))
        hi = draw(st.integers(lo, last))
        window = (MONTHS[lo], MONTHS[hi]) if draw(st.booleans()) else None
        b.request(mid, ref, code, priority=draw(st.integers(1, 3)), window=window,
                  max_travel_min=draw(st.sampled_from([None, None, None, None, 20, 75])))

    # funding: a regional line and an OPCA line (access fee or none) share each cost item; the
    # minimum shares of one item never sum above 100 %, whoever pays a fee
    def envelope() -> float | None:
        return draw(st.sampled_from([None, None, 300, 1500, 6000]))

    b.line("reg", "region", envelope_eur=envelope())
    b.funder("op", opca=True, access_fee_eur=draw(st.sampled_from([None, 40, 150])))
    b.line("op-line", "op", envelope_eur=envelope())
    items = ["pedagogy"] + draw(st.lists(st.sampled_from(["travel", "wage"] + (["engineering"] if engineering else [])),
                                         unique=True))
    for item in items:
        room = 1.0
        for line in draw(st.permutations(["reg", "op-line"])):
            kind = draw(st.sampled_from(["fixed", "variable", "none"]))
            families = draw(st.one_of(st.just([]), st.lists(st.sampled_from(FAMILIES), max_size=2, unique=True)))
            kinds = draw(st.one_of(st.just([]), st.lists(st.sampled_from(KINDS), max_size=3, unique=True)))
            fixed = [x for x in (0.3, 0.5, 0.7, 1.0) if x <= room]
            if kind == "fixed" and fixed:
                share = draw(st.sampled_from(fixed))
                b.rule(line, item, share=share, families=families, member_kinds=kinds)
                room -= share
            elif kind == "variable":
                lo = draw(st.sampled_from([x for x in (0.0, 0.2, 0.5) if x <= room]))
                hi = draw(st.sampled_from([x for x in (0.5, 0.8, 1.0) if x >= lo]))
                b.rule(line, item, share_min=lo, share_max=hi, families=families, member_kinds=kinds)
                room -= lo
            room = round(room, 6)
    return Case(b.build())
