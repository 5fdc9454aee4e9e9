"""The pieces the fleet bench starts and breaks: a throwaway PostgreSQL database (on the local
server, or in a throwaway cluster of its own made with ``initdb``), a throwaway ``redis-server``,
and the fleet itself (``slotwise serve --workers N`` plus M ``slotwise worker`` processes).

Nothing here touches the machine's own PostgreSQL cluster beyond creating and dropping one
database named ``slotwise_fleet_<random>`` in it.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Mapping
from pathlib import Path

import psycopg
from tests.subprocesses import Child, free_port, start

LOCAL_PG = os.environ.get("SLOTWISE_TEST_PG", "postgresql://postgres@127.0.0.1:5432")


class Database:
    """A throwaway database named ``slotwise_fleet_<random>`` on the server at ``admin``."""

    def __init__(self, admin: str = LOCAL_PG) -> None:
        self.admin = admin
        self.name = f"slotwise_fleet_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(f"{admin}/postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')

    @property
    def url(self) -> str:
        """The database's URL."""
        return f"{self.admin}/{self.name}"

    def drop(self) -> None:
        """Drop the database (whoever is still connected is disconnected)."""
        with psycopg.connect(f"{self.admin}/postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise RuntimeError(f"{name} not found (install PostgreSQL's server binaries)")


class Cluster:
    """A throwaway PostgreSQL cluster: ``initdb`` into a temporary directory and ``pg_ctl`` on a
    free port of 127.0.0.1, run as the ``postgres`` OS user when this process is root (initdb
    refuses root). :meth:`restart` stops it (``fast``: open connections are cut) and starts it
    again on the same port and data; :meth:`destroy` stops it and removes the directory."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="slotwise-pg-"))
        self.data = self.dir / "data"
        self._user: str | None = None
        if os.geteuid() == 0:
            self._user = "postgres"
            entry = pwd.getpwnam(self._user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        self._run(_pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "--no-sync", "-E", "UTF8")  # fmt: skip
        self.start()

    def _run(self, *args: str) -> None:
        command = list(args)
        if self._user is not None:
            command = ["runuser", "-u", self._user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stdout}{done.stderr}")

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir}"
            " -c max_connections=200"
        )
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"),
                  "-o", options, "-w", "-t", "60", "start")  # fmt: skip

    def stop(self) -> None:
        """Stop the server (``fast``: connections are cut, no new ones accepted)."""
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def restart(self) -> float:
        """Stop and start the server; returns how long it was down, in seconds."""
        began = time.monotonic()
        self.stop()
        self.start()
        return time.monotonic() - began

    @property
    def admin(self) -> str:
        """``postgresql://postgres@127.0.0.1:<port>`` (add ``/dbname``)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}"

    def destroy(self) -> None:
        """Stop the server and remove its directory."""
        with contextlib.suppress(RuntimeError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class Redis:
    """A throwaway ``redis-server`` on a free port, without persistence."""

    def __init__(self) -> None:
        self.port = free_port()
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server not found")
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while True:
            try:
                import socket

                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:<port>/0``."""
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        """Stop the server (SIGTERM, SIGKILL after 10 s)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time used so far by ``pids`` (Linux /proc), in seconds."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


class Fleet:
    """``slotwise serve --workers <api>`` on one port and ``workers`` ``slotwise worker``
    processes, all with ``env``; logs go to ``logs``."""

    def __init__(self, env: Mapping[str, str], logs: Path, *, api: int = 2, workers: int = 2):
        self.env = dict(env)
        self.logs = logs
        self.port = free_port()
        self.api_processes = api
        self.serve = start(
            ["serve", "--workers", str(api), "--port", str(self.port), "--no-access-log"],
            self.env, log=logs / "serve.log",
        )  # fmt: skip
        self.workers: list[Child] = []
        self._worker_logs = 0
        for _ in range(workers):
            self.add_worker()
        self.serve.wait_http(f"{self.base_url}/health/ready", timeout=120)
        self.serve.wait_output(
            "(?s)" + ".*".join(["Application startup complete"] * api), timeout=120
        )

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.port}"

    def add_worker(self) -> Child:
        """Start one more ``slotwise worker``."""
        self._worker_logs += 1
        child = start(["worker"], self.env, log=self.logs / f"worker-{self._worker_logs}.log")
        self.workers.append(child)
        return child

    def api_pids(self) -> list[int]:
        """The API server processes (children of uvicorn's manager that run a server)."""
        found = []
        for pid in children(self.serve.pid):
            try:
                if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    found.append(pid)
            except OSError:
                continue
        return found

    def cpu_seconds(self) -> tuple[float, float]:
        """CPU seconds used so far by the API processes and by the workers."""
        workers = [w.pid for w in self.workers if w.returncode is None]
        return cpu_seconds(self.api_pids()), cpu_seconds(workers)

    def kill_api_process(self) -> int:
        """SIGKILL one API server process (uvicorn's manager starts a replacement)."""
        pid = self.api_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def stop(self) -> None:
        """SIGTERM everything and wait."""
        for child in self.workers:
            child.stop(signal.SIGTERM, timeout=30)
        self.serve.stop(signal.SIGTERM, timeout=40)
