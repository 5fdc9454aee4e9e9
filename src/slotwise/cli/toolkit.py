"""``slotwise toolkit``: the agent tool kit's definitions for LLM APIs."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from slotwise.cli.common import fail

toolkit_app = typer.Typer(
    help="Cal.com's agent actions as tools for LLM APIs", no_args_is_help=True
)


@toolkit_app.command("export")
def export_command(
    fmt: Annotated[
        str, typer.Option("--format", help="openai (function tools) or anthropic (input_schema)")
    ] = "openai",
) -> None:
    """Print every action as a JSON array of tool definitions on stdout."""
    from slotwise.toolkit import tool_definitions

    if fmt not in ("openai", "anthropic"):
        raise fail("--format must be openai or anthropic")
    typer.echo(json.dumps(tool_definitions(fmt), indent=2, ensure_ascii=False))  # type: ignore[arg-type]
