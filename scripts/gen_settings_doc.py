#!/usr/bin/env python3
"""Write the settings reference of docs/operations.md from the settings class.

Every field of ``slotwise.config.Settings`` becomes a row (environment variable, default,
description) between the ``<!-- settings:begin -->`` and ``<!-- settings:end -->`` markers.
``--check`` changes nothing and exits 1 when the document is stale
(tests/unit/test_settings_doc.py runs the same check).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic_core import PydanticUndefined

from slotwise.config import Settings

DOC = Path(__file__).resolve().parents[1] / "docs" / "operations.md"
BEGIN, END = "<!-- settings:begin -->", "<!-- settings:end -->"


def _default(name: str) -> str:
    field = Settings.model_fields[name]
    if field.default_factory is not None:
        return "computed (see description)"
    if field.default is PydanticUndefined or field.default is None:
        return "unset"
    value = getattr(field.default, "get_secret_value", lambda: field.default)()
    return f"`{value}`" if value != "" else "empty"


def render() -> str:
    """The reference table (markdown), one row per setting in declaration order."""
    rows = [
        "| Environment variable | Default | What it does |",
        "|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        description = (field.description or "").replace("|", "\\|")
        rows.append(f"| `SLOTWISE_{name.upper()}` | {_default(name)} | {description} |")
    return "\n".join(rows)


def updated(text: str) -> str:
    """``text`` (docs/operations.md) with the table between the markers replaced."""
    head, begin, rest = text.partition(BEGIN)
    _old, end, tail = rest.partition(END)
    if not begin or not end:
        raise SystemExit(f"{DOC} lacks the {BEGIN} … {END} markers")
    return f"{head}{BEGIN}\n{render()}\n{END}{tail}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 when the doc is stale")
    args = parser.parse_args()
    text = DOC.read_text()
    new = updated(text)
    if args.check:
        if new != text:
            print(f"{DOC} is stale: run python scripts/gen_settings_doc.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
