"""Benchmark: /health latency while two clients make the server fail with 500s.

A server process (`uvicorn` on a fresh SQLite app, logging as `slotwise serve` does) gets one
extra route that fails on purpose. First /health is timed alone (baseline); then two clients
hammer the failing route on keep-alive connections for ``--seconds`` while a third times
/health. Prints p50/p95 of both phases, how many 500s were answered, and how many requests
failed at the connection level (resets). Issue 10: before the fix, 10 such errors in 15 s
took /health from 1.2 ms to ~1.46 s median and reset the next request on the connection.

Run: python bench/error_burst.py [--seconds 10] [--health 200]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx2

FAIL_PATH = "/bench-only/fail"


def serve(port: int, data_dir: str) -> None:
    """The server process: the real app plus one route that raises."""
    import uvicorn
    from pydantic import SecretStr

    from slotwise.app import create_app, prepare_database
    from slotwise.config import Settings
    from slotwise.kit.middleware import configure_logging

    settings = Settings(
        database_url=f"sqlite:///{Path(data_dir) / 'bench.db'}",
        worker_in_process=False,
        secret_key=SecretStr("bench"),
        outbox_dir=Path(data_dir) / "outbox",
        rate_limit_per_minute=1_000_000,
    )
    prepare_database(settings)
    configure_logging(settings.log_level)
    app = create_app(settings)

    async def fail() -> None:
        raise RuntimeError("failing on purpose " + "x" * 60_000)

    app.add_api_route(FAIL_PATH, fail, methods=["GET"])
    app.router.routes.insert(0, app.router.routes.pop())
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="info", access_log=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return statistics.median(ordered), p95


def _time_health(base: str, count: int) -> list[float]:
    out = []
    with httpx2.Client(base_url=base, timeout=30) as c:
        for _ in range(count):
            t0 = time.perf_counter()
            c.get("/health").raise_for_status()
            out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    """Run the two phases and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--health", type=int, default=200)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.data_dir)
        return

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "server.log"
        with log_path.open("w") as log:
            proc = subprocess.Popen(
                [sys.executable, __file__, "--serve", str(port), "--data-dir", tmp],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    httpx2.get(base + "/health", timeout=1).raise_for_status()
                    break
                except httpx2.HTTPError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise SystemExit(
                            "the server did not start:\n" + log_path.read_text()
                        ) from None
                    time.sleep(0.1)
            _time_health(base, 20)  # warm-up
            baseline = _time_health(base, args.health)

            stop = threading.Event()
            counts = {"500": 0, "other": 0, "connection errors": 0}
            lock = threading.Lock()

            def hammer() -> None:
                with httpx2.Client(base_url=base, timeout=30) as c:
                    while not stop.is_set():
                        try:
                            status = c.get(FAIL_PATH).status_code
                            key = "500" if status == 500 else "other"
                        except httpx2.TransportError:
                            key = "connection errors"
                        with lock:
                            counts[key] += 1

            threads = [threading.Thread(target=hammer) for _ in range(2)]
            for t in threads:
                t.start()
            under_load: list[float] = []
            health_failures = 0
            ends = time.monotonic() + args.seconds
            with httpx2.Client(base_url=base, timeout=10) as c:
                while time.monotonic() < ends:
                    t0 = time.perf_counter()
                    try:
                        c.get("/health").raise_for_status()
                    except httpx2.HTTPError:
                        health_failures += 1
                        continue
                    under_load.append((time.perf_counter() - t0) * 1000)
                    time.sleep(0.01)
            stop.set()
            for t in threads:
                t.join()
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:  # still busy logging tracebacks
                proc.kill()
                proc.wait()
        log_lines = log_path.read_text().splitlines()

    b50, b95 = _percentiles(baseline)
    l50, l95 = _percentiles(under_load) if under_load else (float("nan"), float("nan"))
    print(f"/health alone          p50 {b50:.2f} ms  p95 {b95:.2f} ms  ({len(baseline)} requests)")
    print(
        f"/health during 500s    p50 {l50:.2f} ms  p95 {l95:.2f} ms  ({len(under_load)} requests"
        f", {health_failures} failed or timed out after 10 s)"
    )
    print(
        f"failing requests: {counts['500']} answered 500, {counts['other']} other status, "
        f"{counts['connection errors']} connection errors (resets)"
    )
    tracebacks = sum(1 for line in log_lines if line.startswith("Traceback"))
    print(f"server log: {len(log_lines)} lines, {tracebacks} tracebacks")


if __name__ == "__main__":
    main()
