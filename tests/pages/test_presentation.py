"""Languages, themes, brand colour, embed mode and static assets of the pages (both
databases), plus the German and Spanish catalogs' completeness."""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import httpx2
import pytest
from babel.messages.pofile import read_po

from slotwise.pages.i18n import available_languages
from tests.conftest import Host
from tests.pages.page_fixtures import MONDAY, SLOT, booker_url, intro, slot_texts


async def test_german_from_lng_or_accept_language(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(app, host)
    r = await client.get(booker_url(date=MONDAY, lng="de"))
    assert r.headers["content-language"] == "de"
    assert '<html lang="de"' in r.text
    assert "Zeitzone" in r.text and "Montag, 5. September 2050" in r.text
    assert "30 Minuten" in r.text
    assert slot_texts(r.text)[0] == "9:00 AM"  # the host's 12-hour clock, in German's form
    assert "Mo." in r.text  # weekday headers
    r = await client.get(booker_url(), headers={"Accept-Language": "fr;q=0.9, de-AT;q=0.8"})
    assert r.headers["content-language"] == "de"
    r = await client.get(booker_url(), headers={"Accept-Language": "fr, *;q=0.1"})
    assert r.headers["content-language"] == "en"
    form = await client.get(booker_url(date=MONDAY, slot=SLOT, lng="de"))
    assert "Ihr Name" in form.text and "E-Mail-Adresse" in form.text
    bad = await client.post(booker_url(date=MONDAY, slot=SLOT, lng="de"), data={"name": ""})
    assert "Dieses Feld ist erforderlich" in bad.text


async def test_spanish_from_lng_or_accept_language(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(app, host)
    r = await client.get(booker_url(date=MONDAY, lng="es"))
    assert r.headers["content-language"] == "es"
    assert '<html lang="es"' in r.text
    assert "Zona horaria" in r.text and "lunes, 5 de septiembre de 2050" in r.text
    assert "30 minutos" in r.text
    r = await client.get(booker_url(), headers={"Accept-Language": "fr;q=0.9, es-MX;q=0.8"})
    assert r.headers["content-language"] == "es"
    bad = await client.post(booker_url(date=MONDAY, slot=SLOT, lng="es"), data={"name": ""})
    assert "Este campo es obligatorio" in bad.text
    login = await client.get("/app/login", headers={"Accept-Language": "es"})
    assert "Inicia sesión en Slotwise" in login.text and "Contraseña" in login.text


async def test_themes_and_brand_colour(app: Any, client: httpx2.AsyncClient, host: Host) -> None:
    await intro(app, host)
    plain = await client.get(booker_url())
    assert "data-theme" not in plain.text.split(">", 2)[1]  # follows prefers-color-scheme
    assert '<meta name="color-scheme" content="light dark">' in plain.text
    dark = await client.get(booker_url(theme="dark"))
    assert '<html lang="en" data-theme="dark">' in dark.text
    branded = await client.get(booker_url(brandColor="%23fde047", darkBrandColor="1e3a8a"))
    # light brand: dark text on it; dark brand: white text on it
    assert ":root{--cal-brand:#fde047;--cal-brand-emphasis:#fde047;--cal-brand-text:#000000}" in (
        branded.text
    )
    assert (
        "--cal-brand:#1e3a8a;--cal-brand-emphasis:#1e3a8a;--cal-brand-text:#ffffff" in branded.text
    )
    # the choice is kept on the calendar's links
    assert "brandColor=%23fde047" in branded.text
    # anything but a hex colour is ignored (no CSS injection)
    evil = await client.get(booker_url(brandColor="red;}body{display:none"))
    assert "<style>" not in evil.text


async def test_embed_mode(app: Any, client: httpx2.AsyncClient, host: Host) -> None:
    await intro(app, host)
    page = await client.get(booker_url())
    assert page.headers["x-frame-options"] == "SAMEORIGIN"
    assert "Powered by Slotwise" in page.text and 'class="skip"' in page.text
    embed = await client.get(booker_url(embed="true"))
    assert "x-frame-options" not in embed.headers
    assert 'data-embed=""' in embed.text and 'class="embed"' in embed.text
    assert "Powered by Slotwise" not in embed.text
    assert "embed=true" in embed.text  # links stay in embed mode
    named = await client.get(booker_url(embed="ns1"))
    assert 'data-embed="ns1"' in named.text
    off = await client.get(booker_url(embed="false"))
    assert "data-embed=" not in off.text


async def test_static_assets_are_cached(app: Any, client: httpx2.AsyncClient, host: Host) -> None:
    await intro(app, host)
    page = await client.get(booker_url())
    js = re.search(r'src="(/static/pages/booker\.js\?v=[0-9a-f]+)"', page.text)
    css = re.search(r'href="(/static/pages/pages\.css\?v=[0-9a-f]+)"', page.text)
    assert js and css
    r = await client.get(js.group(1))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "postMessage" in r.text
    r = await client.get(css.group(1))
    assert r.headers["content-type"].startswith("text/css") and "--cal-brand" in r.text
    plain = await client.get("/static/pages/pages.css")
    assert plain.headers["cache-control"] == "public, max-age=300, must-revalidate"
    again = await client.get(
        "/static/pages/pages.css", headers={"If-None-Match": r.headers["etag"]}
    )
    assert again.status_code == 304
    assert (await client.get("/static/pages/secret.py")).status_code == 404
    assert (await client.get("/static/pages/../app.py")).status_code == 404
    # the Booker's first view stays small (about 29 KB of it is the time-zone list: every
    # zone.tab location with its offset and local time, so it works without the script)
    assert len(page.content) < 64_000


@pytest.mark.parametrize("language", ["de", "es"])
def test_catalog_translates_every_message(language: str) -> None:
    """Every message of the template (booking pages and web app) is translated, every plural
    form filled, with the same ``%(name)s`` placeholders."""
    assert language in available_languages()
    root = resources.files("slotwise.pages").joinpath("locales")
    with root.joinpath("messages.pot").open("rb") as handle:
        template = read_po(handle)
    with root.joinpath(language, "LC_MESSAGES", "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    assert catalog.num_plurals == 2, language
    for message in template:
        if not message.id:
            continue
        translated = catalog.get(message.id)
        assert translated is not None and translated.string, (language, message.id)
        assert not translated.fuzzy, (language, message.id)
        source = message.id if isinstance(message.id, str) else message.id[-1]
        targets = [translated.string] if isinstance(translated.string, str) else translated.string
        assert all(targets), (language, message.id)
        wanted = sorted(re.findall(r"%\(\w+\)\w", source))
        # every form keeps the placeholders; a singular may drop the number ("Every year")
        assert sorted(re.findall(r"%\(\w+\)\w", targets[-1])) == wanted, (language, source)
        for target in targets:
            assert set(re.findall(r"%\(\w+\)\w", target)) <= set(wanted), (language, source)


def test_template_holds_the_web_app_strings() -> None:
    """The extraction (pages/babel.cfg, run over pages and webapp) covers the web app's
    templates and its N_() constants."""
    root = resources.files("slotwise.pages").joinpath("locales")
    with root.joinpath("messages.pot").open("rb") as handle:
        ids = {m.id for m in read_po(handle) if m.id}
    assert "Log in to Slotwise" in ids  # webapp/templates/app/login.html
    assert "Incorrect username, email or password" in ids  # N_() in webapp/accounts.py
