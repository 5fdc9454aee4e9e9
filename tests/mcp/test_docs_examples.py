"""The Python examples of docs/mcp.md and docs/toolkit.md, run as written against
``slotwise serve --demo`` on a fresh SQLite file."""

from __future__ import annotations

import contextlib
import io

import pytest

from tests.client.test_docs_examples import code_blocks, demo_server  # noqa: F401


def run_blocks(doc: str) -> list[str]:
    namespace: dict[str, object] = {"__name__": "docs"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for block in code_blocks(doc, "python"):
            exec(compile(block, f"docs/{doc}", "exec"), namespace)
    return out.getvalue().splitlines()


def test_mcp_page_example_runs(
    demo_server: tuple[str, str],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: object,
) -> None:
    base, key = demo_server
    monkeypatch.setenv("SLOTWISE_API_URL", base)
    monkeypatch.setenv("SLOTWISE_API_KEY", key)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert run_blocks("mcp.md") == [
        "37 tools",
        "demo",
        "2050-09-05T11:00:00.000+02:00 2050-09-05T09:00:00Z",
        "True Error 404 (NotFoundException): Booking with uid=no-such-uid not found",
    ]


def test_toolkit_page_example_runs(
    demo_server: tuple[str, str],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base, key = demo_server
    monkeypatch.setenv("SLOTWISE_API_URL", base)
    monkeypatch.setenv("SLOTWISE_API_KEY", key)
    assert run_blocks("toolkit.md") == [
        "141 demo",
        "True cancelled",
        "404 NotFoundException: Booking with uid=nope not found",
    ]
