"""Charts of the documents, drawn by matplotlib and returned as inline SVG strings.

Figures are built with :class:`matplotlib.figure.Figure` (no pyplot, no global state; the SVG
is written by the Agg-family ``svg`` backend), text is turned into paths so that the SVG needs
no font, and no online resource (tiles, fonts) is ever fetched. Each SVG gets its own id prefix
so that several charts can live in one HTML page.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg", force=False)  # never an interactive backend, whoever imports us first

from matplotlib import rc_context  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from planner.reports import french  # noqa: E402

RC = {
    "svg.fonttype": "path",  # text as paths: the SVG needs no font
    "svg.hashsalt": "planner-reports",  # stable ids: the same plan gives the same file
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 9,
    "legend.fontsize": 7,
    "legend.frameon": False,
}
SERVED, REQUESTED = "#2b6cb0", "#cbd5e0"
LINE_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f",
                "#bcbd22")

_ID = re.compile(r'\bid="([^"]+)"')


def _svg(fig: Figure, prefix: str, title: str) -> str:
    """The figure as an SVG element for inline use: no XML prolog, ids prefixed, an accessible title."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)  # RDF boilerplate
    ids = set(_ID.findall(text))
    for old in sorted(ids, key=len, reverse=True):
        new = f"{prefix}-{old}"
        text = (text.replace(f'id="{old}"', f'id="{new}"').replace(f"url(#{old})", f"url(#{new})")
                .replace(f'xlink:href="#{old}"', f'xlink:href="#{new}"').replace(f'href="#{old}"', f'href="#{new}"'))
    label = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return text.replace("<svg ", f'<svg role="img" aria-label="{label}" class="chart" ', 1)


def _euros(value: float, _pos: object = None) -> str:
    return french.number(value, 0) + "\u00a0€"


def hours_by_family(rows: Sequence[dict[str, Any]], prefix: str = "hours") -> str:
    """Horizontal bars: trainee-hours served vs. requested, per family."""
    with rc_context(RC):
        fig = Figure(figsize=(6.3, 0.6 + 0.55 * max(1, len(rows))))
        ax = fig.add_subplot()
        labels = [r["label"] for r in rows][::-1]
        requested = [r["requested_value"] for r in rows][::-1]
        served = [r["served_value"] for r in rows][::-1]
        y = range(len(rows))
        ax.barh([i + 0.18 for i in y], requested, height=0.36, color=REQUESTED, label="demandées")
        ax.barh([i - 0.18 for i in y], served, height=0.36, color=SERVED, label="servies")
        ax.set_yticks(list(y), labels)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: french.number(v, 0)))
        ax.set_xlabel("heures-stagiaires")
        for i, (s, r) in enumerate(zip(served, requested)):
            ax.text(s, i - 0.18, " " + french.percent(s, r, 0), va="center", fontsize=7)
        ax.legend(loc="lower right")
        return _svg(fig, prefix, "Heures-stagiaires servies et demandées par famille")


def burn_down(months: Sequence[str], series: Sequence[dict[str, Any]], prefix: str = "burn") -> str:
    """Remaining envelope of each budget line at the end of each month (steps at sessions' start months).

    ``months``: x labels, the first one for "before any session"; ``series``: ``{"id", "values"
    (cents, one per label), "capped"}``; uncapped lines show their cumulative spending, dashed.
    """
    with rc_context(RC):
        fig = Figure(figsize=(6.8, 3.1))
        ax = fig.add_subplot()
        x = list(range(len(months)))
        for i, line in enumerate(series):
            colour = LINE_COLOURS[i % len(LINE_COLOURS)]
            values = [v / 100 for v in line["values"]]
            label = line["id"] if line["capped"] else f"{line['id']} (dépenses cumulées, sans enveloppe)"
            ax.step(x, values, where="post", color=colour, linestyle="-" if line["capped"] else "--",
                    marker="o", markersize=2.5, linewidth=1.4, label=label)
        ax.axhline(0, color="#444", linewidth=0.6)
        ax.set_xticks(x, list(months))
        ax.set_xlim(-0.3, max(0.7, len(months) - 0.7))
        ax.yaxis.set_major_formatter(FuncFormatter(_euros))
        ax.yaxis.set_major_locator(MaxNLocator(6))
        ax.set_ylabel("reste de l'enveloppe en fin de mois")
        ax.grid(axis="y", color="#ddd", linewidth=0.5)
        if series:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
        return _svg(fig, prefix, "Reste des enveloppes mois par mois")


def network_map(data: dict[str, Any], prefix: str = "map") -> str:
    """Members, venues and member → venue flows of trainees, from coordinates (no tiles).

    Equirectangular projection scaled by cos(latitude), so that distances look right at the
    scale of a département.
    """
    colours = {t["id"]: t["colour"] for t in data["territories"]}
    points = [(p["lat"], p["lon"]) for p in data["members"] + data["venues"]]
    with rc_context(RC):
        fig = Figure(figsize=(7.4, 6.8))
        ax = fig.add_subplot()
        if points:
            mean_lat = sum(p[0] for p in points) / len(points)
            ax.set_aspect(1 / max(0.1, math.cos(math.radians(mean_lat))))
        top = max((f["trainees"] for f in data["flows"]), default=1)
        for flow in data["flows"]:
            (lat1, lon1), (lat2, lon2) = flow["from"], flow["to"]
            ax.plot([lon1, lon2], [lat1, lat2], color=colours.get(flow["territory_id"], "#888"), alpha=0.35,
                    linewidth=0.4 + 2.2 * flow["trainees"] / top, zorder=1, solid_capstyle="round")
        for m in data["members"]:
            ax.scatter(m["lon"], m["lat"], s=14 + 3 * min(m["trainees"], 40),
                       color=colours.get(m["territory_id"], "#888"),
                       edgecolors="white", linewidths=0.5, zorder=3, alpha=0.9 if m["trainees"] else 0.45)
        labelled: set[str] = set()
        for v in sorted(data["venues"], key=lambda v: -v["sessions"]):
            ax.scatter(v["lon"], v["lat"], marker="s", s=30 + 12 * v["sessions"],
                       color=colours.get(v["territory_id"], "#888") if v["sessions"] else "white",
                       edgecolors="black", linewidths=0.9, zorder=4)
            if v["commune"] not in labelled:
                labelled.add(v["commune"])
                total = sum(x["sessions"] for x in data["venues"] if x["commune"] == v["commune"])
                ax.annotate(f"{v['commune']} ({total})", (v["lon"], v["lat"]), xytext=(5, 4),
                            textcoords="offset points", fontsize=6.5, zorder=5, color="#222")
        ax.set_xlabel("longitude (°E)")
        ax.set_ylabel("latitude (°N)")
        ax.tick_params(labelsize=6)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: french.number(v, 1)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: french.number(v, 1)))
        handles = [Line2D([], [], marker="o", linestyle="", color=t["colour"], label=t["name"], markersize=6)
                   for t in data["territories"]]
        handles += [
            Line2D([], [], marker="o", linestyle="", color="#999", markeredgecolor="white", markersize=5,
                   label="structure (taille : stagiaires en formation)"),
            Line2D([], [], marker="s", linestyle="", color="#999", markeredgecolor="black", markersize=6,
                   label="lieu de formation (taille : sessions)"),
            Line2D([], [], marker="s", linestyle="", color="white", markeredgecolor="black", markersize=6,
                   label="lieu sans session"),
            Line2D([], [], color="#888", linewidth=1.5, label="trajets structure → lieu (épaisseur : stagiaires)"),
        ]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2, fontsize=6.5)
        ax.set_title("Structures, lieux et sessions (nombre de sessions par commune entre parenthèses)")
        return _svg(fig, prefix, "Carte des structures, des lieux de formation et des sessions")
