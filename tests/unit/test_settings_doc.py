"""docs/operations.md's settings reference lists every setting, as the settings class
declares it (regenerate with ``python scripts/gen_settings_doc.py``)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from slotwise.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen", ROOT / "scripts" / "gen_settings_doc.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_setting_is_in_the_reference() -> None:
    doc = (ROOT / "docs" / "operations.md").read_text()
    generator = _generator()
    assert generator.updated(doc) == doc, (
        "docs/operations.md is stale: run scripts/gen_settings_doc.py"
    )
    for name in Settings.model_fields:
        assert f"| `SLOTWISE_{name.upper()}` |" in doc
