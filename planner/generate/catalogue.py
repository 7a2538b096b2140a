"""The module catalogue shared by the generated scenarios, and how sectors pick modules.

Modelled on Fiche 6 of the seed guide: short professionalisation modules of 17 to 35 hours,
key-skills modules of 100 hours, qualifying courses whose length depends on the
qualification. Each module belongs to a *sector*; members declare the sectors of their
worksites, which makes their trainees ask for that sector's modules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planner.domain import Family

FAMILIES = tuple(Family)
TRANSVERSAL = "transversal"  # a sector every member's trainees may ask for

# Qualifying courses cost more per hour than the 14 EUR of the seed (certification, exam,
# individual follow-up) and open from fewer trainees (scenario assumptions, see READMEs).
QUALIFYING_RATE_EUR = 35.0
QUALIFYING_MIN_FILL = 5
QUALIFYING_MAX_SIZE = 10


@dataclass(frozen=True, slots=True)
class ModuleSpec:
    code: str
    title: str
    family: Family
    hours: int
    sector: str
    months: int = 1
    trade: str | None = None  # ROME code
    rate_eur_per_hour: float | None = None
    min_fill: int | None = None
    max_size: int | None = None
    rare: bool = False  # asked only by members working in its sector
    popularity: float = 1.0  # relative demand among modules of the same sector

    def row(self) -> dict[str, object]:
        """The module as a ``modules.csv`` row."""
        return {
            "module_code": self.code,
            "title": self.title,
            "family": self.family,
            "hours": self.hours,
            "months": self.months,
            "min_fill": self.min_fill,
            "max_size": self.max_size,
            "rate_eur_per_hour": self.rate_eur_per_hour,
            "trade": self.trade,
        }


def _short(
    code: str, title: str, hours: int, sector: str, trade: str | None = None, rare: bool = False
) -> ModuleSpec:
    return ModuleSpec(code, title, Family.SHORT, hours, sector, trade=trade, rare=rare)


def _key(code: str, title: str, months: int, popularity: float) -> ModuleSpec:
    return ModuleSpec(code, title, Family.KEY_SKILLS, 100, TRANSVERSAL, months=months, popularity=popularity)


def _qualifying(
    code: str, title: str, hours: int, months: int, sector: str, trade: str, rare: bool = False
) -> ModuleSpec:
    return ModuleSpec(
        code, title, Family.QUALIFYING, hours, sector, months=months, trade=trade,
        rate_eur_per_hour=QUALIFYING_RATE_EUR, min_fill=QUALIFYING_MIN_FILL,
        max_size=QUALIFYING_MAX_SIZE, rare=rare,
    )


MODULES: tuple[ModuleSpec, ...] = (
    _short("CACES-R489-1", "Chariots élévateurs : CACES R489 catégorie 1", 21, "logistique", "N1101"),
    _short("LOG-PREPA-COMMANDES", "Logistique : préparation de commandes et magasinage", 28, "logistique", "N1103"),
    _short("EV-ENTRETIEN", "Espaces verts : entretien des espaces et des végétaux", 28, "espaces_verts", "A1203"),
    _short("EV-TAILLE", "Espaces verts : taille des arbustes et des haies", 21, "espaces_verts", "A1203"),
    _short("EV-MATERIEL", "Espaces verts : débroussailleuse, tronçonneuse et sécurité", 17, "espaces_verts", "A1203"),
    _short("MARAICHAGE-BIO", "Maraîchage biologique : cultures, récolte et vente", 28, "maraichage", "A1414"),
    _short("REST-HYGIENE", "Restauration : hygiène alimentaire et méthode HACCP", 21, "restauration", "G1602"),
    _short("REST-SERVICE", "Restauration : service en salle et relation client", 28, "restauration", "G1803"),
    _short("CAISSE-ACCUEIL", "Tenue de caisse et accueil du client", 21, "commerce", "D1505"),
    _short("COMM-RELATION", "Communication professionnelle et relation client", 17, "commerce"),
    _short("BAT-PEINTURE", "Bâtiment second œuvre : peinture et revêtements", 35, "batiment", "F1606"),
    _short("BAT-PLATRERIE", "Bâtiment second œuvre : plâtrerie et isolation", 35, "batiment", "F1601"),
    _short("PROP-TECHNIQUES", "Propreté : techniques de nettoyage et produits", 28, "proprete", "K2204"),
    _short("PROP-MACHINES", "Propreté : autolaveuse et monobrosse", 17, "proprete", "K2204"),
    _short("SAP-DOMICILE", "Services à la personne : entretien du domicile et du linge", 28, "services_personne", "K1304"),
    _short("SECU-PREVENTION", "Santé et sécurité au travail : gestes, postures, prévention", 17, TRANSVERSAL),
    _short("TRI-REEMPLOI", "Recyclerie : tri, valorisation et réemploi", 21, "recyclage", "K2304"),
    _short("SOUDURE-ARC", "Soudure à l'arc : initiation", 35, "metallerie", "H2913", rare=True),
    _key("CCLES-LIRE", "Compétences clés : lire et écrire en situation de travail", 4, 2.0),
    _key("CCLES-CALC", "Compétences clés : calcul et raisonnement", 3, 1.0),
    _key("CCLES-FLE", "Compétences clés : français langue étrangère", 4, 1.5),
    _key("CCLES-NUM", "Compétences clés : premiers pas numériques", 3, 0.5),
    _qualifying("TP-AGENT-PROPRETE", "Titre pro. Agent de propreté et d'hygiène (parcours CARED)", 107, 3, "proprete", "K2204"),
    _qualifying("TP-ASSISTANT-VIE-FAMILLE", "Titre pro. Assistant de vie aux familles (CCP 1)", 196, 4, "services_personne", "K1302"),
    _qualifying("TP-OUVRIER-PAYSAGISTE", "Titre pro. Ouvrier du paysage (CCP entretien)", 175, 4, "espaces_verts", "A1203"),
    _qualifying("TP-AGENT-MAGASINIER", "Titre pro. Agent magasinier", 280, 5, "magasinage", "N1103", rare=True),
)
MODULE = {m.code: m for m in MODULES}
COMMON_SECTORS: tuple[str, ...] = tuple(
    dict.fromkeys(m.sector for m in MODULES if m.sector != TRANSVERSAL and not m.rare)
)
RARE_SECTORS: tuple[str, ...] = tuple(dict.fromkeys(m.sector for m in MODULES if m.rare))

# Module groups that providers run (a provider's offer in a territory is a union of groups).
GENERAL = ("COMM-RELATION", "CAISSE-ACCUEIL", "REST-HYGIENE", "REST-SERVICE", "SECU-PREVENTION")
CARE = ("SAP-DOMICILE", "PROP-TECHNIQUES", "PROP-MACHINES")
GREEN = ("EV-ENTRETIEN", "EV-TAILLE", "EV-MATERIEL", "MARAICHAGE-BIO")
BUILDING = ("BAT-PEINTURE", "BAT-PLATRERIE")
LOGISTICS = ("CACES-R489-1", "LOG-PREPA-COMMANDES")
KEY = ("CCLES-LIRE", "CCLES-CALC", "CCLES-FLE")
KEY_DIGITAL = ("CCLES-NUM",)

# How much more a trainee asks for a module of their worksite's sector than for another one.
OWN_SECTOR_WEIGHT = 12.0
OTHER_SECTOR_WEIGHT = 0.4
TRANSVERSAL_WEIGHT = 3.0


def family_modules(family: Family) -> tuple[ModuleSpec, ...]:
    return tuple(m for m in MODULES if m.family == family)


def module_weights(modules: Sequence[ModuleSpec], sectors: Sequence[str]) -> list[float]:
    """How likely a trainee of a member working in ``sectors`` asks for each module."""
    weights = []
    for m in modules:
        if m.sector == TRANSVERSAL:
            weight = TRANSVERSAL_WEIGHT
        elif m.sector in sectors:
            weight = OWN_SECTOR_WEIGHT
        elif m.rare:
            weight = 0.0
        else:
            weight = OTHER_SECTOR_WEIGHT
        weights.append(weight * m.popularity)
    return weights
