"""Members of a generated scenario and the seeded drawing of their needs survey.

A draw first picks (member, module) pairs, then groups each member's picks into trainees
(some asking two modules) with availability windows and priorities. Only the
``random.Random`` passed in is used, so a seed fixes every row.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from planner.domain import Family
from planner.generate.catalogue import ModuleSpec, module_weights
from planner.domain.months import Month, format_month

Pick = tuple["MemberSpec", ModuleSpec]

PAIR_SHARE = 0.3  # chance that a trainee with a pick left asks a second module
TRAVEL_OVERRIDE_SHARE = 0.03  # trainees whose own travel limit differs from their member's
TRAVEL_OVERRIDES = (30, 60)  # no car and public transport only / a car of their own
PRIORITIES = (1, 2, 3)
PRIORITY_WEIGHTS = (3, 5, 2)
QUALIFYING_PRIORITY_WEIGHTS = (7, 3, 0)  # end-of-pathway courses are mostly urgent


@dataclass(frozen=True, slots=True)
class MemberSpec:
    """A member structure, with what the survey draw needs (``sectors``, ``size``)."""

    id: str
    name: str
    kind: str
    territory_id: str
    commune: str
    lat: float
    lon: float
    sectors: tuple[str, ...] = ()
    size: float = 1.0  # relative number of trainees it sends
    opca: str | None = None
    own_funds_eur: float | None = None
    release_cap: int | None = None
    max_travel_min: int | None = None
    wage_eur_per_hour: float | None = None

    def row(self) -> dict[str, object]:
        """The member as a ``members.csv`` row."""
        return {
            "member_id": self.id,
            "name": self.name,
            "kind": self.kind,
            "territory_id": self.territory_id,
            "commune": self.commune,
            "lat": self.lat,
            "lon": self.lon,
            "opca": self.opca,
            "own_funds_eur": self.own_funds_eur,
            "release_cap": self.release_cap,
            "max_travel_min": self.max_travel_min,
            "wage_eur_per_hour": self.wage_eur_per_hour,
        }


class ModuleChooser:
    """Draws a module of one family for a member, by the sectors of its worksites."""

    def __init__(self, modules: Sequence[ModuleSpec]):
        self.modules = list(modules)
        self._cum: dict[tuple[str, ...], list[float] | None] = {}

    def choose(self, rng: random.Random, member: MemberSpec) -> ModuleSpec | None:
        """A module, or None when nothing of this family suits the member."""
        if member.sectors not in self._cum:
            self._cum[member.sectors] = _cumulative(module_weights(self.modules, member.sectors))
        cum = self._cum[member.sectors]
        return None if cum is None else rng.choices(self.modules, cum_weights=cum)[0]


def _cumulative(weights: Iterable[float]) -> list[float] | None:
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)
    return cum if total > 0 else None


def draw_by_hours(
    rng: random.Random,
    members: Sequence[MemberSpec],
    modules: Sequence[ModuleSpec],
    target_hours: float,
) -> list[Pick]:
    """Picks (member by size, module by sector) until their hours reach ``target_hours``.

    The total ends within half a module's hours of the target.
    """
    chooser = ModuleChooser(modules)
    member_cum = _cumulative(m.size for m in members)
    if member_cum is None:
        raise ValueError("members have no size")
    picks: list[Pick] = []
    total = 0.0
    misses = 0
    while True:
        member = rng.choices(members, cum_weights=member_cum)[0]
        module = chooser.choose(rng, member)
        if module is None:
            misses += 1
            if misses > 10_000:
                raise ValueError("no member asks for any of these modules")
            continue
        if total + module.hours / 2 > target_hours:
            return picks
        picks.append((member, module))
        total += module.hours


def survey_rows(
    rng: random.Random,
    members: Sequence[MemberSpec],
    picks: Iterable[Pick],
    horizon: tuple[Month, Month],
) -> list[dict[str, object]]:
    """Survey rows for all picks, member by member in the order of ``members``."""
    by_member: dict[str, list[ModuleSpec]] = {m.id: [] for m in members}
    for member, module in picks:
        by_member[member.id].append(module)
    rows: list[dict[str, object]] = []
    for member in members:
        rows.extend(member_rows(rng, member.id, by_member[member.id], horizon))
    return rows


def member_rows(
    rng: random.Random,
    member_id: str,
    modules: Sequence[ModuleSpec],
    horizon: tuple[Month, Month],
) -> list[dict[str, object]]:
    """Group one member's picks into trainees and write their requests."""
    rows: list[dict[str, object]] = []
    for n, asked in enumerate(_group_trainees(rng, modules, horizon), start=1):
        first, last = draw_window(rng, horizon, sum(m.months for m in asked) + len(asked) - 1)
        travel = rng.choice(TRAVEL_OVERRIDES) if rng.random() < TRAVEL_OVERRIDE_SHARE else None
        for module in asked:
            weights = QUALIFYING_PRIORITY_WEIGHTS if module.family == Family.QUALIFYING else PRIORITY_WEIGHTS
            rows.append(
                {
                    "member_id": member_id,
                    "trainee_ref": f"T{n:03d}",
                    "module_code": module.code,
                    "priority": rng.choices(PRIORITIES, weights=weights)[0],
                    "available_from": None if first == horizon[0] else format_month(first),
                    "available_to": None if last == horizon[1] else format_month(last),
                    "max_travel_min": travel,
                }
            )
    return rows


def _group_trainees(
    rng: random.Random, modules: Sequence[ModuleSpec], horizon: tuple[Month, Month]
) -> list[tuple[ModuleSpec, ...]]:
    """Shuffle the picks and pair some consecutive ones into two-module trainees."""
    span = horizon[1] - horizon[0] + 1
    pending = list(modules)
    rng.shuffle(pending)
    trainees: list[tuple[ModuleSpec, ...]] = []
    i = 0
    while i < len(pending):
        first = pending[i]
        second = pending[i + 1] if i + 1 < len(pending) else None
        if (
            second is not None
            and second.code != first.code
            and first.months + second.months + 1 <= span
            and rng.random() < PAIR_SHARE
        ):
            trainees.append((first, second))
            i += 2
        else:
            trainees.append((first,))
            i += 1
    return trainees


def draw_window(rng: random.Random, horizon: tuple[Month, Month], min_len: int) -> tuple[Month, Month]:
    """A trainee's availability: mostly the whole year, else a late start or an early end
    (contracts starting or ending during the year), never shorter than ``min_len`` months."""
    start, end = horizon
    half, third = max(1, (end - start + 1) // 2), max(1, (end - start + 1) // 3)
    first, last = start, end
    r = rng.random()
    if r < 0.20:
        first = start + rng.randint(1, half)
    elif r < 0.40:
        last = end - rng.randint(1, half)
    elif r < 0.45:
        first, last = start + rng.randint(1, third), end - rng.randint(1, third)
    min_len = min(min_len, end - start + 1)
    if last - first + 1 < min_len:
        first = max(start, last - min_len + 1)
        last = first + min_len - 1
    return first, last
