"""Wall time of what a newcomer (or an AI client) waits for first: ``slotwise --help``, and an MCP
``initialize`` round trip over stdio (from starting ``slotwise mcp`` to its answer), run several
times each. Prints min / median / max in seconds; the target of issue 12 is under 0.5 s.

Usage: ``python bench/cli_startup_bench.py [--runs 7]`` (uses this checkout's ``src`` when
PYTHONPATH points at it; no server is needed: ``initialize`` does not call the API).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "bench", "version": "0"},
    },
}


def help_time(env: dict[str, str]) -> float:
    """Seconds for ``python -m slotwise --help`` to finish."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "slotwise", "--help"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - start


def initialize_time(env: dict[str, str]) -> float:
    """Seconds from starting ``python -m slotwise mcp`` to its ``initialize`` answer."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "slotwise", "mcp"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write((json.dumps(INITIALIZE) + "\n").encode())
    child.stdin.flush()
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    child.stdin.close()
    child.wait(timeout=10)
    answer = json.loads(line)
    if answer.get("id") != 1 or "result" not in answer:
        raise SystemExit(f"unexpected answer to initialize: {line!r}")
    return elapsed


def report(name: str, times: list[float]) -> None:
    """One line: min, median and max."""
    print(
        f"{name:<28} min {min(times):.3f}s  median {statistics.median(times):.3f}s  "
        f"max {max(times):.3f}s  ({len(times)} runs)"
    )


def main() -> None:
    """Run each measurement ``--runs`` times and print the results."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as config:
        env = {
            **os.environ,
            "XDG_CONFIG_HOME": config,
            "SLOTWISE_API_URL": "http://127.0.0.1:9",
            "SLOTWISE_API_KEY": "cal_live_bench",
        }
        help_time(env)  # warm the bytecode caches
        report("slotwise --help", [help_time(env) for _ in range(runs)])
        initialize_time(env)
        report("MCP initialize over stdio", [initialize_time(env) for _ in range(runs)])


if __name__ == "__main__":
    main()
