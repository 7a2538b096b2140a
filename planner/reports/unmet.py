"""The French sentence of an unmet request: what blocks it and what would unlock it.

Built from the row's structured data (reason code, capacity ``cause``, member, trainee and module
ids) and the scenario's facts about them, never from the solver's English ``detail``: members
and funders read it, and the English wording may change without the documents knowing.
"""

from __future__ import annotations

from planner.domain import Member, Module, Request, Scenario
from planner.plans.tables import UnmetRow
from planner.reports import french


def unmet_sentence(scenario: Scenario, row: UnmetRow) -> str:
    member = scenario.member.get(row.member_id)
    module = scenario.module.get(row.module_code)
    request = scenario.request_by_key.get(row.request_key)
    who = member.name if member else row.member_id
    code = row.module_code
    if row.reason == "no_offer":
        return f"Aucun organisme ne propose {code} sur les territoires du plan : une offre de formation l'ouvrirait"
    if row.reason == "out_of_reach":
        return _out_of_reach(scenario, member, request, code)
    if row.reason == "window":
        return _window(module, request, code)
    if row.reason == "below_min_fill":
        return (f"Trop peu de stagiaires à portée pour ouvrir une session {french.de(code)} dans la période "
                f"demandée : d'autres inscrits à proximité, ou des places externes, permettraient d'atteindre "
                f"l'effectif minimum")
    if row.reason == "budget":
        return ("Les enveloppes des financeurs qui prennent en charge ce module sont épuisées : une enveloppe "
                "plus grande financerait ce stagiaire")
    if row.reason == "own_funds":
        if member and member.own_funds_cents:
            return (f"Les fonds propres prévus {french.de(who)} ({french.eur_cents(member.own_funds_cents)}) "
                    f"sont épuisés : davantage de fonds propres financeraient la part de ce stagiaire")
        return (f"{who} n'a pas prévu de fonds propres : des fonds propres financeraient la part de ce stagiaire "
                f"qu'aucun financeur ne prend en charge")
    if row.reason == "conflict":
        window = f" (disponible {_span(request)})" if request else ""
        return (f"Le stagiaire {row.trainee_ref} suit déjà une autre formation les mois où ce module pouvait "
                f"avoir lieu{window} : une période plus large permettrait de suivre les deux")
    if row.reason == "capacity":
        return _capacity(scenario, member, who, code, row.cause)
    return french.reason_label(row.reason, row.cause)


def _out_of_reach(scenario: Scenario, member: Member | None, request: Request | None, code: str) -> str:
    if member is None or request is None:
        return f"Aucun lieu proposant {code} n'est à portée de trajet : un lieu plus proche l'ouvrirait"
    limit = scenario.max_travel_min(request)
    return (f"Aucun lieu proposant {code} n'est à moins de {limit} min de trajet {french.de(member.commune)} : "
            f"un lieu plus proche, ou une limite de trajet plus longue, l'ouvrirait")


def _window(module: Module | None, request: Request | None, code: str) -> str:
    if module is None or request is None:
        return f"La période de disponibilité est trop courte pour {code} : une période plus large l'ouvrirait"
    return (f"{code} dure {module.months} mois : aucun début autorisé n'y tient entre "
            f"{french.month_label(request.available_from)} et {french.month_label(request.available_to)} ; "
            f"une période de disponibilité plus large l'ouvrirait")


def _span(request: Request) -> str:
    """« en mars 2012 », « de février à décembre 2012 »."""
    first, last = request.available_from, request.available_to
    return f"en {french.month_label(first)}" if first == last else french.de(french.month_span(first, last))


def _capacity(scenario: Scenario, member: Member | None, who: str, code: str, cause: str) -> str:
    if cause == "release_cap":
        cap = f" ({french.plural(member.release_cap, 'stagiaire')} en formation par mois)" \
            if member and member.release_cap else ""
        return (f"Plafond de détachement {french.de(who)} atteint ces mois-là{cap} : un plafond plus élevé, ou "
                f"un autre mois, permettrait de servir ce stagiaire")
    if cause == "max_size":
        size = f" ({french.plural(scenario.max_size(code), 'place')})" if code in scenario.module else ""
        return (f"Les sessions {french.de(code)} à portée sont complètes{size} : une session de plus permettrait de "
                f"servir ce stagiaire")
    if cause == "provider_parallel":
        return ("L'organisme de formation a déjà le nombre maximal de sessions en parallèle ces mois-là : une "
                "session de plus en parallèle, ou un autre mois, permettrait de servir ce stagiaire")
    if cause == "venue_day":
        return ("Le lieu de formation est déjà occupé ces jours-là (une session par jour) : un autre lieu, ou "
                "un autre mois, permettrait de servir ce stagiaire")
    return ("Capacité atteinte (sessions complètes, lieu ou organisme déjà occupés, ou plafond de détachement de "
            "la structure) : une session de plus, ou un autre mois, permettrait de servir ce stagiaire")
