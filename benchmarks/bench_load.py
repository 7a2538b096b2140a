"""Time loading and validating scenarios: ``read_scenario`` then ``diagnostics.unservable``.

A script, not a test::

    .venv/bin/python benchmarks/bench_load.py                  # isere-2012 (if present) + 100 départements
    .venv/bin/python benchmarks/bench_load.py --departments 10 # a smaller synthetic one
    .venv/bin/python benchmarks/bench_load.py --profile        # cProfile of the load, top functions

Figures: files and data rows of the scenario, seconds to generate / load / diagnose, and the peak
of Python allocations during load + diagnostics (tracemalloc, measured in a second, slower pass so
that it does not distort the timings), plus the process's peak resident set size at the end.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import gc
import io
import pstats
import resource
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.explain import diagnostics  # noqa: E402
from planner.ingestion import read_scenario  # noqa: E402

SLOW_LOAD_S = 30.0


@dataclass
class Figures:
    name: str
    files: int = 0
    rows: int = 0
    requests: int = 0
    generate_s: float | None = None
    load_s: float | None = None
    diagnostics_s: float | None = None
    peak_mib: float | None = None
    warnings: int | None = None
    note: str = ""
    table_rows: dict[str, int] = field(default_factory=dict)


def count_rows(folder: Path) -> tuple[int, dict[str, int]]:
    """Data files of a scenario folder and their data rows (header excluded)."""
    per_file: dict[str, int] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() == ".csv":
            with path.open(newline="", encoding="utf-8-sig") as fh:
                per_file[path.name] = max(0, sum(1 for _ in csv.reader(fh)) - 1)
        elif path.suffix.lower() == ".xlsx":
            import openpyxl

            wb = openpyxl.load_workbook(path, read_only=True)
            per_file[path.name] = max(0, (wb.worksheets[0].max_row or 1) - 1)
            wb.close()
        elif path.suffix.lower() == ".toml":
            per_file[path.name] = 0
    return len(per_file), per_file


def load_and_diagnose(folder: Path) -> tuple[object, list, list, float, float]:
    t0 = time.perf_counter()
    scenario, problems = read_scenario(folder)
    t1 = time.perf_counter()
    groups = diagnostics.unservable(scenario) if scenario is not None else []
    t2 = time.perf_counter()
    return scenario, problems, groups, t1 - t0, t2 - t1


def measure(name: str, folder: Path, *, memory: bool, profile: bool, generate_s: float | None = None) -> Figures:
    fig = Figures(name, generate_s=generate_s)
    fig.files, fig.table_rows = count_rows(folder)
    fig.rows = sum(fig.table_rows.values())
    gc.collect()
    scenario, problems, groups, fig.load_s, fig.diagnostics_s = load_and_diagnose(folder)
    if problems:
        fig.note = f"{len(problems)} problem(s), first: {problems[0]}"
        fig.diagnostics_s = None
    else:
        fig.requests = len(scenario.requests)  # type: ignore[attr-defined]
        fig.warnings = sum(g.count for g in groups)
    del scenario, groups
    if memory:
        gc.collect()
        tracemalloc.start()
        load_and_diagnose(folder)
        fig.peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    if profile or (fig.load_s or 0) > SLOW_LOAD_S:
        print(f"\n--- profile of read_scenario({name}) ---")
        print(profile_load(folder))
    return fig


def profile_load(folder: Path, top: int = 25) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    scenario, _ = read_scenario(folder)
    if scenario is not None:
        diagnostics.unservable(scenario)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(top)
    out.write("\n--- by own time ---\n")
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def generate(out: Path, departments: int, members_per_department: int, seed: int) -> tuple[Path | None, float, str]:
    try:
        from planner.generate.synthetic import generate_scenario
    except ImportError as exc:
        return None, 0.0, f"skipped: planner.generate.synthetic is not available ({exc})"
    t0 = time.perf_counter()
    path = generate_scenario(out, departments=departments, members_per_department=members_per_department, seed=seed)
    return Path(path or out), time.perf_counter() - t0, ""


def fmt(value: float | None, spec: str = ".2f") -> str:
    return "-" if value is None else format(value, spec)


def print_table(figures: list[Figures]) -> None:
    header = ["scenario", "files", "rows", "requests", "generate s", "load s", "diagnostics s", "peak MiB", "warnings"]
    body = [
        [f.name, str(f.files), f"{f.rows:,}", f"{f.requests:,}", fmt(f.generate_s), fmt(f.load_s), fmt(f.diagnostics_s),
         fmt(f.peak_mib, ".1f"), "-" if f.warnings is None else f"{f.warnings:,}"]
        for f in figures
    ]
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    line = "  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths)))
    print(line)
    print("-" * len(line))
    for r in body:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
    for f in figures:
        if f.note:
            print(f"note ({f.name}): {f.note}")
        if f.table_rows:
            print(f"rows ({f.name}): " + ", ".join(f"{k} {v:,}" for k, v in f.table_rows.items() if v))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_mib = rss / 2**20 if sys.platform == "darwin" else rss / 1024
    print(f"process peak RSS: {rss_mib:,.0f} MiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", type=int, default=100)
    parser.add_argument("--members-per-department", type=int, default=45)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scenario", type=Path, action="append", default=[],
                        help="extra scenario folder to measure (repeatable)")
    parser.add_argument("--no-synthetic", action="store_true", help="do not generate the synthetic scenario")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of each load")
    parser.add_argument("--keep", type=Path, help="write the synthetic scenario here instead of a temp dir")
    args = parser.parse_args(argv)

    figures: list[Figures] = []
    folders = [ROOT / "scenarios" / "isere-2012", *args.scenario]
    for folder in folders:
        if (folder / "scenario.toml").exists():
            figures.append(measure(folder.name, folder, memory=not args.no_memory, profile=args.profile))
        else:
            print(f"note: {folder} not present, skipped")

    if not args.no_synthetic:
        with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
            out = args.keep or Path(tmp) / f"synthetic-{args.departments}"
            name = f"synthetic {args.departments}×{args.members_per_department}"
            path, seconds, note = generate(out, args.departments, args.members_per_department, args.seed)
            if path is None:
                print(f"note: {name} {note}")
            else:
                figures.append(measure(name, path, memory=not args.no_memory, profile=args.profile, generate_s=seconds))

    if figures:
        print()
        print_table(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
