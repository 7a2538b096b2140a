"""Aggregated requests (groups) and session cells: the index sets of the model.

A *cell* is (module, provider, venue, start month); the model opens an integer number of
sessions per cell, which removes the symmetry of identical sessions. A *group* gathers
interchangeable requests: same member, module, priority, window and travel limit, of
trainees who asked for nothing else. Trainees with several requests stay alone in their
groups, so that their month conflicts keep their trainee-level meaning.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from planner.domain import Leg, Offer, Scenario
from planner.domain.months import Month
from planner.rules.reach import Reach


@dataclass(frozen=True, slots=True)
class Cell:
    index: int
    module_code: str
    provider_id: str
    venue_id: str
    territory_id: str
    start: Month
    months: int
    offer: Offer
    min_fill: int
    max_size: int

    @property
    def month_span(self) -> range:
        return range(self.start, self.start + self.months)


@dataclass(slots=True)
class Group:
    index: int
    member_id: str
    module_code: str
    priority: int
    requests: list[int]  # request indices, in survey order
    trainee_ref: str | None  # set for trainees with several requests
    options: list[tuple[int, Leg]] = field(default_factory=list)  # (cell index, leg)

    @property
    def count(self) -> int:
        return len(self.requests)


@dataclass
class Candidates:
    cells: list[Cell]
    groups: list[Group]


def build_candidates(scenario: Scenario, reach: Reach | None = None, *, relax_min_fill: bool = False) -> Candidates:
    """Groups and cells; ``relax_min_fill`` lets any cell open from one trainee (for explanations)."""
    reach = reach or Reach(scenario)
    requests_of: Counter[tuple[str, str]] = Counter(r.trainee for r in scenario.requests)
    groups: dict[tuple, Group] = {}
    cells: dict[tuple[str, str, str, Month], Cell] = {}
    for request in scenario.requests:
        sites = reach.sites(request)
        starts = reach.starts(request)
        if not sites or not starts:
            continue  # unservable: explained later, no variable needed
        alone = requests_of[request.trainee] == 1
        key = (
            request.member_id, request.module_code, request.priority, request.available_from,
            request.available_to, scenario.max_travel_min(request), None if alone else request.trainee_ref,
        )
        group = groups.get(key)
        if group is None:
            group = Group(len(groups), request.member_id, request.module_code, request.priority, [],
                          None if alone else request.trainee_ref)
            groups[key] = group
            for site, leg in sites:
                for start in starts:
                    cell = _cell(scenario, cells, site.offer, site.venue.id, site.venue.territory_id, start,
                                 relax_min_fill)
                    group.options.append((cell.index, leg))
        group.requests.append(request.index)
    if relax_min_fill:
        return Candidates(list(cells.values()), list(groups.values()))
    return _prune(scenario, list(cells.values()), list(groups.values()))


def _prune(scenario: Scenario, cells: list[Cell], groups: list[Group]) -> Candidates:
    """Drop cells that could never reach min_fill, even with every reachable request and external seat."""
    reachable: Counter[int] = Counter()
    for group in groups:
        for cell_index, _ in group.options:
            reachable[cell_index] += group.count
    external = scenario.policy.external_seats_max
    alive = [c for c in cells if reachable[c.index] + external >= c.min_fill]
    renumber = {c.index: i for i, c in enumerate(alive)}
    new_cells = [replace(c, index=renumber[c.index]) for c in alive]
    kept = []
    for group in groups:
        group.options = [(renumber[ci], leg) for ci, leg in group.options if ci in renumber]
        if group.options:
            group.index = len(kept)
            kept.append(group)
    return Candidates(new_cells, kept)


def _cell(scenario: Scenario, cells: dict, offer: Offer, venue_id: str, territory_id: str, start: Month,
          relax_min_fill: bool = False) -> Cell:
    key = (offer.module_code, offer.provider_id, venue_id, start)
    cell = cells.get(key)
    if cell is None:
        module = scenario.module[offer.module_code]
        cell = Cell(len(cells), module.code, offer.provider_id, venue_id, territory_id, start, module.months, offer,
                    1 if relax_min_fill else scenario.min_fill(module.code, venue_id), scenario.max_size(module.code))
        cells[key] = cell
    return cell


def cells_by_month(cells: list[Cell]) -> dict[Month, list[Cell]]:
    out: dict[Month, list[Cell]] = defaultdict(list)
    for cell in cells:
        for month in cell.month_span:
            out[month].append(cell)
    return out
