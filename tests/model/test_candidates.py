"""Index sets of the model: groups of interchangeable requests and session cells (candidates.py)."""

from __future__ import annotations

from scenario_builder import Build, base, m

from planner.model.candidates import build_candidates, cells_by_month


def _groups(cand, scenario):
    """{(member, module, priority, trainee_ref): sorted trainee refs of the group's requests}."""
    out = {}
    for g in cand.groups:
        refs = sorted(scenario.requests[r].trainee_ref for r in g.requests)
        out.setdefault((g.member_id, g.module_code, g.priority, g.trainee_ref), []).append(refs)
    return out


def test_single_request_trainees_are_aggregated():
    sc = base().requests_for("A", "M", 5).build()
    cand = build_candidates(sc)
    assert len(cand.groups) == 1
    (g,) = cand.groups
    assert g.count == 5 and g.trainee_ref is None and g.requests == [0, 1, 2, 3, 4]


def test_groups_split_by_member_priority_window_and_travel_limit():
    b = base().member("B")
    b.requests_for("A", "M", 2)  # the reference group: A, priority 2, whole year, policy travel limit
    b.requests_for("B", "M", 2)  # another member
    b.requests_for("A", "M", 2, prefix="p1-", priority=1)  # another priority
    b.requests_for("A", "M", 2, prefix="w-", window=("2012-03", "2012-06"))  # another window
    b.requests_for("A", "M", 2, prefix="t-", max_travel_min=30)  # another travel limit
    b.requests_for("A", "M", 1, prefix="x-", window=("2012-01", "2012-12"))  # same as the reference
    sc = b.build()
    cand = build_candidates(sc)
    assert sorted(g.count for g in cand.groups) == [2, 2, 2, 2, 3]
    for g in cand.groups:  # every group's requests are interchangeable
        reqs = [sc.requests[r] for r in g.requests]
        assert len({(r.member_id, r.module_code, r.priority, r.available_from, r.available_to,
                     sc.max_travel_min(r)) for r in reqs}) == 1


def test_travel_limit_from_member_and_row_is_the_same_group():
    # the row's 45 min equals the policy's 45 min: same effective limit, same group
    b = base(max_travel_min=45).requests_for("A", "M", 2).requests_for("A", "M", 1, prefix="r-", max_travel_min=45)
    cand = build_candidates(b.build())
    assert [g.count for g in cand.groups] == [3]


def test_multi_request_trainees_stay_alone():
    b = base().module("N", 14).offer("P", "N")
    b.request("A", "t1", "M").request("A", "t1", "N")  # t1 asks two modules
    b.request("A", "t2", "M").request("A", "t3", "M").request("A", "t4", "N").request("A", "t5", "N")
    sc = b.build()
    cand = build_candidates(sc)
    groups = _groups(cand, sc)
    assert groups[("A", "M", 2, "t1")] == [["t1"]]
    assert groups[("A", "N", 2, "t1")] == [["t1"]]
    assert groups[("A", "M", 2, None)] == [["t2", "t3"]]
    assert groups[("A", "N", 2, None)] == [["t4", "t5"]]
    for g in cand.groups:
        if g.trainee_ref is not None:
            assert g.count == 1


def test_two_multi_request_trainees_with_identical_rows_are_not_merged():
    b = base().module("N", 14).offer("P", "N")
    b.request("A", "t1", "M").request("A", "t1", "N").request("A", "t2", "M").request("A", "t2", "N")
    cand = build_candidates(b.build())
    assert len(cand.groups) == 4 and all(g.count == 1 for g in cand.groups)


def test_unservable_requests_get_no_group():
    b = base(max_travel_min=45).member("B").leg("B", "V", 60, 50)  # B is out of reach
    b.requests_for("A", "M", 2).requests_for("B", "M", 2)
    b.module("L", 14, months=3).offer("P", "L").requests_for("A", "L", 2, window=("2012-01", "2012-02"))  # too short
    b.module("Q", 14)  # offered by nobody
    b.requests_for("A", "Q", 2)
    sc = b.build()
    cand = build_candidates(sc)
    assert [(g.member_id, g.module_code, g.count) for g in cand.groups] == [("A", "M", 2)]


def test_cells_cover_reachable_venues_and_allowed_starts():
    b = base(months=2, start="2012-01", end="2012-06", closed=["2012-04"]).venue("V2", "P")
    b.requests_for("A", "M", 2, window=("2012-02", "2012-06"))
    sc = b.build()
    cand = build_candidates(sc)
    # 2-month spans inside Feb..Jun avoiding April: Feb-Mar and May-Jun; at V and V2
    assert sorted((c.venue_id, c.start) for c in cand.cells) == [
        ("V", m("2012-02")), ("V", m("2012-05")), ("V2", m("2012-02")), ("V2", m("2012-05"))]
    assert [c.index for c in cand.cells] == list(range(len(cand.cells)))
    (g,) = cand.groups
    assert sorted(ci for ci, _ in g.options) == list(range(4))
    by_month = cells_by_month(cand.cells)
    assert sorted(by_month) == [m("2012-02"), m("2012-03"), m("2012-05"), m("2012-06")]
    assert all(len(cells) == 2 for cells in by_month.values())


def test_cell_limits_follow_precedence():
    b = base(min_fill=5, max_size=9).territory("T", min_fill=3).requests_for("A", "M", 6)
    cand = build_candidates(b.build())
    assert {(c.min_fill, c.max_size) for c in cand.cells} == {(3, 9)}


def test_cells_below_min_fill_are_pruned():
    # min_fill 3. A (2 requests) reaches V1 only, C (3) reaches V1 and V2, B (2) reaches V3 only:
    # V1 has 5 reachable requests, V2 3, V3 2 < 3: V3's cells are pruned, and B's requests, which
    # have no other cell, lose their group
    b = Build(min_fill=3).territory("T").provider("P").module("M", 21)
    for v in ("V1", "V2", "V3"):
        b.venue(v, "P")
    b.offer("P", "M").member("A").member("B").member("C")
    b.leg("A", "V3", 99, 80).leg("C", "V3", 99, 80)
    b.leg("B", "V1", 99, 80).leg("B", "V2", 99, 80)
    b.leg("A", "V2", 99, 80)
    b.requests_for("A", "M", 2).requests_for("B", "M", 2).requests_for("C", "M", 3)
    sc = b.build()
    cand = build_candidates(sc)
    venues = {c.venue_id for c in cand.cells}
    assert venues == {"V1", "V2"}  # V1: A 2 + C 3 = 5; V2: C 3; V3: B 2 < 3
    assert {g.member_id for g in cand.groups} == {"A", "C"}
    for g in cand.groups:
        for ci, _ in g.options:
            assert cand.cells[ci].index == ci


def test_pruning_counts_external_seats():
    sc = base(min_fill=3, external_seats_max=1).requests_for("A", "M", 2).build()
    assert len(build_candidates(sc).cells) == 12  # 2 + 1 external seat reach 3, every month
    sc = base(min_fill=3, external_seats_max=0).requests_for("A", "M", 2).build()
    cand = build_candidates(sc)
    assert cand.cells == [] and cand.groups == []


def test_pruning_is_per_start_month():
    # windows: 2 requests in Jan..Mar, 1 in Mar..Dec: only March has 3 reachable requests
    b = base(min_fill=3).requests_for("A", "M", 2, window=("2012-01", "2012-03"))
    b.requests_for("A", "M", 1, prefix="late-", window=("2012-03", "2012-12"))
    cand = build_candidates(b.build())
    assert [c.start for c in cand.cells] == [m("2012-03")]
    assert sorted(g.count for g in cand.groups) == [1, 2]
