"""Load benchmark of the partner API (a script, not a test).

Starts ``planner serve`` (uvicorn) in a subprocess on a free port with a fresh data directory,
creates a coordinator and a funder token, uploads ``scenarios/isere-2012`` and stores its plan (a
greedy solve through the API: seconds), then sends ``--clients`` concurrent clients (httpx
AsyncClient) at ``GET /v1/plans/{id}/budget`` for ``--duration`` seconds, once with the service
idle and once while a solve job of the same scenario runs in its worker process. Prints requests
per second, p50/p95/p99 latency and errors for both.

    .venv/bin/python benchmarks/bench_api.py [--clients 50] [--duration 20] [--solver lns]

The clients and the service share the machine: the load generator takes its share of the cores,
and the CPU each side used is printed (100 % = one core).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
ISERE = ROOT / "scenarios" / "isere-2012"
QUERIES = ("group_by=funder", "group_by=funder,territory", "group_by=funder,line,family",
           "group_by=territory,month&funder=region", "group_by=member_kind,family")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def token(data: Path, role: str) -> str:
    out = subprocess.run([sys.executable, "-m", "planner.cli", "token", "create", "--role", role, "--data-dir",
                          str(data)], check=True, capture_output=True, text=True, cwd=ROOT)
    return out.stdout.strip().splitlines()[-1]


def start_server(data: Path, port: int) -> subprocess.Popen:
    from api.launch import start_service

    return start_service(data, port, cwd=ROOT)


def wait_job(base: str, headers: dict, job_id: str, until: tuple[str, ...], timeout: float = 600) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = httpx.get(f"{base}/v1/solves/{job_id}", headers=headers).json()
        if job["status"] in until:
            return job
        time.sleep(0.2)
    raise SystemExit(f"job {job_id} did not reach {until}")


async def load(base: str, headers: dict, plan_id: str, clients: int, duration: float) -> dict:
    """``clients`` tasks, each with its own AsyncClient (one keep-alive connection), in a loop for ``duration`` s."""
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + duration

    async def worker(k: int) -> None:
        nonlocal errors
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as client:
            i = k
            while time.monotonic() < stop:
                query = QUERIES[i % len(QUERIES)]
                i += 1
                started = time.perf_counter()
                try:
                    response = await client.get(f"/v1/plans/{plan_id}/budget?{query}")
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - started)
                errors += not ok

    started = time.monotonic()
    await asyncio.gather(*(worker(k) for k in range(clients)))
    elapsed = time.monotonic() - started
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / elapsed,
            "p50": q[49] * 1000, "p95": q[94] * 1000, "p99": q[98] * 1000}


def _cpu(proc: psutil.Process) -> float:
    try:
        t = proc.cpu_times()
        return t.user + t.system
    except psutil.Error:
        return 0.0


def measured(server: subprocess.Popen, *args) -> dict:
    """:func:`load`, with the CPU the service, its solve workers and this load generator used meanwhile."""
    service, me = psutil.Process(server.pid), psutil.Process()
    workers = {p.pid: (p, _cpu(p)) for p in service.children(recursive=True)}
    before, started = (_cpu(service), _cpu(me)), time.monotonic()
    result = asyncio.run(load(*args))
    elapsed = time.monotonic() - started
    for p in service.children(recursive=True):
        workers.setdefault(p.pid, (p, 0.0))
    worker_cpu = sum(_cpu(p) - then for p, then in workers.values() if p.is_running())
    result["cpu"] = (100 * (_cpu(service) - before[0]) / elapsed, 100 * worker_cpu / elapsed,
                     100 * (_cpu(me) - before[1]) / elapsed)
    return result


def line(name: str, r: dict) -> str:
    service, workers, client = r["cpu"]
    return (f"| {name} | {r['requests']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} "
            f"| {r['errors']} | {service:.0f} % / {workers:.0f} % / {client:.0f} % |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--solver", default="lns", help="backend of the solve running during the second run")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        data = Path(tmp) / "data"
        coordinator = {"Authorization": f"Bearer {token(data, 'coordinator')}"}
        funder = {"Authorization": f"Bearer {token(data, 'funder:region')}"}
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(data, port)
        try:
            files = [("files", (f.name, f.read_bytes())) for f in sorted(ISERE.iterdir()) if f.is_file()]
            scenario = httpx.post(f"{base}/v1/scenarios", files=files, headers=coordinator, timeout=60).json()["id"]
            job = httpx.post(f"{base}/v1/solves", json={"scenario_id": scenario, "solver": "greedy"},
                             headers=coordinator).json()
            plan_id = wait_job(base, coordinator, job["id"], ("succeeded", "failed"))["plan_id"]
            httpx.get(f"{base}/v1/plans/{plan_id}/budget", headers=funder)  # loads the plan once
            print(f"isere-2012 plan {plan_id}; {args.clients} clients for {args.duration:g} s on "
                  f"/v1/plans/{{id}}/budget ({len(QUERIES)} groupings in turn), funder token; {os.cpu_count()} cores")
            idle = measured(server, base, funder, plan_id, args.clients, args.duration)

            time_limit = args.duration + 60
            solve = httpx.post(f"{base}/v1/solves", json={"scenario_id": scenario, "solver": args.solver,
                                                          "time_limit": time_limit}, headers=coordinator).json()
            wait_job(base, coordinator, solve["id"], ("running",))
            time.sleep(3)  # the worker is building its model
            busy = measured(server, base, funder, plan_id, args.clients, args.duration)
            progress = httpx.get(f"{base}/v1/solves/{solve['id']}", headers=coordinator).json()
            httpx.delete(f"{base}/v1/solves/{solve['id']}", headers=coordinator)
            stopped = wait_job(base, coordinator, solve["id"], ("stopped", "succeeded", "failed"))
        finally:
            server.terminate()
            server.wait(timeout=60)
    print("| run | requests | req/s | p50 ms | p95 ms | p99 ms | errors | CPU service / solve worker / clients |")
    print("|---|---|---|---|---|---|---|---|")
    print(line("idle service", idle))
    print(line(f"while a {args.solver} solve runs", busy))
    print(f"solve job during the second run: stage {progress['stage']!r}, best {progress['best_value']}, "
          f"bound {progress['bound']}, elapsed {progress['elapsed']:.0f} s; stopped -> {stopped['status']}, "
          f"plan {stopped['plan_id']}")


if __name__ == "__main__":
    main()
