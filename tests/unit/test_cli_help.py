"""``slotwise --help``: plain (no Typer type tags), every command listed with its own help, and
cheap to import (the time itself is measured by bench/cli_startup_bench.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from slotwise.cli import COMMANDS, app
from slotwise.cli.client_common import DEFAULT_API_URL
from slotwise.cli.group import load_command, source_help
from slotwise.client import DEFAULT_BASE_URL


def _help(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(
    "args", [(), ("event-types", "create"), ("bookings", "list"), ("serve",), ("schedules",)]
)
def test_help_has_no_type_tags(args: tuple[str, ...]) -> None:
    text = _help(*args)
    assert "<bool>" not in text and "<str>" not in text and "<int>" not in text


def test_value_options_show_a_placeholder_flags_none() -> None:
    text = _help("event-types", "create")
    assert "--title" in text and "TEXT" in text and "INTEGER" in text
    json_line = next(line for line in text.splitlines() if "--json" in line)
    assert "TEXT" not in json_line and "BOOL" not in json_line.upper().replace("--JSON", "")


def test_root_help_lists_every_command_with_its_own_help() -> None:
    text = " ".join(_help().replace("│", " ").split())
    for name, lazy in COMMANDS.items():
        loaded = load_command(name, lazy.target)
        first = " ".join((loaded.help or "").split("\n\n", 1)[0].split())
        assert source_help(lazy.target) == first, name
        assert name in text and first[:30] in text, name


def test_importing_the_cli_loads_neither_the_server_nor_the_sdk() -> None:
    code = (
        "import sys; import slotwise.cli; "
        "print(sorted(m for m in ('slotwise.app', 'sqlalchemy', 'slotwise.client', 'httpx2', "
        "'mcp') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cli_default_url_is_the_sdks() -> None:
    assert DEFAULT_API_URL == DEFAULT_BASE_URL
