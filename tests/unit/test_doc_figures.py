"""Figures the docs quote that drift as the code changes, checked against the code: the number
of operations ``/openapi.json`` serves (README) and the size of the Booker's JavaScript
(docs/pages.md). When one fails, update the doc with the number the message gives."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import SecretStr

from slotwise.app import create_app
from slotwise.config import Settings
from slotwise.pages.api_reference import operations

ROOT = Path(__file__).resolve().parents[2]
EXTENSION_TAG = "(Slotwise extensions)"


def figure(doc: str, pattern: str) -> re.Match[str]:
    text = re.sub(r"\s+", " ", (ROOT / doc).read_text())
    match = re.search(pattern, text)
    assert match is not None, f"{doc} no longer says {pattern!r}: keep the figure and this test"
    return match


def test_readme_counts_the_operations_openapi_json_serves(tmp_path: Path) -> None:
    app = create_app(
        Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", secret_key=SecretStr("k"))
    )
    served = operations(app.openapi())
    extensions = [op for _m, _p, op in served if any(EXTENSION_TAG in t for t in op["tags"])]
    match = figure(
        "README.md", r"`/openapi.json` serves (\d+) operations, (\d+) of them Slotwise extensions"
    )
    assert (int(match.group(1)), int(match.group(2))) == (len(served), len(extensions)), (
        f"README.md: /openapi.json serves {len(served)} operations, {len(extensions)} of them "
        "Slotwise extensions"
    )


def test_pages_doc_gives_the_size_of_booker_js() -> None:
    size = (ROOT / "src" / "slotwise" / "pages" / "static" / "booker.js").stat().st_size
    match = figure("docs/pages.md", r"about (\d+) KB of plain JavaScript \(`static/booker.js`\)")
    assert int(match.group(1)) == round(size / 1024), (
        f"docs/pages.md: booker.js is {size} bytes: about {round(size / 1024)} KB"
    )
