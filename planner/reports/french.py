"""French wording of the documents: numbers, amounts, months, dates and labels of codes.

Amounts use a narrow no-break space between thousands and a no-break space before the
unit ("1 234,56 €"), as French typography and ``Intl.NumberFormat('fr-FR')`` do. Sentences the
solver writes in English (the ``detail`` of unmet requests) are translated here by pattern;
an unknown sentence is shown as it is rather than guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from planner.domain.months import Month, parse_month

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
    "window": "Fenêtre de disponibilité trop courte",
    "below_min_fill": "Effectif minimum non atteint",
    "budget": "Enveloppe de financement épuisée",
    "own_funds": "Fonds propres épuisés",
    "capacity": "Capacité atteinte (organisme ou plafond de détachement)",
    "conflict": "Mois du stagiaire déjà pris",
}
STATUS_LABELS = {
    "optimal": "optimal (prouvé à chaque étape)",
    "feasible": "réalisable (optimalité non prouvée)",
    "infeasible": "infaisable",
    "no_solution": "aucune solution",
    "interrupted": "interrompu",
    "error": "erreur",
}
STAGE_LABELS = {
    "served": "Demandes servies (pondérées)",
    "public_cost": "Coût public (€)",
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


def reason_label(reason: str) -> str:
    return REASON_LABELS.get(reason, reason)


# --- the solver's English sentences about unmet requests, in French -----------------------------

def _fr_amount(text: str) -> str:
    """An amount the solver printed as ``1,234.56`` (or ``1,234``), in French, with the euro sign."""
    value = float(text.replace(",", ""))
    return number(value, 0 if "." not in text else 2) + f"{NBSP}€"


def _fr_month(text: str) -> str:
    return month_label(parse_month(text))


def _fr_months(text: str) -> str:
    """``2012-03`` or ``2012-03..2012-05``."""
    first, _, last = text.partition("..")
    return month_span(parse_month(first), parse_month(last or first))


def _lines(text: str) -> str:
    return text.replace("`", "").replace("the envelopes", "les enveloppes")


def _exhausted_parts(text: str) -> str:
    parts = re.findall(r"`([^`]+)` is exhausted: ([\d,.]+) EUR more", text)
    return ", ".join(f"{line} épuisée ({_fr_amount(amount)} de plus)" for line, amount in parts)


_DETAILS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [(re.compile(p), f) for p, f in [
    (r"no provider offers (?P<m>\S+): an offer in a territory would open it$",
     lambda g: f"aucun organisme ne propose {g['m']} : une offre sur un territoire l'ouvrirait"),
    (r"no venue offering (?P<m>\S+) within (?P<n>\d+) min of (?P<c>.+): a venue closer by, or a longer travel "
     r"limit, would open it$",
     lambda g: f"aucun lieu proposant {g['m']} à moins de {g['n']} min de {g['c']} : un lieu plus proche, ou une "
               f"limite de trajet plus longue, l'ouvrirait"),
    (r"(?P<m>\S+) lasts (?P<k>\d+) month\(s\), which no allowed start fits in "
     r"(?P<a>\d{4}-\d{2})\.\.(?P<b>\d{4}-\d{2})$",
     lambda g: f"{g['m']} dure {g['k']} mois : aucun début autorisé n'y tient entre {_fr_month(g['a'])} et "
               f"{_fr_month(g['b'])}"),
    (r"no session of (?P<m>\S+) could open within reach in its window: more trainees nearby \(or external seats\) "
     r"would be needed to reach min_fill$",
     lambda g: f"aucune session de {g['m']} ne pouvait ouvrir à portée dans la fenêtre demandée : il faudrait plus "
               f"de stagiaires à proximité (ou des places externes) pour atteindre l'effectif minimum"),
    (r"the (?P<n>\d+) reachable session\(s\) of (?P<m>\S+) are full: one more session would be needed$",
     lambda g: f"les {g['n']} session(s) de {g['m']} à portée sont complètes : il faudrait une session de plus"),
    (r"trainee (?P<t>.+)'s months are taken by another session: a later window would help$",
     lambda g: f"les mois du stagiaire {g['t']} sont pris par une autre session : une fenêtre plus tardive aiderait"),
    (r"(?P<id>\S+) reaches its release cap of (?P<n>\d+) trainees in those months$",
     lambda g: f"{g['id']} atteint son plafond de {g['n']} stagiaires en formation ces mois-là"),
    (r"(?P<id>\S+)'s own funds are used up \((?P<a>[\d,.]+) of (?P<b>[\d,.]+) EUR\): more own funds would fund "
     r"this trainee$",
     lambda g: f"les fonds propres de {g['id']} sont épuisés ({_fr_amount(g['a'])} sur {_fr_amount(g['b'])}) : "
               f"davantage de fonds propres financeraient ce stagiaire"),
    (r"budget line\(s\) (?P<l>.+) exhausted: a larger envelope would fund this trainee$",
     lambda g: f"ligne(s) budgétaire(s) épuisée(s) : {g['l']} ; une enveloppe plus grande financerait ce stagiaire"),
    (r"funding rules and envelopes leave this trainee's cost unpaid$",
     lambda g: "les règles de financement et les enveloppes laissent une part du coût de ce stagiaire non financée"),
    (r"(?P<c>\d+) unmet trainee\(s\) within reach of (?P<commune>.+) want (?P<m>\S+) from (?P<month>\d{4}-\d{2}); "
     r"(?P<k>\d+) more(?:, or (?P<x>\d+) external seat\(s\),)? would open a session \(min_fill (?P<need>\d+)\)$",
     lambda g: f"{g['c']} stagiaire(s) non servi(s) à portée de {g['commune']} demandent {g['m']} à partir de "
               f"{_fr_month(g['month'])} ; {g['k']} de plus"
               + (f", ou {g['x']} place(s) externe(s)," if g["x"] else "")
               + f" permettrai(en)t d'ouvrir une session (effectif minimum {g['need']})"),
    (r"budget line (?P<parts>`.+) would fund this trainee$",
     lambda g: f"ligne budgétaire {_exhausted_parts(g['parts'])} : de quoi financer ce stagiaire"),
    (r"(?P<names>.+) exhausted: a larger envelope would let the plan fund this trainee$",
     lambda g: f"{_lines(g['names'])} épuisée(s) : une enveloppe plus grande permettrait de financer ce stagiaire"),
    (r"(?P<id>\S+)'s own funds \((?P<a>[\d,.]+) EUR\) are used up: about (?P<b>[\d,.]+) EUR more would pay this "
     r"trainee's share that no rule covers$",
     lambda g: f"les fonds propres de {g['id']} ({_fr_amount(g['a'])}) sont épuisés : environ {_fr_amount(g['b'])} "
               f"de plus paieraient la part de ce stagiaire qu'aucune règle ne couvre"),
    (r"(?P<id>\S+) already releases its cap of (?P<n>\d+) trainee\(s\) a month in (?P<months>\S+): a higher cap or "
     r"another month would serve this trainee$",
     lambda g: f"{g['id']} détache déjà son plafond de {g['n']} stagiaire(s) par mois ({_fr_months(g['months'])}) : "
               f"un plafond plus élevé ou un autre mois permettrait de servir ce stagiaire"),
    (r"provider (?P<p>\S+) already runs its (?P<n>\S+) session\(s\) a month in (?P<months>\S+): one more parallel "
     r"session would serve this trainee$",
     lambda g: f"l'organisme {g['p']} assure déjà ses {g['n']} session(s) par mois ({_fr_months(g['months'])}) : "
               f"une session en parallèle de plus servirait ce stagiaire"),
    (r"trainee (?P<t>.+)'s months (?P<months>\S+) are taken by another of their sessions: a wider window would "
     r"serve both$",
     lambda g: f"les mois du stagiaire {g['t']} ({_fr_months(g['months'])}) sont pris par une autre de ses "
               f"sessions : une fenêtre plus large permettrait de suivre les deux"),
]]


def translate_detail(text: str) -> tuple[str, bool]:
    """The French sentence for a solver's ``detail``, and whether a known pattern matched.

    An unknown sentence comes back unchanged (and ``False``): better English than a wrong
    translation.
    """
    for pattern, french in _DETAILS:
        match = pattern.match(text.strip())
        if match:
            try:
                return french(match), True
            except ValueError:  # a month or amount that does not parse: keep the original
                break
    return text, False
