"""Funders, budget lines and rules of the Territoires Insertion 38 model (DOMAIN.md figures).

- short modules: AGEFOS PME (the OPCA) pays 70 % of the pedagogy of non-AI members that adhere
  or pay its 150 EUR access fee; the Région pays the other 30 % from the CTEF budget of the
  member's area;
- AI: AGEFOS drawing rights pay up to 70 % of short-module pedagogy and any part of the
  wages of AI trainees; the Région pays 30 to 60 % of AI short-module pedagogy;
- key skills: the State and the FPSPP, 40 to 60 % each;
- qualifying: AGEFOS (FPSPP funds) and the ADEC 30 to 40 % each, the territorial unit of the
  member's area 20 to 40 %;
- the Région pays the training engineering and, through a mobility fund, travel allowances.

Ranges (``share_min``/``share_max``) let the optimiser choose the split, as funders negotiate
it each year; fixed shares are the ones the seed states.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planner.domain import Family

AI_KINDS = ("AI",)
NON_AI_KINDS = ("ACI", "EI", "EITI", "ETTI", "SAP")
OPCA_ID = "agefos"
ACCESS_FEE_EUR = 150

FUNDERS: tuple[dict[str, object], ...] = (
    {"id": OPCA_ID, "name": "AGEFOS PME", "opca": True, "access_fee_eur": ACCESS_FEE_EUR},
    {"id": "region", "name": "Région Rhône-Alpes"},
    {"id": "etat", "name": "État (DIRECCTE)"},
    {"id": "fpspp", "name": "FPSPP"},
    {"id": "adec", "name": "ADEC Anticipation des mutations économiques"},
    {"id": "ut", "name": "Unités territoriales"},
)


@dataclass(frozen=True, slots=True)
class Area:
    """Where a territorial budget line applies (a Région CTEF, a territorial unit)."""

    id: str
    name: str
    territories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RuleSpec:
    line: str
    cost_item: str
    families: tuple[Family, ...] = ()
    member_kinds: tuple[str, ...] = ()
    territories: tuple[str, ...] = ()
    share: float | None = None
    share_min: float | None = None
    share_max: float | None = None

    def row(self) -> dict[str, object]:
        """The rule as a ``[[rules]]`` table (empty filters left out: they mean all)."""
        row: dict[str, object] = {"line": self.line, "cost_item": self.cost_item}
        for key in ("families", "member_kinds", "territories"):
            if getattr(self, key):
                row[key] = list(getattr(self, key))
        for key in ("share", "share_min", "share_max"):
            if getattr(self, key) is not None:
                row[key] = getattr(self, key)
        return row


def ctef_line(area: Area) -> str:
    return f"region-ctef-{area.id}"


def ut_line(area: Area) -> str:
    return f"ut-{area.id}"


def line_funders(areas: Sequence[Area]) -> dict[str, str]:
    """Every budget line id, in file order, with its funder id."""
    lines = {
        "agefos-short": OPCA_ID,
        "agefos-ai": OPCA_ID,
        "agefos-qualif": OPCA_ID,
        "region-ai": "region",
    }
    lines.update({ctef_line(a): "region" for a in areas})
    lines.update(
        {
            "region-ingenierie": "region",
            "region-mobilite": "region",
            "etat-cc": "etat",
            "fpspp-cc": "fpspp",
            "adec-qualif": "adec",
        }
    )
    lines.update({ut_line(a): "ut" for a in areas})
    return lines


def rules(areas: Sequence[Area]) -> list[RuleSpec]:
    """The rules of the model, territorial ones once per area."""
    specs = [
        RuleSpec("agefos-short", "pedagogy", (Family.SHORT,), NON_AI_KINDS, share=0.7),
        RuleSpec("agefos-ai", "pedagogy", (Family.SHORT,), AI_KINDS, share_min=0.0, share_max=0.7),
        RuleSpec("agefos-ai", "wage", (), AI_KINDS, share_min=0.0, share_max=1.0),
        RuleSpec("region-ai", "pedagogy", (Family.SHORT,), AI_KINDS, share_min=0.3, share_max=0.6),
    ]
    specs += [
        RuleSpec(ctef_line(a), "pedagogy", (Family.SHORT,), NON_AI_KINDS, a.territories, share=0.3)
        for a in areas
    ]
    specs += [
        RuleSpec("region-ingenierie", "engineering", share=1.0),
        RuleSpec("region-mobilite", "travel", share=1.0),
        RuleSpec("etat-cc", "pedagogy", (Family.KEY_SKILLS,), share_min=0.4, share_max=0.6),
        RuleSpec("fpspp-cc", "pedagogy", (Family.KEY_SKILLS,), share_min=0.4, share_max=0.6),
        RuleSpec("agefos-qualif", "pedagogy", (Family.QUALIFYING,), share_min=0.3, share_max=0.4),
        RuleSpec("adec-qualif", "pedagogy", (Family.QUALIFYING,), share_min=0.3, share_max=0.4),
    ]
    specs += [
        RuleSpec(ut_line(a), "pedagogy", (Family.QUALIFYING,), (), a.territories, share_min=0.2, share_max=0.4)
        for a in areas
    ]
    return specs


def funding_tables(
    areas: Sequence[Area], envelopes: Mapping[str, float | None]
) -> dict[str, list[dict[str, object]]]:
    """``funders``, ``budget_lines`` and ``rules`` for scenario.toml.

    ``envelopes`` must give every line id of :func:`line_funders` (None: no cap).
    """
    lines = line_funders(areas)
    missing = [line for line in lines if line not in envelopes]
    unknown = [line for line in envelopes if line not in lines]
    if missing or unknown:
        raise ValueError(f"envelopes: missing {missing}, unknown {unknown}")
    return {
        "funders": [dict(f) for f in FUNDERS],
        "budget_lines": [
            {"id": line, "funder": funder, "envelope_eur": envelopes[line]}
            for line, funder in lines.items()
        ],
        "rules": [r.row() for r in rules(areas)],
    }
