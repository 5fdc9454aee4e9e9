"""A real HTTP receiver on loopback for webhook tests and the benchmark.

A tiny HTTP/1.1 server on ``asyncio.start_server``: it records every request as it arrives
(path, headers, exact body bytes, arrival time, the status it answered) and answers ``status``
(default 200). It can be stopped and started again on the same port (receiver down, then up),
made slow (``delay`` seconds before answering), and awaited until N requests have arrived.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Received:
    """One request as it arrived."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int = 200  # what the receiver answered
    at: float = field(default_factory=time.perf_counter)
    wall: float = field(default_factory=time.time)  # arrival as a Unix time

    def json(self) -> Any:
        return json.loads(self.body)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Receiver:
    """Records webhook deliveries at ``url``."""

    def __init__(self, port: int | None = None, *, status: int = 200, delay: float = 0.0) -> None:
        self.port = port or free_port()
        self.status = status
        self.delay = delay
        self.requests: list[Received] = []
        self._server: asyncio.Server | None = None
        self._arrived = asyncio.Condition()
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def start(self) -> Receiver:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for writer in list(self._writers):  # kept-alive connections go down too
                writer.close()
            await self._server.wait_closed()
            self._server = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:  # HTTP/1.1 keep-alive: requests until the client closes
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                status = self.status
                async with self._arrived:
                    self.requests.append(Received(method, path, headers, body, status))
                    self._arrived.notify_all()
                waited = 0.0
                while waited < self.delay:  # re-read: setting delay to 0 releases held requests
                    await asyncio.sleep(0.05)
                    waited += 0.05
                writer.write(f"HTTP/1.1 {status} X\r\nContent-Length: 2\r\n\r\nok".encode())
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    async def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        """Wait until at least ``count`` requests arrived; returns them all."""

        async def enough() -> None:
            async with self._arrived:
                await self._arrived.wait_for(lambda: len(self.requests) >= count)

        await asyncio.wait_for(enough(), timeout)
        return list(self.requests)
