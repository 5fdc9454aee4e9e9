"""Pure helpers of the pages: language negotiation, colours, the username path segment."""

from __future__ import annotations

import re

import pytest

from slotwise.pages import forms, i18n
from slotwise.pages.render import hex_colour, text_on
from slotwise.pages.routes import UsernameConvertor
from slotwise.users.service import RESERVED_USERNAMES


def test_accept_language_orders_by_quality() -> None:
    header = "fr;q=0.5, de-AT, en;q=0.8, *;q=0.1, xx;q=0"
    assert i18n.accept_language(header) == ["de-AT", "en", "fr"]
    assert i18n.accept_language("") == []
    assert i18n.accept_language("de;q=abc, en") == ["en"]


def test_negotiate_matches_base_language_and_falls_back_to_english() -> None:
    assert i18n.negotiate(["de-CH"]) == "de"
    assert i18n.negotiate(["fr", None, "de_DE"]) == "de"
    assert i18n.negotiate(["fr", "it"]) == "en"
    assert i18n.negotiate([]) == "en"


@pytest.mark.parametrize(
    ("given", "expected"),
    [("#4F46E5", "#4f46e5"), ("4f46e5", "#4f46e5"), ("#abc", "#aabbcc"), ("red", None),
     ("#12345", None), ("#4f46e5;}", None), (None, None)],
)  # fmt: skip
def test_hex_colour(given: str | None, expected: str | None) -> None:
    assert hex_colour(given) == expected


def _ratio(a: str, b: str) -> float:
    def lum(c: str) -> float:
        ch = [int(c[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in ch]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize(
    "brand", ["#000000", "#ffffff", "#fde047", "#1e3a8a", "#22c55e", "#777777"]
)
def test_text_on_brand_colour_is_the_more_readable_one(brand: str) -> None:
    chosen = text_on(brand)
    other = "#000000" if chosen == "#ffffff" else "#ffffff"
    assert _ratio(chosen, brand) >= _ratio(other, brand)
    assert _ratio(chosen, brand) >= 4.5


def test_username_segment_never_matches_reserved_names() -> None:
    pattern = re.compile("^/(" + UsernameConvertor.regex + ")$")
    for name in RESERVED_USERNAMES:
        assert pattern.match("/" + name) is None, name
        assert pattern.match("/" + name.upper()) is None, name
    for name in ("alice", "v2x", "docs-team", "a.b", "apis", "Bob_1"):
        assert pattern.match("/" + name), name
    assert pattern.match("/-alice") is None and pattern.match("/a b") is None


def test_api_error_locations_map_to_form_fields() -> None:
    assert forms.field_of("attendee.email") == "email"
    assert forms.field_of("attendee.phoneNumber") == "attendeePhoneNumber"
    assert forms.field_of("bookingFieldsResponses.topic") == "topic"
    assert forms.field_of("guests.0") == "guests"
    assert forms.field_of("start") is None
