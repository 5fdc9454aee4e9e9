"""The examples of docs/sdk.md and docs/cli.md, run as written against ``slotwise serve --demo``
(the documented entry point) on a fresh SQLite file."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.subprocesses import free_port, start

ROOT = Path(__file__).resolve().parents[2]


def code_blocks(doc: str, lang: str) -> list[str]:
    text = (ROOT / "docs" / doc).read_text()
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.DOTALL)


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(base URL, API key) of ``slotwise serve --demo`` on a new SQLite file."""
    port = free_port()
    env = {**os.environ, "SLOTWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"}
    server = start(["serve", "--demo", "--port", str(port)], env)
    base = f"http://127.0.0.1:{port}"
    try:
        key = server.wait_output(r"API key:[ \t]*(\S+)\r?\n").group(1)
        server.wait_http(f"{base}/health")
        yield base, key
    finally:
        server.stop()


def test_sdk_page_examples_run(
    demo_server: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, key = demo_server
    monkeypatch.setenv("SLOTWISE_API_URL", base)
    monkeypatch.setenv("SLOTWISE_API_KEY", key)
    blocks = code_blocks("sdk.md", "python")
    assert len(blocks) >= 6
    namespace: dict[str, object] = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for block in blocks:
            exec(compile(block, "docs/sdk.md", "exec"), namespace)
    printed = out.getvalue().splitlines()
    assert printed[0] == "demo"
    uid, start = printed[1].split()
    assert start == "2050-09-05T09:00:00.000Z"  # the demo's first Monday slot
    assert printed[2] == "cancelled"
    assert printed[3].startswith("404 NotFoundException")
    assert any(line.endswith(" cancelled") for line in printed[4:])
    assert printed[-1] == "demo True"
    assert uid


def test_cli_page_tour_runs(demo_server: tuple[str, str], tmp_path: Path) -> None:
    base, key = demo_server
    [tour] = [b for b in code_blocks("cli.md", "sh") if "slotwise login" in b and "\n" in b.strip()]
    env = {
        **os.environ,
        "SLOTWISE_API_URL": base,
        "SLOTWISE_API_KEY": key,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "COLUMNS": "200",
    }
    done = subprocess.run(
        ["bash", "-e", "-c", tour], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Logged in as demo" in done.stdout
    assert "10:00 10:30" in done.stdout  # slots of Rome office hours, in Rome time
    assert "Ada Lovelace" in done.stdout
    assert "Booking with uid=no-such-uid not found" in done.stderr
    assert "exit status 1" in done.stdout
