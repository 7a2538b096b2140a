"""Solver benchmarks (not tests): each backend and greedy on the reference and generated scenarios.

Prints and writes reports/bench.md: served trainee-hours, public EUR, the LP bound of stage 1,
time to 5 % / 1 % gap of stage 1, final gap, proven or not, wall time and peak memory.

    python benchmarks/bench_solve.py [--time-limit 180] [--only isere-2012] [--solvers lns,highs,cpsat,greedy]
                                     [--seeds 3] [--out FILE] [--update]

With ``--seeds N`` each solver but greedy runs with seeds 0 … N-1 and its row is the run of median
served value, with the range over the seeds beside it: single runs of a time-limited search spread
by a percent or more, more than most changes one wants to compare.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner.domain import Stage  # noqa: E402
from planner.ingestion import load_scenario  # noqa: E402


def lp_bound(scenario) -> float:
    """Stage-1 bound of the LP relaxation (HiGHS, integrality dropped)."""
    import highspy

    from planner.model.build import build_model
    from planner.solvers.highs import HighsBackend

    bm = build_model(scenario)
    backend = HighsBackend(bm.lm)
    backend.h.changeColsIntegrality(bm.lm.num_vars, list(range(bm.lm.num_vars)),
                                    [highspy.HighsVarType.kContinuous] * bm.lm.num_vars)
    objective = bm.objectives[scenario.objective.stages[0]]
    run = backend.solve(objective.expr, objective.maximize, 120, None)
    return (run.objective or 0.0) / objective.divisor


def _run(scenario_path: str, solver: str, time_limit: float, seed: int, out: mp.Queue) -> None:
    """One benchmark run in its own process, so peak memory is its own."""
    import os

    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # solver banners
    from planner.plans.kpis import stage_values
    from planner.plans.writer import plan_document, plan_tables

    scenario = load_scenario(scenario_path)
    started = time.monotonic()
    first = scenario.objective.stages[0]
    marks: dict[str, float | None] = {"5%": None, "1%": None}
    state = {"stage": first.value}

    def on_stage(stage, value, bound, elapsed):
        state["stage"] = stage

    def on_incumbent(value, bound, _elapsed):
        if state["stage"] != first.value or value is None or bound is None:
            return
        gap = abs(bound - value) / max(abs(value), 1e-9)
        now = time.monotonic() - started
        for label, limit in (("5%", 0.05), ("1%", 0.01)):
            if gap <= limit and marks[label] is None:
                marks[label] = now

    if solver == "greedy":
        from planner.heuristics.greedy import solve_greedy

        plan = solve_greedy(scenario)
    else:
        from planner.solvers import solve

        plan = solve(scenario, solver=solver, time_limit=time_limit, seed=seed, progress=on_stage,
                     stage_progress=on_incumbent, explain_time_limit=0)
    wall = time.monotonic() - started
    doc = plan_document(scenario, plan, plan_tables(scenario, plan)) if plan.stages else {"kpis": {}}
    stage1 = plan.stages[0] if plan.stages else None
    if stage1 is not None and stage1.proven:
        for label in marks:
            marks[label] = marks[label] or (plan.solve_seconds if solver != "greedy" else None)
    values = stage_values(scenario, plan) if plan.stages else {}
    out.put({
        "status": plan.status.value,
        "served": values.get(Stage.SERVED),
        "hours": sum(doc["kpis"].get("trainee_hours_by_family", {}).values()),
        "public_eur": doc["kpis"].get("public_eur"),
        "bound": stage1.bound if stage1 else None,
        "gap": stage1.gap if stage1 else None,
        "proven": all(s.proven for s in plan.stages) if plan.stages else False,
        "stage1_proven": bool(stage1 and stage1.proven),
        "t5": marks["5%"], "t1": marks["1%"], "wall": wall,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    })


def run_one(scenario_path: str, solver: str, time_limit: float, seed: int = 0) -> dict:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_run, args=(scenario_path, solver, time_limit, seed, q))
    p.start()
    try:
        result = q.get(timeout=time_limit * 1.5 + 120)
    except Exception as exc:  # noqa: BLE001 - a benchmark row says what went wrong
        result = {"status": f"failed: {type(exc).__name__}"}
    p.join(timeout=10)
    if p.is_alive():
        p.kill()
    return result


def fmt(value, spec: str = ",.1f") -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float | int):
        return format(value, spec)
    return str(value)


def median_run(runs: list[dict]) -> tuple[dict, str]:
    """The run of median served value (the lower median for an even count) and the range of
    served values over all runs ("–" for one run)."""
    served = sorted((r for r in runs if r.get("served") is not None), key=lambda r: r["served"])
    if not served:
        return runs[0], "–"
    middle = served[(len(served) - 1) // 2]
    if len(runs) == 1:
        return middle, "–"
    spread = f"{fmt(served[0]['served'], ',.0f')}–{fmt(served[-1]['served'], ',.0f')}"
    failed = len(runs) - len(served)
    return middle, spread + (f" ({failed} failed)" if failed else "")


def _row_key(line: str) -> tuple[str, str] | None:
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    return (cells[0], cells[2]) if line.startswith("| ") and len(cells) > 3 and cells[0] != "scenario" else None


def updated_table(old: list[str], new: list[str], solvers: str) -> list[str]:
    """The old table with the rows of ``new`` in place of the same (scenario, solver) rows; the
    header says which rows were re-run when."""
    fresh = {_row_key(line): line for line in new if _row_key(line)}
    lines = [fresh.pop(_row_key(line), line) if _row_key(line) else line for line in old]
    lines.extend(fresh.values())  # rows the old table did not have
    stamp = f"Rows of {solvers} re-run on {time.strftime('%Y-%m-%d %H:%M')} (`--update`); the others are older."
    lines = [line for line in lines if not line.startswith("Rows of ")]
    return lines[:3] + [stamp] + lines[3:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--time-limit", type=float, default=180.0)
    parser.add_argument("--solvers", default="lns,highs,cpsat,greedy")
    parser.add_argument("--only", default="")
    parser.add_argument("--seeds", type=int, default=1,
                        help="runs per solver (seeds 0 … N-1; greedy runs once): the row is the median run")
    parser.add_argument("--out", default=str(ROOT / "reports" / "bench.md"), help="where the Markdown table goes")
    parser.add_argument("--update", action="store_true",
                        help="replace only the rows run now in the existing table, keep the others")
    args = parser.parse_args()
    from planner.generate.synthetic import generate_scenario

    tmp = Path(tempfile.mkdtemp(prefix="planner-bench-"))
    scenarios = {
        "isere-2012": ROOT / "scenarios" / "isere-2012",
        "isere-2012-rural6": ROOT / "scenarios" / "isere-2012-rural6",
        "generated-1dep": generate_scenario(tmp / "gen1", departments=1, members_per_department=45, seed=1),
        "generated-4dep": generate_scenario(tmp / "gen4", departments=4, members_per_department=45, seed=1),
    }
    if args.only:
        scenarios = {k: v for k, v in scenarios.items() if k in args.only.split(",")}
    lines = [
        "# Solver benchmarks",
        "",
        f"Machine: {mp.cpu_count()} cores; time limit {args.time_limit:.0f} s for the optimisation (model, greedy start, all stages); "
        f"figures from `python benchmarks/bench_solve.py` ({time.strftime('%Y-%m-%d %H:%M')}).",
        "",
        "| scenario | requests | solver | status | served (weighted) | served over seeds | stage-1 bound | LP bound | "
        "final gap | t 5 % | t 1 % | trainee-hours | public EUR | proven (all stages) | wall s | peak MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, path in scenarios.items():
        scenario = load_scenario(path)
        bound = lp_bound(scenario)
        for solver in args.solvers.split(","):
            seeds = 1 if solver == "greedy" else max(1, args.seeds)
            r, spread = median_run([run_one(str(path), solver, args.time_limit, seed) for seed in range(seeds)])
            row = (f"| {name} | {len(scenario.requests)} | {solver} | {r.get('status')} | {fmt(r.get('served'))} | "
                   f"{spread} | {fmt(r.get('bound'))} | {fmt(bound)} | {fmt(r.get('gap'), '.3%')} | {fmt(r.get('t5'))} | "
                   f"{fmt(r.get('t1'))} | {fmt(r.get('hours'), ',.0f')} | {fmt(r.get('public_eur'), ',.0f')} | "
                   f"{fmt(r.get('proven'))} | {fmt(r.get('wall'))} | {fmt(r.get('rss_mb'), ',.0f')} |")
            print(row, flush=True)
            lines.append(row)
    report = Path(args.out)
    report.parent.mkdir(exist_ok=True)
    if args.update and report.exists():
        lines = updated_table(report.read_text(encoding="utf-8").splitlines(), lines, args.solvers)
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"\nwritten to {report}")


if __name__ == "__main__":
    main()
