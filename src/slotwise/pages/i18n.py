"""Languages of the booking pages: gettext catalogs (``.po``) and CLDR dates and times (Babel).

Why gettext + Babel rather than JSON catalogs: ``.po`` files are what translators and their
tools (Weblate, Poedit) work with, ``pybabel extract`` finds the ``_()`` calls in the Jinja2
templates and in Python, plural forms come for free, and Babel writes month names, weekdays,
dates and clock times the way each language does. The emails use the same approach
(:mod:`slotwise.email.i18n`); the pages keep their own catalog (``pages/locales``) so the two
can be translated and released independently.

Catalogs are compiled in memory the first time a language is used: no ``.mo`` file in the
repository and no build step. English is the source language.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from importlib import resources

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

DEFAULT_LANGUAGE = "en"


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name for "mark only"
    """Mark ``message`` for extraction without translating it here."""
    return message


@lru_cache(maxsize=1)
def available_languages() -> frozenset[str]:
    """Languages with a catalog under ``pages/locales``, plus English."""
    root = resources.files("slotwise.pages").joinpath("locales")
    found = {DEFAULT_LANGUAGE}
    for entry in root.iterdir():
        if entry.joinpath("LC_MESSAGES", "messages.po").is_file():
            found.add(entry.name)
    return frozenset(found)


def negotiate(wanted: Iterable[str | None]) -> str:
    """The first supported language among ``wanted`` (most preferred first), matching on the
    base language (``de-AT`` → ``de``); English when none is supported."""
    for language in wanted:
        if not language:
            continue
        tag = language.strip().replace("-", "_")
        if tag in available_languages():
            return tag
        base = tag.split("_", 1)[0].lower()
        if base in available_languages():
            return base
    return DEFAULT_LANGUAGE


def accept_language(header: str | None) -> list[str]:
    """The languages of an ``Accept-Language`` header, highest quality first."""
    if not header:
        return []
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip()
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


@lru_cache(maxsize=16)
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of ``language``; identity translations for English or an unknown
    language (never raises for a missing catalog)."""
    if language == DEFAULT_LANGUAGE or language not in available_languages():
        return gettext.NullTranslations()
    path = resources.files("slotwise.pages").joinpath(
        "locales", language, "LC_MESSAGES", "messages.po"
    )
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain="messages")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain="messages")


@lru_cache(maxsize=16)
def locale(language: str) -> Locale:
    """Babel's Locale for ``language`` (English when Babel does not know it)."""
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT_LANGUAGE)


class Formatter:
    """Dates and clock times for one reader: ``language`` and ``hour12`` (12-hour clock when
    True, 24-hour otherwise). Instants must already be in the reader's zone."""

    def __init__(self, language: str, hour12: bool) -> None:
        self.locale = locale(language)
        self.hour12 = hour12

    def clock(self, moment: datetime) -> str:
        """``9:00 AM`` (12-hour) or ``09:00`` (24-hour)."""
        return format_time(moment, "h:mm a" if self.hour12 else "HH:mm", locale=self.locale)

    def day(self, value: date | datetime) -> str:
        """The date in full: ``Monday, September 5, 2050`` / ``Montag, 5. September 2050``."""
        return format_date(value, "full", locale=self.locale)

    def month(self, value: date) -> str:
        """Month and year as a heading: ``September 2050``."""
        return format_date(value, "LLLL y", locale=self.locale)

    def weekday_short(self, value: date) -> str:
        """Abbreviated weekday for column headers: ``Mon`` / ``Mo.``."""
        return format_date(value, "EEE", locale=self.locale)

    def weekday_long(self, value: date) -> str:
        """Full weekday name: ``Monday``."""
        return format_date(value, "EEEE", locale=self.locale)
