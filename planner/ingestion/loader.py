"""Load a scenario folder (SPEC §1) into a :class:`~planner.domain.Scenario`.

Every table is read and every cell checked before anything fails, so a person gets the full
list of problems at once; :class:`~planner.domain.errors.ScenarioInvalid` carries them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Container, Iterator, Mapping
from pathlib import Path

from planner.domain import (
    Family,
    Leg,
    Member,
    MemberKind,
    Module,
    Offer,
    Provider,
    Request,
    Rule,
    Scenario,
    Territory,
    TravelPolicy,
    Venue,
)
from planner.domain.errors import Problem, ScenarioInvalid
from planner.rules.geography import computed_leg
from planner.ingestion.cells import Cells
from planner.ingestion.config import FILE as TOML_FILE
from planner.ingestion.config import Settings, load_settings
from planner.ingestion.plausibility import Place, coordinate_doubts
from planner.ingestion.tables import ANY_ID, CsvReading, Table, load_table
from planner.ingestion.wording import ENGLISH, Wording
from planner.domain.months import Month, format_month
from planner.domain.units import PPM, eur_to_cents, hours_to_minutes, km_to_hm, whole_minutes

COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "territories": (("territory_id", "name", "rural"), ("min_fill",)),
    "members": (
        ("member_id", "name", "kind", "territory_id", "commune", "lat", "lon"),
        ("opca", "own_funds_eur", "release_cap", "max_travel_min", "wage_eur_per_hour", "siret"),
    ),
    "modules": (
        ("module_code", "title", "family", "hours"),
        ("months", "min_fill", "max_size", "rate_eur_per_hour", "trade"),
    ),
    "providers": (("provider_id", "name"), ("max_parallel_sessions",)),
    "venues": (("venue_id", "provider_id", "name", "territory_id", "commune", "lat", "lon"), ()),
    "offers": (("provider_id", "module_code", "territory_id"), ("rate_eur_per_hour",)),
    "survey": (
        ("member_id", "trainee_ref", "module_code"),
        ("priority", "available_from", "available_to", "max_travel_min"),
    ),
    "travel": (("member_id", "venue_id", "minutes", "km"), ()),
}


def table(folder: Path, stem: str, problems: list[Problem], *, mandatory: bool = True,
          readings: dict[str, CsvReading] | None = None) -> Table:
    required, optional = COLUMNS[stem]
    return load_table(folder, stem, required, optional, problems, mandatory=mandatory, readings=readings)


class LegTable(Mapping[tuple[str, str], Leg]):
    """Legs for every (member, venue) pair: travel.csv rows first, else computed on demand.

    Computed lazily because a national scenario has millions of pairs and a solve only
    looks at the few within reach.
    """

    def __init__(self, members: dict[str, Member], venues: dict[str, Venue], overrides: dict[tuple[str, str], Leg], travel: TravelPolicy):
        self._members, self._venues, self._travel = members, venues, travel
        self._cache: dict[tuple[str, str], Leg] = dict(overrides)
        self.overrides = frozenset(overrides)

    def __getitem__(self, key: tuple[str, str]) -> Leg:
        leg = self._cache.get(key)
        if leg is None:
            member, venue = self._members[key[0]], self._venues[key[1]]
            leg = computed_leg(member.lat, member.lon, venue.lat, venue.lon, self._travel)
            self._cache[key] = leg
        return leg

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((m, v) for m in self._members for v in self._venues)

    def __len__(self) -> int:
        return len(self._members) * len(self._venues)


def source_hash(folder: Path) -> str:
    """SHA-256 over the scenario's files (names and bytes), to tie a plan to its input."""
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix.lower() in (".csv", ".xlsx", ".toml"):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def load_scenario(folder: str | Path) -> Scenario:
    """Load and validate a scenario folder; raise ScenarioInvalid listing every problem."""
    scenario, problems = read_scenario(folder)
    if problems or scenario is None:
        raise ScenarioInvalid(problems)
    return scenario


def read_scenario(folder: str | Path, *, survey: bool = True) -> tuple[Scenario | None, list[Problem]]:
    """Load a scenario folder, returning it (None if invalid) and every problem found.

    ``survey=False`` skips survey.csv (the scenario then has no requests): the survey
    commands need the catalogue before any survey exists.
    """
    folder = Path(folder)
    problems: list[Problem] = []
    if not folder.is_dir():
        return None, [Problem(str(folder), "scenario folder not found", expected="a folder with scenario.toml and CSV files")]
    settings = load_settings(folder, problems)
    readings: dict[str, CsvReading] = {}

    def read(stem: str, mandatory: bool = True) -> Table:
        return table(folder, stem, problems, mandatory=mandatory, readings=readings)

    # ids listed by each table, valid or not: a reference to an invalid row is not reported again
    listed: dict[str, Container[str]] = {}
    t = read("territories")
    territories, listed["territory"] = _territories(t, problems), t.listed("territory_id")
    member_table = read("members")
    members, listed["member"] = _members(member_table, territories, settings, problems, listed), member_table.listed("member_id")
    t = read("modules")
    modules, listed["module"] = _modules(t, settings, problems), t.listed("module_code")
    t = read("providers")
    providers, listed["provider"] = _providers(t, problems), t.listed("provider_id")
    before = len(problems)
    venue_table = read("venues")
    venues, listed["venue"] = _venues(venue_table, providers, territories, problems, listed), venue_table.listed("venue_id")
    # any problem of venues.csv (a bad row, a missing column) may hide the venue an offer needs
    venues_ok = venue_table.present and len(problems) == before
    offers = _offers(read("offers"), providers, modules, territories, venues, venues_ok, problems, listed)
    requests = parse_survey(read("survey"), members, modules, settings, problems, listed) if survey else []
    overrides = _travel_rows(read("travel", mandatory=False), members, venues, problems, listed)
    _check_rule_territories(settings, territories, folder, problems, listed)
    _check_min_shares(settings, members, modules, folder, problems)
    if problems:
        return None, problems
    scenario = Scenario(
        id=settings.id,
        title=settings.title,
        horizon_start=settings.horizon_start,
        horizon_end=settings.horizon_end,
        closed_months=settings.closed_months,
        policy=settings.policy,
        travel=settings.travel,
        objective=settings.objective,
        funders=settings.funders,
        budget_lines=settings.budget_lines,
        rules=settings.rules,
        territories=tuple(territories.values()),
        members=tuple(members.values()),
        modules=tuple(modules.values()),
        providers=tuple(providers.values()),
        venues=tuple(venues.values()),
        offers=tuple(offers),
        requests=tuple(requests),
        legs=LegTable(members, venues, overrides, settings.travel),
        source_hash=source_hash(folder),
        readings=tuple(f"{name}: {r.describe()}" for name, r in readings.items() if not r.usual),
        doubts=tuple(coordinate_doubts(_places(member_table, "member_id", members)
                                       + _places(venue_table, "venue_id", venues))),
    )
    return scenario, []


def _places(t: Table, column: str, loaded: Mapping[str, Member | Venue]) -> list[Place]:
    """The loaded members or venues with the file row they came from."""
    rows = {row[column]: line for line, row in t.rows}
    return [Place(t.file, rows[key], key, obj.lat, obj.lon) for key, obj in loaded.items()]


def _unique(c: Cells, column: str, value: str | None, seen: dict[str, int], what: str) -> bool:
    """True when ``value`` was not seen before in this table; reports the duplicate otherwise."""
    if value is None:
        return False
    if value in seen:
        c.problem(column, f"duplicate {what} id (first on row {seen[value]})", expected="a unique id")
        return False
    seen[value] = c.line
    return True


def _territories(t: Table, problems: list[Problem]) -> dict[str, Territory]:
    out: dict[str, Territory] = {}
    seen: dict[str, int] = {}
    for line, row in t.rows:
        c = Cells(t.file, line, row, problems)
        tid = c.text("territory_id")
        name, rural, min_fill = c.text("name"), c.boolean("rural"), c.integer("min_fill", minimum=1)
        if _unique(c, "territory_id", tid, seen, "territory") and name is not None and rural is not None:
            out[tid] = Territory(tid, name, rural, min_fill)  # type: ignore[arg-type]
    return out


def _lat_lon(c: Cells) -> tuple[float | None, float | None]:
    lat = c.number("lat", required=True, minimum=-90, maximum=90)
    lon = c.number("lon", required=True, minimum=-180, maximum=180)
    return (float(lat) if lat is not None else None, float(lon) if lon is not None else None)


def _members(t: Table, territories: dict[str, Territory], settings: Settings, problems: list[Problem],
             listed: Mapping[str, Container[str]]) -> dict[str, Member]:
    out: dict[str, Member] = {}
    seen: dict[str, int] = {}
    opcas = [f.id for f in settings.funders if f.opca]
    for line, row in t.rows:
        c = Cells(t.file, line, row, problems)
        mid = c.text("member_id")
        name = c.text("name")
        kind = c.choice("kind", [k.value for k in MemberKind])
        territory = c.ref("territory_id", territories, "territory", listed=listed["territory"])
        commune = c.text("commune")
        lat, lon = _lat_lon(c)
        opca = c.ref("opca", opcas, "OPCA funder", required=False, listed=() if settings.read else ANY_ID) if c.raw("opca") else None
        own = c.number("own_funds_eur", minimum=0)
        cap = c.integer("release_cap", minimum=0)
        travel = c.integer("max_travel_min", minimum=0)
        wage = c.number("wage_eur_per_hour", minimum=0)
        siret = c.raw("siret") or None
        bad_opca = bool(c.raw("opca")) and opca is None
        if not _unique(c, "member_id", mid, seen, "member") or None in (name, kind, territory, commune, lat, lon) or bad_opca:
            continue
        out[mid] = Member(  # type: ignore[index]
            id=mid, name=name, kind=MemberKind(kind), territory_id=territory, commune=commune,  # type: ignore[arg-type]
            lat=lat, lon=lon, opca=opca, own_funds_cents=eur_to_cents(own) if own else 0,  # type: ignore[arg-type]
            release_cap=cap, max_travel_min=travel,
            wage_cents_per_hour=eur_to_cents(wage) if wage is not None else None, siret=siret,
        )
    return out


def _modules(t: Table, settings: Settings, problems: list[Problem]) -> dict[str, Module]:
    out: dict[str, Module] = {}
    seen: dict[str, int] = {}
    # a bad horizon is reported in scenario.toml; do not judge modules' spans against it
    horizon_months = settings.horizon_end - settings.horizon_start + 1 if settings.horizon_start else None
    for line, row in t.rows:
        c = Cells(t.file, line, row, problems)
        code = c.text("module_code")
        title = c.text("title")
        family = c.choice("family", [f.value for f in Family])
        hours = c.number("hours", required=True, strictly_positive=True)
        months = c.integer("months", minimum=1, maximum=max(1, horizon_months) if horizon_months else None)
        min_fill = c.integer("min_fill", minimum=1)
        max_size = c.integer("max_size", minimum=1)
        rate = c.number("rate_eur_per_hour", minimum=0)
        if min_fill is not None and max_size is not None and min_fill > max_size:
            c.problem("min_fill", f"min_fill is above max_size ({max_size})", expected=f"at most {max_size}")
            continue
        if not _unique(c, "module_code", code, seen, "module") or None in (title, family, hours):
            continue
        out[code] = Module(  # type: ignore[index]
            code=code, title=title, family=Family(family), minutes=hours_to_minutes(hours),  # type: ignore[arg-type]
            months=months or 1, min_fill=min_fill, max_size=max_size,
            rate_cents_per_hour=eur_to_cents(rate) if rate is not None else None, trade=c.raw("trade") or None,
        )
    return out


def _providers(t: Table, problems: list[Problem]) -> dict[str, Provider]:
    out: dict[str, Provider] = {}
    seen: dict[str, int] = {}
    for line, row in t.rows:
        c = Cells(t.file, line, row, problems)
        pid, name = c.text("provider_id"), c.text("name")
        parallel = c.integer("max_parallel_sessions", minimum=0)
        if _unique(c, "provider_id", pid, seen, "provider") and name is not None:
            out[pid] = Provider(pid, name, parallel)  # type: ignore[index]
    return out


def _venues(t: Table, providers: dict[str, Provider], territories: dict[str, Territory], problems: list[Problem],
            listed: Mapping[str, Container[str]]) -> dict[str, Venue]:
    out: dict[str, Venue] = {}
    seen: dict[str, int] = {}
    for line, row in t.rows:
        c = Cells(t.file, line, row, problems)
        vid = c.text("venue_id")
        provider = c.ref("provider_id", providers, "provider", listed=listed["provider"])
        name = c.text("name")
        territory = c.ref("territory_id", territories, "territory", listed=listed["territory"])
        commune = c.text("commune")
        lat, lon = _lat_lon(c)
        if _unique(c, "venue_id", vid, seen, "venue") and None not in (provider, name, territory, commune, lat, lon):
            out[vid] = Venue(vid, provider, name, territory, commune, lat, lon)  # type: ignore[index, arg-type]
    return out


def _offers(t: Table, providers: dict[str, Provider], modules: dict[str, Module], territories: dict[str, Territory],
            venues: dict[str, Venue], venues_ok: bool, problems: list[Problem],
            listed: Mapping[str, Container[str]]) -> list[Offer]:
    out: list[Offer] = []
    seen: dict[tuple[str, str, str], int] = {}
    has_venue = {(v.provider_id, v.territory_id) for v in venues.values()}
    for line, row in t.rows:
        c = Cells(t.file, line, row, problems)
        provider = c.ref("provider_id", providers, "provider", listed=listed["provider"])
        module = c.ref("module_code", modules, "module", listed=listed["module"])
        territory = c.ref("territory_id", territories, "territory", listed=listed["territory"])
        rate = c.number("rate_eur_per_hour", minimum=0)
        if None in (provider, module, territory):
            continue
        key = (provider, module, territory)
        if key in seen:
            c.problem("module_code", f"duplicate offer (first on row {seen[key]})", expected="one row per provider, module and territory")
            continue
        seen[key] = line  # type: ignore[index]
        # when venues.csv has problems, the missing venue may be one of its bad rows: reported there
        if venues_ok and (provider, territory) not in has_venue:
            c.problem("territory_id", f"provider {provider!r} has no venue in this territory",
                      expected="a territory where venues.csv lists a venue of the provider")
            continue
        out.append(Offer(provider, module, territory, eur_to_cents(rate) if rate is not None else None))  # type: ignore[arg-type]
    return out


def parse_survey(t: Table, members: Mapping[str, Member], modules: Mapping[str, Module], settings: Settings,
                 problems: list[Problem], listed: Mapping[str, Container[str]] | None = None,
                 words: Wording = ENGLISH) -> list[Request]:
    """Survey rows to requests; also used to validate members' merged workbooks (in French ``words``).

    ``listed`` maps "member"/"module" to ids whose own rows are invalid (see :meth:`Table.listed`).
    """
    listed = listed or {}
    out: list[Request] = []
    seen: dict[tuple[str, str, str], int] = {}
    for line, row in t.rows:
        c = Cells(t.file, line, row, problems, words)
        member = c.ref("member_id", members, "member", listed=listed.get("member", ()))
        trainee = c.text("trainee_ref")
        module = c.ref("module_code", modules, "module", listed=listed.get("module", ()))
        priority = c.integer("priority", minimum=1, maximum=3)
        start, end = c.month("available_from"), c.month("available_to")
        travel = c.integer("max_travel_min", minimum=0)
        if settings.horizon_start:  # else scenario.toml has problems: an empty bound cannot be judged
            start = settings.horizon_start if start is None and not c.raw("available_from") else start
            end = settings.horizon_end if end is None and not c.raw("available_to") else end
        if start is not None and end is not None and end < start:
            c.problem("available_to", words.window_reversed.format(start=format_month(start)),
                      expected=words.month_from.format(start=format_month(start)))
            continue
        if None in (member, trainee, module, start, end):
            continue
        key = (member, trainee, module)
        if key in seen:
            c.problem("module_code", f"duplicate request: trainee {trainee!r} of {member!r} already asks for this module on row {seen[key]}",
                      expected="one row per trainee and module")
            continue
        seen[key] = line  # type: ignore[index]
        out.append(Request(len(out), member, trainee, module, priority or 2, start, end, travel))  # type: ignore[arg-type]
    return out


def _travel_rows(t: Table, members: dict[str, Member], venues: dict[str, Venue], problems: list[Problem],
                 listed: Mapping[str, Container[str]]) -> dict[tuple[str, str], Leg]:
    out: dict[tuple[str, str], Leg] = {}
    for line, row in t.rows:
        c = Cells(t.file, line, row, problems)
        member = c.ref("member_id", members, "member", listed=listed["member"])
        venue = c.ref("venue_id", venues, "venue", listed=listed["venue"])
        # decimals as routing tools export them, rounded as computed legs are (whole minutes, 0.1 km)
        minutes = c.number("minutes", required=True, minimum=0)
        km = c.number("km", required=True, minimum=0)
        if None in (member, venue, minutes, km):
            continue
        if (member, venue) in out:
            c.problem("venue_id", "duplicate travel row for this member and venue", expected="one row per pair")
            continue
        out[(member, venue)] = Leg(minutes=whole_minutes(minutes), road_hm=km_to_hm(km))  # type: ignore[arg-type, index]
    return out


def _rule_problem(folder: Path, rule: Rule, message: str, column: str, value: str, expected: str) -> Problem:
    from planner.ingestion.config import _Locator  # local: only needed on this error path

    locator = _Locator((folder / TOML_FILE).read_text(encoding="utf-8"))
    return Problem(TOML_FILE, message, row=locator.line("rules", rule.index, column.split(".")[-1]),
                   column=f"rules[{rule.index + 1}].{column}", value=value, expected=expected)


def _check_rule_territories(settings: Settings, territories: dict[str, Territory], folder: Path, problems: list[Problem],
                            listed: Mapping[str, Container[str]]) -> None:
    from planner.ingestion.tables import closest

    for rule in settings.rules:
        for tid in sorted(rule.territories - territories.keys()):
            if tid in listed["territory"]:
                continue  # its row in territories.csv is invalid, reported there
            p = _rule_problem(folder, rule, f"territory {tid!r} unknown", "territories", tid, "ids of territories.csv")
            problems.append(Problem(p.file, p.message, p.row, p.column, p.value, p.expected, closest(tid, territories)))


def _check_min_shares(settings: Settings, members: dict[str, Member], modules: dict[str, Module], folder: Path,
                      problems: list[Problem]) -> None:
    """SPEC §2.7: the minimum shares that apply to a member as it stands must not exceed 100 %."""
    funder_of = {line.id: line.funder_id for line in settings.budget_lines}
    opca = {f.id for f in settings.funders if f.opca}
    families = sorted({m.family for m in modules.values()})  # sorted: same report on every run
    items = sorted({r.cost_item for r in settings.rules})
    reported: set[tuple[int, ...]] = set()
    checked: set[tuple[str, str, str | None]] = set()
    for member in members.values():
        profile = (member.kind, member.territory_id, member.opca)
        if profile in checked:
            continue  # the same rules apply to members of one kind, territory and OPCA
        checked.add(profile)
        usable = [
            r for r in settings.rules
            if (funder_of[r.line_id] not in opca or member.opca == funder_of[r.line_id])
            and (not r.member_kinds or member.kind in r.member_kinds)
            and (not r.territories or member.territory_id in r.territories)
        ]
        for family in families:
            for item in items:
                applicable = [
                    r for r in usable if r.cost_item == item and r.matches(family, member.kind, member.territory_id)
                ]
                total = sum(r.share_min_ppm for r in applicable)
                key = tuple(r.index for r in applicable)
                if total > PPM and key not in reported:
                    reported.add(key)
                    lines = ", ".join(f"rules[{r.index + 1}] ({r.line_id} {r.share_min_ppm / PPM:.0%})" for r in applicable)
                    problems.append(
                        _rule_problem(folder, applicable[-1], f"minimum shares of {item.value} for {family.value} add up to "
                                      f"{total / PPM:.0%} for member {member.id!r} ({member.kind.value}): {lines}",
                                      "share", f"{total / PPM:.2f}", "shares that sum to at most 1 for every member")
                    )


def horizon_text(start: Month, end: Month) -> str:
    return f"{format_month(start)}..{format_month(end)}"
