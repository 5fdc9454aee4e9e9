"""axe-core scans of Playwright pages (WCAG 2 A and AA rules, colour contrast included).

axe-core comes bundled with the ``axe-playwright-python`` package (dev extra): nothing is
downloaded at run time. :func:`scan` returns readable lines, one per violating element;
:func:`assert_accessible` fails with all of them at once, so one run shows every problem.
"""

from __future__ import annotations

from typing import Any

import pytest

WCAG_TAGS = ["wcag2a", "wcag2aa"]
"""The rule sets: WCAG 2.0 level A and AA (``color-contrast`` is in wcag2aa)."""

_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


def _axe() -> Any:
    try:
        from axe_playwright_python.async_playwright import Axe
    except ImportError:
        pytest.fail("axe-playwright-python is missing (pip install -e '.[dev]')")
    return Axe()


async def scan(page: Any, label: str) -> list[str]:
    """The WCAG 2 A/AA violations of ``page`` as lines ``label: rule (impact) at selector:
    what to fix``; empty when none."""
    results = await _axe().run(page, options=_OPTIONS)
    lines = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = (node.get("failureSummary") or violation["help"]).replace("\n", " ")
            lines.append(
                f"{label}: {violation['id']} ({violation.get('impact')}) at {target}: "
                f"{summary} [{node.get('html', '')[:120]}]"
            )
    return lines


def assert_accessible(violations: list[str], scanned: list[str]) -> None:
    """Fail with every violation (one per line) when there is any."""
    assert not violations, (
        f"axe found {len(violations)} WCAG 2 A/AA violation(s) on {len(scanned)} scans:\n"
        + "\n".join(violations)
    )
