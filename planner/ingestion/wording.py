"""The words of input problems, in English for the coordinator's command line and in French for
member structures (the survey merge, the API's member uploads).

Loader and cell parsers take one :class:`Wording`; the messages' meaning, columns and values are
the same in both languages, only the sentences differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


def _range(what: str, between: str, at_least: str, at_most: str, minimum: float | None, maximum: float | None,
           number: Callable[[float], str]) -> str:
    if minimum is not None and maximum is not None:
        return between.format(what=what, min=number(minimum), max=number(maximum))
    if minimum is not None:
        return at_least.format(what=what, min=number(minimum))
    if maximum is not None:
        return at_most.format(what=what, max=number(maximum))
    return what


def _french_number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


@dataclass(frozen=True)
class Wording:
    value_required: str
    non_empty: str
    not_whole: str
    whole_number: str
    not_number: str
    a_number: str
    above_zero: str
    not_finite: str
    too_large: str
    largest: str  # {expected}, {largest}
    out_of_range: str
    not_boolean: str
    true_or_false: str
    not_month: str
    month_format: str  # {detail}
    not_allowed: str
    one_of: str  # {values}
    unknown_id: str  # {what}, {value}
    known_id: str  # {what}
    listed_id: str  # {what}
    window_reversed: str  # {start}
    month_from: str  # {start}
    missing_column: str
    columns: str  # {columns}
    unknown_column: str
    column_twice: str
    too_many_cells: str  # {cells}, {header}
    cannot_read_csv: str  # {detail}
    unknown_encoding: str
    ambiguous_separator: str  # {separators}
    malformed_csv: str  # {detail}
    cannot_read: str  # {detail}
    csv_expected: str
    file_expected: str
    between: str
    at_least: str
    at_most: str
    things: dict[str, str]  # "member" -> how the language names the thing an id stands for
    french: bool = False

    def range(self, what: str, minimum: float | None, maximum: float | None) -> str:
        number = _french_number if self.french else (lambda v: f"{v:g}")
        return _range(what, self.between, self.at_least, self.at_most, minimum, maximum, number)

    def thing(self, what: str) -> str:
        return self.things.get(what, what)


ENGLISH = Wording(
    value_required="value is required", non_empty="a non-empty value",
    not_whole="not a whole number", whole_number="a whole number",
    not_number="not a number", a_number="a number", above_zero="a number above 0",
    not_finite="not a finite number", too_large="number too large", largest="{expected}, at most {largest}", out_of_range="out of range",
    not_boolean="not a boolean", true_or_false="true or false",
    not_month="not a valid month", month_format="YYYY-MM ({detail})",
    not_allowed="not an allowed value", one_of="one of {values}",
    unknown_id="{what} {value!r} unknown", known_id="a known {what} id", listed_id="a {what} id listed in the scenario",
    window_reversed="window ends before it starts ({start})", month_from="a month from {start} on",
    missing_column="required column is missing", columns="columns {columns}",
    unknown_column="unknown column", column_twice="column appears twice",
    too_many_cells="row has {cells} cells but the header has {header}",
    cannot_read_csv="cannot read the CSV file: {detail}",
    unknown_encoding=("neither UTF-8 nor Windows-1252 text: re-save it from the spreadsheet as "
                      "\"CSV UTF-8 (délimité par des virgules)\" or as .xlsx"),
    ambiguous_separator=("the header line splits into known columns with more than one separator ({separators}): "
                         "re-save it with one separator, or as .xlsx"), malformed_csv="malformed CSV: {detail}",
    cannot_read="cannot read the file: {detail}", csv_expected="a UTF-8 or Windows-1252 CSV file",
    file_expected="a valid .csv or .xlsx file",
    between="{what} between {min} and {max}", at_least="{what} ≥ {min}", at_most="{what} ≤ {max}",
    things={},
)

FRENCH = Wording(
    value_required="valeur obligatoire", non_empty="une valeur non vide",
    not_whole="pas un nombre entier", whole_number="un nombre entier",
    not_number="pas un nombre", a_number="un nombre", above_zero="un nombre supérieur à 0",
    not_finite="pas un nombre fini", too_large="nombre trop grand", largest="{expected}, au plus {largest}", out_of_range="hors des limites",
    not_boolean="ni oui ni non", true_or_false="oui ou non",
    not_month="pas un mois valide", month_format="un mois au format AAAA-MM, par exemple 2012-03",
    not_allowed="valeur non prévue", one_of="l’une des valeurs {values}",
    unknown_id="code de {what} inconnu : « {value} »", known_id="un code de {what} connu",
    listed_id="un code de {what} du scénario",
    window_reversed="la disponibilité finit avant de commencer ({start})", month_from="un mois à partir de {start}",
    missing_column="colonne obligatoire absente", columns="les colonnes {columns}",
    unknown_column="colonne inconnue", column_twice="colonne en double",
    too_many_cells="la ligne a {cells} cellules, l’en-tête {header}",
    cannot_read_csv="fichier CSV illisible : {detail}",
    unknown_encoding=("ni UTF-8 ni Windows-1252 : enregistrez-le depuis le tableur au format "
                      "« CSV UTF-8 (délimité par des virgules) » ou en .xlsx"),
    ambiguous_separator=("l’en-tête se lit en colonnes connues avec plusieurs séparateurs ({separators}) : "
                         "enregistrez-le avec un seul séparateur, ou en .xlsx"), malformed_csv="fichier CSV mal formé : {detail}",
    cannot_read="fichier illisible : {detail}", csv_expected="un fichier CSV en UTF-8 ou Windows-1252",
    file_expected="un fichier .csv ou .xlsx valide",
    between="{what} entre {min} et {max}", at_least="{what} d’au moins {min}", at_most="{what} d’au plus {max}",
    things={"member": "structure", "module": "module", "provider": "organisme", "venue": "lieu",
            "territory": "territoire", "OPCA funder": "OPCO"},
    french=True,
)
