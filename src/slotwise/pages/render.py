"""Template rendering and what every page shares: language, theme, brand colour, embed mode.

Query parameters read here (all optional, kept on every link the pages build):

- ``theme``: ``light`` or ``dark``; anything else follows the browser (``prefers-color-scheme``);
- ``brandColor`` / ``darkBrandColor``: a hex colour (``#4f46e5``, ``4f46e5`` or ``#abc``) used as
  ``--cal-brand`` in the light / dark theme; the text on it is black or white, whichever
  contrasts more (always at least 4.5:1);
- ``embed``: present and not ``false``/``0`` → iframe mode (no page chrome; embed events posted
  to the parent window). Its value other than ``true``/``1`` is the embed namespace, as in
  Cal.com's iframe URLs;
- ``lng``: a language (``de``); otherwise ``Accept-Language``, then the organizer's locale (the
  booker's on the booking page).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from slotwise.pages import i18n

KEEP = ("embed", "theme", "brandColor", "darkBrandColor", "lng", "timeZone", "clock")
_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
STATIC_FILES = ("pages.css", "booker.js", "embed.js", "app.css", "app.js")


def hex_colour(value: str | None) -> str | None:
    """``value`` as ``#rrggbb`` when it is a 3- or 6-digit hex colour, else None."""
    if not value:
        return None
    match = _HEX.match(value.strip())
    if match is None:
        return None
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return f"#{digits}"


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_on(colour: str) -> str:
    """``#ffffff`` or ``#000000``: the text colour with the higher WCAG contrast on ``colour``
    (at least 4.58:1 whatever the colour, so the brand never breaks AA)."""
    lum = _luminance(colour)
    white = 1.05 / (lum + 0.05)
    black = (lum + 0.05) / 0.05
    return "#ffffff" if white >= black else "#000000"


@dataclass(frozen=True)
class Avatar:
    """Who a page shows as a round badge with initials (Slotwise serves no images): ``name``
    (the accessible name and tooltip), ``initials`` (one or two letters) and ``kind``
    (``"user"`` or ``"team"``: a team's badge is square-ish, as Cal.com draws team logos)."""

    name: str
    initials: str
    kind: str = "user"
    image: str | None = None
    """The path of a picture uploaded in the web app (``/avatars/<file>``), shown instead of the
    initials; None for everyone else."""


def initials(name: str) -> str:
    """The first letters of the first and last words of ``name``, upper case (``"Alice van
    Host"`` → ``"AH"``, ``"bob"`` → ``"B"``); ``"?"`` for an empty name."""
    words = [w for w in re.split(r"[\s._-]+", name.strip()) if w]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def avatar_of(name: str, kind: str = "user", image: str | None = None) -> Avatar:
    """The :class:`Avatar` of a person or team called ``name`` (``image``: see
    :attr:`Avatar.image`)."""
    return Avatar(name, initials(name), kind, image)


@dataclass
class PageContext:
    """Per-request presentation settings (see the module docstring)."""

    language: str
    theme: str | None
    brand: str | None
    dark_brand: str | None
    embed: bool
    namespace: str
    keep: dict[str, str] = field(default_factory=dict)

    def gettext(self, message: str) -> str:
        """``message`` translated into the page's language."""
        return i18n.translations(self.language).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The singular or plural translation for ``n``."""
        return i18n.translations(self.language).ngettext(singular, plural, n)

    def url(self, path: str, **params: Any) -> str:
        """``path`` with the kept presentation parameters plus ``params`` (None values are left
        out; a ``params`` value overrides a kept one)."""
        merged: dict[str, Any] = {**self.keep, **params}
        query = urlencode({k: v for k, v in merged.items() if v is not None and v != ""})
        return f"{path}?{query}" if query else path

    def brand_css(self) -> str:
        """A ``:root`` rule setting ``--cal-brand`` and ``--cal-brand-text`` for the chosen
        colours (empty when none is chosen). Colours are validated hex values only."""
        rules: list[str] = []
        if self.brand:
            rules.append(
                f":root{{--cal-brand:{self.brand};--cal-brand-emphasis:{self.brand};"
                f"--cal-brand-text:{text_on(self.brand)}}}"
            )
        if self.dark_brand:
            rule = (
                f"--cal-brand:{self.dark_brand};--cal-brand-emphasis:{self.dark_brand};"
                f"--cal-brand-text:{text_on(self.dark_brand)}"
            )
            rules.append(f":root[data-theme=dark]{{{rule}}}")
            rules.append(
                f"@media (prefers-color-scheme:dark){{:root:not([data-theme=light]){{{rule}}}}}"
            )
        return "".join(rules)


def page_context(
    request: Request,
    fallback_locale: str | None = None,
    branding: dict[str, Any] | None = None,
) -> PageContext:
    """Read the presentation parameters of ``request`` (invalid values are ignored).
    ``fallback_locale``: the language after ``lng`` and ``Accept-Language`` (the organizer's
    locale on the profile and Booker pages, the booker's on the booking page). ``branding``:
    the owner's ``theme``, ``brandColor`` and ``darkBrandColor`` (a team's profile), used where
    the query gives none."""
    q = request.query_params
    own = branding or {}
    theme = q.get("theme") or own.get("theme")
    embed_value = q.get("embed")
    embed = embed_value is not None and embed_value.lower() not in ("false", "0")
    namespace = "" if embed_value in (None, "", "true", "1") else str(embed_value)[:64]
    language = i18n.negotiate(
        [
            q.get("lng"),
            *i18n.accept_language(request.headers.get("accept-language")),
            fallback_locale,
        ]
    )
    keep = {k: q[k] for k in KEEP if q.get(k)}
    return PageContext(
        language=language,
        theme=theme if theme in ("light", "dark") else None,
        brand=hex_colour(q.get("brandColor")) or _own_colour(own, "brandColor"),
        dark_brand=hex_colour(q.get("darkBrandColor")) or _own_colour(own, "darkBrandColor"),
        embed=embed,
        namespace=namespace,
        keep=keep,
    )


def _own_colour(branding: dict[str, Any], key: str) -> str | None:
    value = branding.get(key)
    return hex_colour(value) if isinstance(value, str) else None


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The pages' Jinja2 environment (autoescaping on, templates from the package)."""
    env = Environment(
        loader=PackageLoader("slotwise.pages", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["asset"] = asset_url
    env.globals["merge"] = merge
    return env


@lru_cache(maxsize=8)
def static_bytes(name: str) -> bytes:
    """The bytes of static file ``name`` (one of :data:`STATIC_FILES`)."""
    return resources.files("slotwise.pages").joinpath("static", name).read_bytes()


@lru_cache(maxsize=8)
def static_version(name: str) -> str:
    """A short content hash of static file ``name`` (cache-busting ``?v=``)."""
    return hashlib.sha256(static_bytes(name)).hexdigest()[:12]


def merge(*mappings: dict[str, Any], **values: Any) -> dict[str, Any]:
    """One dict of ``mappings`` then ``values`` (later ones win), for templates."""
    out: dict[str, Any] = {}
    for mapping in mappings:
        out.update(mapping)
    out.update(values)
    return out


def asset_url(name: str) -> str:
    """The URL of static file ``name`` with its content hash."""
    return f"/static/pages/{name}?v={static_version(name)}"


def render(ctx: PageContext, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """Render ``template`` with ``values`` plus ``ctx`` (as ``page``), ``_`` and ``ngettext``."""
    html = (
        environment()
        .get_template(template)
        .render(page=ctx, _=ctx.gettext, ngettext=ctx.ngettext, **values)
    )
    headers = {"Content-Language": ctx.language, "Vary": "Accept-Language"}
    if not ctx.embed:
        headers["X-Frame-Options"] = "SAMEORIGIN"
    return HTMLResponse(html, status_code=status_code, headers=headers)


def not_found(ctx: PageContext, what: str) -> HTMLResponse:
    """The HTML 404 page; ``what``: ``"user"``, ``"team"``, ``"event"`` or ``"booking"``."""
    return render(ctx, "not_found.html", status_code=404, what=what)
