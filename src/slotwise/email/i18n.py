"""Languages of emails and pages: gettext catalogs (``.po`` files) and CLDR date formats (Babel).

Why gettext + Babel: ``.po`` files are the format translators and their tools know (Weblate,
Poedit), ``pybabel extract`` finds the strings in Jinja2 templates and Python (Jinja2's i18n
extension reads them), and Babel formats dates and times the way each language writes them.
The ``.po`` files are compiled in memory when first used, so no binary ``.mo`` file is kept in
the repository and no build step is needed.

English is the source language; catalogs live in ``locales/<lang>/LC_MESSAGES/messages.po``.
"""

from __future__ import annotations

import gettext
import io
from datetime import datetime
from functools import lru_cache
from importlib import resources

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

DEFAULT_LANGUAGE = "en"


def gettext_noop(message: str) -> str:
    """Mark ``message`` for extraction (keyword ``N_``) without translating it here."""
    return message


N_ = gettext_noop


@lru_cache(maxsize=1)
def available_languages() -> frozenset[str]:
    """Languages with a catalog, plus English (the source language)."""
    root = resources.files("slotwise.email").joinpath("locales")
    found = {DEFAULT_LANGUAGE}
    for entry in root.iterdir():
        if entry.joinpath("LC_MESSAGES", "messages.po").is_file():
            found.add(entry.name)
    return frozenset(found)


def negotiate(language: str | None) -> str:
    """The supported language closest to ``language`` (``"de-AT"``, ``"de_DE"`` → ``"de"``);
    English when ``language`` is empty or not supported."""
    if not language:
        return DEFAULT_LANGUAGE
    tag = language.strip().replace("-", "_")
    if tag in available_languages():
        return tag
    base = tag.split("_", 1)[0].lower()
    return base if base in available_languages() else DEFAULT_LANGUAGE


@lru_cache(maxsize=32)
def translations(language: str) -> gettext.NullTranslations:
    """The gettext translations of a supported ``language`` (see :func:`negotiate`).

    English and unknown languages get identity translations. Raises nothing for a missing
    catalog (identity again).
    """
    if language == DEFAULT_LANGUAGE or language not in available_languages():
        return gettext.NullTranslations()
    path = resources.files("slotwise.email").joinpath(
        "locales", language, "LC_MESSAGES", "messages.po"
    )
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain="messages")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain="messages")


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT_LANGUAGE)


def format_day(moment: datetime, language: str) -> str:
    """The local date of ``moment`` (timezone-aware, already in the reader's zone), written in
    full: ``Monday, September 5, 2050`` / ``Montag, 5. September 2050``."""
    return format_date(moment, "full", locale=_locale(language))


def format_clock(moment: datetime, language: str, time_format: int | None) -> str:
    """The local time of ``moment``: ``time_format`` 12 → ``9:00 AM``, 24 → ``09:00``, None → the
    language's usual short form."""
    pattern = {12: "h:mm a", 24: "HH:mm"}.get(time_format or 0, "short")
    return format_time(moment, pattern, locale=_locale(language))


def format_span(start: datetime, end: datetime, language: str, time_format: int | None) -> str:
    """``start``–``end`` (both already in the reader's zone) as one line:
    ``Monday, September 5, 2050, 9:00 AM – 9:30 AM``; the end date is repeated when the span
    ends on another day."""
    first = f"{format_day(start, language)}, {format_clock(start, language, time_format)}"
    if end.date() == start.date():
        return f"{first} – {format_clock(end, language, time_format)}"
    return f"{first} – {format_day(end, language)}, {format_clock(end, language, time_format)}"
