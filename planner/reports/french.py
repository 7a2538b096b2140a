"""French wording of the documents: numbers, amounts, months, dates and labels of codes.

Amounts use a narrow no-break space between thousands and a no-break space before the
unit ("1 234,56 €"), as French typography and ``Intl.NumberFormat('fr-FR')`` do. Words agree
with their count (:func:`plural`) and particles elide (:func:`de`, :func:`elide`), so no document
shows "stagiaire(s)" or "de octobre".
"""

from __future__ import annotations

import re
from datetime import date

from planner.domain.months import Month

NNBSP = "\u202f"  # narrow no-break space: thousands separator
NBSP = "\u00a0"  # no-break space: before units (€, %, h)

MONTH_NAMES = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
               "novembre", "décembre")
MONTH_ABBREVIATIONS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
                       "déc.")

FAMILY_LABELS = {
    "short": "Modules courts de professionnalisation",
    "key_skills": "Compétences clés",
    "qualifying": "Formations qualifiantes",
}
COST_ITEM_LABELS = {
    "pedagogy": "Coûts pédagogiques",
    "travel": "Frais de déplacement",
    "wage": "Salaires",
    "engineering": "Ingénierie",
}
KIND_LABELS = {
    "AI": "Association intermédiaire",
    "ACI": "Atelier chantier d'insertion",
    "EI": "Entreprise d'insertion",
    "ETTI": "Entreprise de travail temporaire d'insertion",
    "EITI": "Entreprise d'insertion par le travail indépendant",
    "SAP": "Association de services à la personne",
}
REASON_LABELS = {
    "no_offer": "Aucune offre du module",
    "out_of_reach": "Aucun lieu à portée",
    "window": "Période de disponibilité trop courte",
    "below_min_fill": "Effectif minimum non atteint",
    "budget": "Enveloppe de financement épuisée",
    "own_funds": "Fonds propres épuisés",
    "capacity": "Capacité atteinte (sessions, lieu, organisme ou détachement)",
    "conflict": "Mois du stagiaire déjà pris",
}
# a capacity reason with its ``cause`` (unmet.csv): the limit that binds, said alone
CAUSE_LABELS = {
    "release_cap": "Plafond de détachement de la structure atteint",
    "max_size": "Sessions complètes",
    "provider_parallel": "Organisme au maximum de sessions en parallèle",
    "venue_day": "Lieu de formation déjà occupé ces jours-là",
}
# what a member or funder reads of how the plan was made (no solver names)
METHOD_LABELS = {"greedy": "plan glouton (sans optimisation)"}
OPTIMISED = "plan optimisé"
STATUS_LABELS = {
    "optimal": "optimal (prouvé à chaque étape)",
    "feasible": "réalisable (optimalité non prouvée)",
    "infeasible": "infaisable",
    "no_solution": "aucune solution",
    "interrupted": "interrompu",
    "error": "erreur",
}
STAGE_LABELS = {
    "served": "Heures-stagiaires pondérées par la priorité",
    "public_cost": "Coût public",
    "travel": "Temps de trajet (min)",
    "equity": "Équité entre territoires",
    "sessions": "Nombre de sessions",
}


def number(value: float, decimals: int = 0) -> str:
    """``1234.5`` -> ``"1 234,5"`` (``decimals`` digits, thousands grouped)."""
    text = f"{abs(value):,.{decimals}f}".replace(",", NNBSP).replace(".", ",")
    negative = value < 0 and text.strip("0,\u202f") != ""
    return ("-" if negative else "") + text


def eur_cents(cents: int) -> str:
    """Integer cents as euros: ``123456`` -> ``"1 234,56 €"`` (exact, no float)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(int(cents)), 100)
    return f"{sign}{whole:,}".replace(",", NNBSP) + f",{part:02d}{NBSP}€"


def eur_rounded(cents: int) -> str:
    """Whole euros, for charts and headlines: ``123456`` -> ``"1 235 €"``."""
    return number(round(cents / 100)) + f"{NBSP}€"


def percent(part: float, whole: float, decimals: int = 1) -> str:
    """``part / whole`` as ``"12,3 %"``; an em dash when ``whole`` is zero."""
    if not whole:
        return "—"
    return number(100 * part / whole, decimals) + f"{NBSP}%"


def hours(value: float) -> str:
    """Hours: ``1234.5`` -> ``"1 234,5 h"``, whole hours without decimals."""
    decimals = 0 if float(value).is_integer() else 1
    return number(value, decimals) + f"{NBSP}h"


def month_label(month: Month) -> str:
    """``mars 2012``."""
    return f"{MONTH_NAMES[month % 12]} {month // 12}"


def month_short(month: Month) -> str:
    """``mars``, ``sept.``: column headings of a year grid."""
    return MONTH_ABBREVIATIONS[month % 12]


def month_span(first: Month, last: Month) -> str:
    """``mars 2012`` or ``mars à mai 2012`` or ``déc. 2012 à janv. 2013``."""
    if first == last:
        return month_label(first)
    if first // 12 == last // 12:
        return f"{MONTH_NAMES[first % 12]} à {month_label(last)}"
    return f"{month_label(first)} à {month_label(last)}"


def day_label(day: date) -> str:
    """``1er mars 2012``, ``26 novembre 2026``."""
    return f"{'1er' if day.day == 1 else day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def date_span(start: date | None, end: date | None) -> str:
    """``du 5 au 9 mars 2012``, ``du 28 février au 2 mars 2012``, ``le 5 mars 2012``; empty when unknown."""
    if start is None or end is None:
        return ""
    if start == end:
        return f"le {day_label(start)}"
    first = "1er" if start.day == 1 else str(start.day)
    if (start.year, start.month) == (end.year, end.month):
        return f"du {first} au {day_label(end)}"
    if start.year == end.year:
        return f"du {first} {MONTH_NAMES[start.month - 1]} au {day_label(end)}"
    return f"du {day_label(start)} au {day_label(end)}"


def days_by_month(days: list[date]) -> str:
    """Meeting days grouped by month: ``mars : 5, 6, 12 ; avril : 2``."""
    groups: dict[tuple[int, int], list[str]] = {}
    for d in days:
        groups.setdefault((d.year, d.month), []).append("1er" if d.day == 1 else str(d.day))
    return " ; ".join(f"{MONTH_NAMES[m - 1]} {y} : {', '.join(ds)}" for (y, m), ds in groups.items())


def family_label(family: str) -> str:
    return FAMILY_LABELS.get(family, family)


def cost_item_label(cost_item: str, funder_names: dict[str, str] | None = None) -> str:
    if cost_item.startswith("access_fee:"):
        funder = cost_item.split(":", 1)[1]
        return f"Droit d'accès {(funder_names or {}).get(funder, funder)}"
    return COST_ITEM_LABELS.get(cost_item, cost_item)


def reason_label(reason: str, cause: str = "") -> str:
    """The reason of an unmet request; for ``capacity``, the limit that binds when the plan names it."""
    if reason == "capacity" and cause in CAUSE_LABELS:
        return CAUSE_LABELS[cause]
    return REASON_LABELS.get(reason, f"Motif non reconnu ({reason})")


def method_label(solver: str) -> str:
    """How the plan was made, in words a member or funder reads (never a solver's name)."""
    return METHOD_LABELS.get(solver, OPTIMISED)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 stagiaire``, ``3 stagiaires`` (French: 0 and 1 take the singular)."""
    return f"{count} {agree(count, singular, plural_form)}"


def agree(count: int, singular: str, plural_form: str | None = None) -> str:
    """The word alone, agreeing with ``count``."""
    return singular if abs(count) < 2 else (plural_form or singular + "s")


# a vowel or a mute h: the particles before them elide (« h » aspiré is rare in our names)
_VOWEL = re.compile(r"^[aeiouyhàâäéèêëîïôöûüœæ]", re.IGNORECASE)


def elide(particle: str, word: str) -> str:
    """``de``, ``le``, ``la``, ``que`` or ``ne`` before ``word``: « d'octobre », « l'Isère »,
    « qu'Échirolles »."""
    return f"{particle[:-1]}'{word}" if _VOWEL.match(word) else f"{particle} {word}"


def de(word: str) -> str:
    """« de » before a word or name, elided or contracted with its article: « d'octobre », « d'ai04 »,
    « de mars », « du Relais Grésivaudan » (de le), « des Abrets » (de les)."""
    article, _, rest = word.partition(" ")
    if rest and article in ("Le", "Les"):
        return f"{'du' if article == 'Le' else 'des'} {rest}"
    return elide("de", word)


def month_span_short(first: Month, last: Month) -> str:
    """``janv. 2012``, ``sept.–nov. 2012``, ``déc. 2012–janv. 2013``: a month span that fits a narrow column."""
    if first == last:
        return f"{month_short(first)} {first // 12}"
    if first // 12 == last // 12:
        return f"{month_short(first)}–{month_short(last)} {last // 12}"
    return f"{month_short(first)} {first // 12}–{month_short(last)} {last // 12}"
