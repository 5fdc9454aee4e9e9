"""A real uvicorn server on a thread of the test process (own event loop), for tests that need
real HTTP: keep-alive connections, a browser. Subprocess servers live in tests/subprocesses.py.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from tests.subprocesses import free_port


@contextmanager
def serve_in_thread(app: Any, **config: Any) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 and a free port until the block ends; yields the base URL.

    ``config`` goes to ``uvicorn.Config`` (default ``log_level="warning"``). Raises
    RuntimeError when the server has not started within 15 s or its thread died.
    """
    port = free_port()
    config.setdefault("log_level", "warning")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, **config))
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
