"""Start `planner serve` in a child process and wait until it answers (benchmarks, tests)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx


def start_service(data_dir: Path, port: int, *, cwd: Path, env: dict[str, str] | None = None,
                  timeout: float = 30.0) -> subprocess.Popen:
    """`planner serve` on 127.0.0.1:``port``; RuntimeError if it does not answer in time."""
    proc = subprocess.Popen([sys.executable, "-m", "planner.cli", "serve", "--port", str(port), "--data-dir",
                             str(data_dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=env)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("planner serve did not start")
