"""What keeps ``slotwise --help`` fast and plain.

- :class:`SlotwiseGroup`, the root command group, knows its commands by name only
  (:class:`LazyCommand`: ``"module:attribute"``, a command function or a ``typer.Typer``
  group). A command's module is imported when that command runs; the root ``--help`` lists them
  with their help read from the source (a function's docstring, a group's ``help=``), without
  importing anything.
- :func:`plain_help_types` makes help show ``--title TEXT`` instead of ``--title <str>``, and
  nothing after flags (``--json``, ``--help``) and arguments (their name says it).

Command modules import typer and rich at the top and what they need to run (the SDK,
SQLAlchemy, the app) inside the commands, so ``slotwise bookings --help`` stays fast too.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import typer
from typer import _click
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

_VALUE_NAMES = {str: "TEXT", int: "INTEGER", float: "NUMBER"}


class LazyCommand(NamedTuple):
    """A root command: ``target`` is ``"module:attribute"`` (a command function or a
    ``typer.Typer``); ``panel`` is the heading it is listed under in ``--help``."""

    target: str
    panel: str


@cache
def _module_tree(module: str) -> ast.Module | None:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return None
    return ast.parse(Path(spec.origin).read_text(encoding="utf-8"))


def source_help(target: str) -> str:
    """The help of ``module:attribute`` read from the module's source: a function's docstring
    (first paragraph) or the ``help=`` of ``attribute = typer.Typer(help=…)``."""
    module, _, name = target.partition(":")
    tree = _module_tree(module)
    for node in tree.body if tree else []:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            doc = ast.get_docstring(node) or ""
            return " ".join(doc.split("\n\n", 1)[0].split())
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
            and isinstance(node.value, ast.Call)
        ):
            for keyword in node.value.keywords:
                if keyword.arg == "help" and isinstance(keyword.value, ast.Constant):
                    return str(keyword.value.value)
    return ""


def load_command(name: str, target: str) -> _click.Command:
    """The click command of ``module:attribute``, built the way Typer builds any command."""
    module, _, attribute = target.partition(":")
    value = getattr(importlib.import_module(module), attribute)
    if isinstance(value, typer.Typer):
        return typer.main.get_group(value)
    single = typer.Typer(add_completion=False)
    single.command(name)(value)
    return typer.main.get_command(single)


class SlotwiseGroup(TyperGroup):
    """The root group: its commands are :attr:`lazy_commands`, loaded on first use."""

    lazy_commands: dict[str, LazyCommand] = {}

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self._listing = False

    def list_commands(self, ctx: _click.Context) -> list[str]:
        """The lazy commands in their order, then any registered the usual way."""
        lazy = self.lazy_commands
        return [*lazy, *(name for name in super().list_commands(ctx) if name not in lazy)]

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        """The command named ``cmd_name``; a lazy one is imported unless help is being listed."""
        command = super().get_command(ctx, cmd_name)
        lazy = self.lazy_commands.get(cmd_name)
        if command is not None or lazy is None:
            return command
        if self._listing:
            return TyperCommand(
                name=cmd_name, help=source_help(lazy.target), rich_help_panel=lazy.panel
            )
        self.commands[cmd_name] = load_command(cmd_name, lazy.target)
        return self.commands[cmd_name]

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        """Help for the group, listing lazy commands without importing them."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def lazy_group(commands: dict[str, LazyCommand]) -> type[SlotwiseGroup]:
    """A :class:`SlotwiseGroup` class whose commands are ``commands`` (``Typer(cls=…)``)."""
    return type("SlotwiseRootGroup", (SlotwiseGroup,), {"lazy_commands": commands})


def _option_type(self: TyperOption, ctx: _click.Context) -> str | None:
    if self.metavar is not None:
        return self.metavar
    if self.is_flag or self.count:
        return None
    annotation = self.type_descriptor.annotation
    args = getattr(annotation, "__args__", None)
    if args and getattr(annotation, "__origin__", None) is list:
        annotation = args[0]
    if self.type_descriptor.is_choice and self.show_choices:
        return "|".join(str(c) for c in self.type_descriptor.choices or ())
    return _VALUE_NAMES.get(annotation, "VALUE")


def _argument_type(self: TyperArgument, ctx: _click.Context) -> str | None:
    return None


def plain_help_types() -> None:
    """Help without Typer's ``<bool>``/``<str>`` tags: value options show ``TEXT``,
    ``INTEGER`` or ``NUMBER`` (or their ``metavar``), flags and arguments nothing."""
    # Typer has no setting for these tags, so its renderer is replaced (mypy: assigning methods)
    TyperOption.display_type_rich = _option_type  # type: ignore[method-assign]  # see above
    TyperArgument.display_type_rich = _argument_type  # type: ignore[method-assign,assignment]  # ditto
