"""The layers of the tree: every import points inward, and the library never imports the service.

A package may import from its own package and from packages of a lower rank only. The rank table is
the architecture as README "Architecture" draws it; a new package must be placed in it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# planner: the domain innermost, the command line outermost
PLANNER_RANKS = {
    "domain": 0,
    "rules": 1, "plans": 1,
    "ingestion": 2, "model": 2, "checker": 2, "generate": 2,
    "explain": 3,
    "heuristics": 4,
    "solvers": 5,
    "pipeline": 6, "survey": 6, "reports": 6,
    "exports": 7,
    "cli": 8,
}
# api: shapes and core below the services, the routers above them, the app and its commands outermost
API_RANKS = {"schemas": 0, "core": 1, "services": 2, "routers": 3, "main": 4, "migrations": 4, "launch": 5, "cli": 5}  # cli and launch start the app
# the checker is independent of what it checks: it shares only the loading of the scenario
CHECKER_MAY_IMPORT = {"domain", "ingestion", "checker"}


def imports(path: Path) -> set[str]:
    """The absolute module names a file imports, at any depth (imports inside functions count)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def part(module: str, top: str) -> str | None:
    """The package of ``top`` a module name belongs to (``planner.model.build`` → ``model``)."""
    pieces = module.split(".")
    return pieces[1] if pieces[0] == top and len(pieces) > 1 else None


def files(top: str) -> list[Path]:
    return sorted(p for p in (ROOT / top).rglob("*.py") if p.parent != ROOT / top or p.stem != "__init__")


def owner(path: Path, top: str) -> str:
    relative = path.relative_to(ROOT / top)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


@pytest.mark.parametrize("top,ranks", [("planner", PLANNER_RANKS), ("api", API_RANKS)])
def test_every_package_has_a_rank(top, ranks):
    packages = {owner(p, top) for p in files(top)}
    assert packages <= set(ranks), sorted(packages - set(ranks))


@pytest.mark.parametrize("top,ranks", [("planner", PLANNER_RANKS), ("api", API_RANKS)])
def test_imports_point_inward(top, ranks):
    outward = []
    for path in files(top):
        mine = owner(path, top)
        for module in imports(path):
            theirs = part(module, top)
            if theirs and theirs != mine and ranks.get(theirs, 99) >= ranks[mine]:
                outward.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not outward, "\n".join(outward)


def test_the_library_never_imports_the_service():
    offending = [f"{p.relative_to(ROOT)} imports {m}" for p in (ROOT / "planner").rglob("*.py")
                 for m in imports(p) if m == "api" or m.startswith("api.")]
    assert not offending, "\n".join(offending)


def test_the_checker_shares_only_the_scenario_loading():
    offending = [f"{p.name} imports {m}" for p in (ROOT / "planner" / "checker").glob("*.py")
                 for m in imports(p) if part(m, "planner") not in (None, *CHECKER_MAY_IMPORT)]
    assert not offending, "\n".join(offending)
