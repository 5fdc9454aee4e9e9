"""Every web app page renders in German and Spanish (both databases): the catalogs' strings,
their placeholders and plural forms work in the real templates (a broken ``%(name)s`` would
answer 500), and the navigation is translated."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from tests.browser.test_webapp_browser import app_pages, fill, make_data
from tests.conftest import Host

NAVIGATION = {"de": ("Buchungen", "Verfügbarkeit"), "es": ("Reservas", "Disponibilidad")}


@pytest.mark.parametrize("language", ["de", "es"])
async def test_every_app_page_renders_translated(
    app: Any, host: Host, app_client: httpx2.AsyncClient, language: str
) -> None:
    values = await make_data(app, host)
    plain, templated = app_pages(app)
    urls = [p for p in plain if p not in ("/app/signup", "/app/reset-password")]
    for path in templated:
        urls += [url for url, _ in fill(path, values)]
    rendered = 0
    for url in urls:
        sep = "&" if "?" in url else "?"
        answer = await app_client.get(f"{url}{sep}lng={language}")
        assert answer.status_code < 500, (url, answer.status_code)
        if answer.status_code != 200 or "text/html" not in answer.headers["content-type"]:
            continue
        rendered += 1
        assert f'<html lang="{language}"' in answer.text, url
        if "app-header" in answer.text:
            for label in NAVIGATION[language]:
                assert label in answer.text, (url, label)
    assert rendered >= 10
