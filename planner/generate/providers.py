"""Training providers of a generated scenario: their venues and offers as rows."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Place:
    commune: str
    territory_id: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class ProviderSpec:
    """A provider selected by the call for projects, with its venues and, per territory, the
    modules it runs there (and an optional rate for that territory's offers)."""

    id: str
    name: str
    venues: tuple[Place, ...]
    offers: Mapping[str, Sequence[str]]  # territory_id -> module codes
    max_parallel_sessions: int | None = None
    rates: Mapping[str, float] = field(default_factory=dict)  # territory_id -> EUR/hour

    def venue_id(self, place: Place) -> str:
        return f"{self.id}-{slug(place.commune)}"


def slug(text: str) -> str:
    """ASCII, lowercase, dash-separated: ``Saint-Égrève`` -> ``saint-egreve``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def provider_tables(providers: Iterable[ProviderSpec]) -> dict[str, list[dict[str, object]]]:
    """``providers``, ``venues`` and ``offers`` rows; every offered territory must have a venue."""
    tables: dict[str, list[dict[str, object]]] = {"providers": [], "venues": [], "offers": []}
    for p in providers:
        tables["providers"].append(
            {"provider_id": p.id, "name": p.name, "max_parallel_sessions": p.max_parallel_sessions}
        )
        for place in p.venues:
            tables["venues"].append(
                {
                    "venue_id": p.venue_id(place),
                    "provider_id": p.id,
                    "name": f"{p.name}, {place.commune}",
                    "territory_id": place.territory_id,
                    "commune": place.commune,
                    "lat": place.lat,
                    "lon": place.lon,
                }
            )
        venue_territories = {place.territory_id for place in p.venues}
        for territory_id, codes in p.offers.items():
            if territory_id not in venue_territories:
                raise ValueError(f"provider {p.id} offers in {territory_id} without a venue there")
            for code in codes:
                tables["offers"].append(
                    {
                        "provider_id": p.id,
                        "module_code": code,
                        "territory_id": territory_id,
                        "rate_eur_per_hour": p.rates.get(territory_id),
                    }
                )
    return tables
