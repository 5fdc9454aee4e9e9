"""Servers and workers started by tests as child processes, failing fast when the child dies.

Every test that starts ``slotwise serve``, ``slotwise worker`` or ``slotwise mcp --http`` goes
through :func:`start`: the child's stdout and stderr go to a file (never a pipe nobody reads,
which would block a chatty child), and every wait below polls the child's exit code, so a child
that dies at start (import error, bad settings, port taken) fails the test at once with the
child's output instead of after a minute-long timeout.

>>> child = start(["serve", "--port", "8123"], env)       # doctest: +SKIP
>>> child.wait_http("http://127.0.0.1:8123/health")       # doctest: +SKIP
>>> await child.until(receiver.wait_for(1, timeout=60))   # doctest: +SKIP
>>> output = child.stop()                                 # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, TypeVar

import httpx2

T = TypeVar("T")
POLL_SECONDS = 0.1


class ChildDied(AssertionError):
    """The child exited while a test waited for it; the message carries its output."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Child:
    """A running child process whose output is captured to a file."""

    def __init__(self, args: Sequence[str], env: Mapping[str, str], log: Path | None) -> None:
        self.args = list(args)
        self._own_log = log is None  # a temporary file, removed by stop()
        self._final: str | None = None
        if log is None:
            handle, name = tempfile.mkstemp(prefix="slotwise-child-", suffix=".log")
            os.close(handle)
            log = Path(name)
        self.log = log
        self._out: IO[bytes] = log.open("wb")
        self.proc = subprocess.Popen(
            self.args, env=dict(env), stdout=self._out, stderr=subprocess.STDOUT
        )

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self.proc.pid

    @property
    def returncode(self) -> int | None:
        """The exit code once it has exited (negative: killed by that signal), else None."""
        return self.proc.poll()

    def output(self) -> str:
        """Everything the child printed so far (stdout and stderr together)."""
        if self._final is not None:
            return self._final
        self._out.flush()
        return self.log.read_text(errors="replace")

    def check_alive(self, waiting_for: str) -> None:
        """Raise :class:`ChildDied` with the child's output when it has exited."""
        code = self.proc.poll()
        if code is not None:
            raise ChildDied(
                f"{' '.join(self.args[2:] or self.args)} exited with code {code} while the test "
                f"waited for {waiting_for}; its output:\n{self.output()}"
            )

    def _timed_out(self, waiting_for: str, timeout: float) -> AssertionError:
        self.kill()
        return AssertionError(
            f"{waiting_for} not seen within {timeout:g} s; the child's output:\n{self.output()}"
        )

    def wait_http(
        self,
        url: str,
        *,
        timeout: float = 60,
        ready: Callable[[httpx2.Response], bool] = lambda r: r.status_code == 200,
    ) -> None:
        """Wait until GET ``url`` answers and ``ready`` accepts the answer (default: 200)."""
        deadline = time.monotonic() + timeout
        while True:
            self.check_alive(f"GET {url}")
            try:
                if ready(httpx2.get(url, timeout=1)):
                    return
            except httpx2.TransportError:
                pass
            if time.monotonic() > deadline:
                raise self._timed_out(f"GET {url}", timeout)
            time.sleep(POLL_SECONDS)

    def wait_output(self, pattern: str, *, timeout: float = 60) -> re.Match[str]:
        """Wait until the child's output matches the regular expression ``pattern``."""
        deadline = time.monotonic() + timeout
        while True:
            found = re.search(pattern, self.output())
            if found:
                return found
            self.check_alive(f"output matching {pattern!r}")
            if time.monotonic() > deadline:
                raise self._timed_out(f"output matching {pattern!r}", timeout)
            time.sleep(POLL_SECONDS)

    async def until(self, awaitable: Awaitable[T], *, waiting_for: str = "") -> T:
        """Await ``awaitable`` (which has its own timeout) while the child lives; if the child
        exits first, cancel it and raise :class:`ChildDied` with the child's output."""
        task = asyncio.ensure_future(awaitable)
        try:
            while True:
                done, _ = await asyncio.wait({task}, timeout=POLL_SECONDS)
                if done:
                    return task.result()
                self.check_alive(waiting_for or repr(awaitable))
        except BaseException:
            task.cancel()
            raise

    def stop(self, sig: int = signal.SIGTERM, *, timeout: float = 20) -> str:
        """Send ``sig`` (SIGTERM: a clean shutdown), wait (SIGKILL after ``timeout``), and
        return the child's output."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._final is None:
            self._out.close()
            self._final = self.log.read_text(errors="replace")
            if self._own_log:
                self.log.unlink(missing_ok=True)
        return self._final

    def kill(self) -> str:
        """SIGKILL the child (if it still runs) and return its output."""
        return self.stop(signal.SIGKILL, timeout=10)


def start(
    slotwise_args: Sequence[str], env: Mapping[str, str] | None = None, *, log: Path | None = None
) -> Child:
    """Start ``python -m slotwise <slotwise_args>`` with ``env`` (default: this process's
    environment), its output captured in ``log`` (default: a temporary file)."""
    return Child(
        [sys.executable, "-m", "slotwise", *slotwise_args],
        os.environ if env is None else env,
        log,
    )
