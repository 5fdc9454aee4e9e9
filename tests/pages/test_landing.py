"""The server's own pages over HTTP (both databases): the landing page at ``/``, the HTML 404
for browsers (the JSON envelope for everyone else and for the API's paths) and the offline API
reference at ``/docs``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx2
import pytest

from slotwise.demo import seed_demo
from slotwise.kit.db import transaction
from tests.conftest import Host

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


async def test_landing_without_demo(client: httpx2.AsyncClient, host: Host) -> None:
    page = await client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Slotwise" in page.text and "Cal.com API v2" in page.text
    hrefs = links(page.text)
    assert {"/docs", "/openapi.json", "/health"} <= set(hrefs)
    assert not any(h.startswith("/demo") or h.startswith("/alice") for h in hrefs)
    assert "slotwise serve --demo" in page.text
    for href in ("/docs", "/openapi.json", "/health"):
        assert (await client.get(href)).status_code == 200


async def test_landing_links_the_seeded_demo_pages(
    app: Any, client: httpx2.AsyncClient, tmp_path: Path
) -> None:
    async with transaction(app.state.db, write=True) as session:
        await seed_demo(session, key_file=tmp_path / "demo_key")
    page = await client.get("/", headers=HTML)
    hrefs = links(page.text)
    assert {"/demo", "/demo/30min", "/demo/60min"} <= set(hrefs)
    for href in ("/demo", "/demo/30min"):
        assert (await client.get(href)).status_code == 200


@pytest.mark.parametrize("path", ["/nope/a/b", "/demo/30min/extra/parts", "/static/x/y"])
async def test_browsers_get_an_html_404_with_a_way_back(
    client: httpx2.AsyncClient, path: str
) -> None:
    page = await client.get(path, headers=HTML)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Page not found" in page.text and path in page.text
    assert 'href="/"' in page.text


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/nope/a/b", None),  # not a browser
        ("/nope/a/b", "application/json"),
        ("/v2/nothing-here", HTML["Accept"]),  # the API's paths: always the envelope
        ("/v2", HTML["Accept"]),
        ("/health/deep", HTML["Accept"]),
        ("/healthz", HTML["Accept"]),
        ("/metrics", HTML["Accept"]),
        ("/openapi.json/x", HTML["Accept"]),
    ],
)
async def test_other_404s_keep_the_json_envelope(
    client: httpx2.AsyncClient, path: str, accept: str | None
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = await client.get(path, headers=headers)
    assert response.status_code == 404
    body = response.json()
    assert body["status"] == "error" and body["path"] == path
    assert body["error"] == {"code": "NotFoundException", "message": f"Cannot GET {path}"}


async def test_docs_work_offline(client: httpx2.AsyncClient) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    # Nothing is loaded from elsewhere: no script, no external stylesheet, image or frame.
    assert "<script" not in html
    assert not re.search(r'\ssrc="', html)
    assert not re.search(r'<link[^>]+href="https?:', html)
    assert all(h.startswith(("#", "/")) for h in links(html))
    document = (await client.get("/openapi.json")).json()
    count = 0
    for path, item in document["paths"].items():
        for method, op in item.items():
            count += 1
            assert f'id="{op["operationId"]}"' in html, (method, path)
    assert f"{count} operations" in html
    assert '<span class="method">POST</span>/v2/bookings<' in html
    assert 'href="#schema-CreateBookingInput"' in html and 'id="schema-CreateBookingInput"' in html
    assert (await client.get("/redoc", headers=HTML)).status_code == 404
