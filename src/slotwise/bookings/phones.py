"""Contact-detail checks shared by booking inputs: E.164 phone numbers and email addresses
(:func:`check_phone` is the validator the request models use)."""

from __future__ import annotations

from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email


def is_e164(value: str) -> bool:
    """True when ``value`` is a valid phone number in international format (``+`` and digits,
    e.g. ``+14155552671``), by Google's libphonenumber rules (surrounding spaces ignored)."""
    text = value.strip()
    if not text.startswith("+"):
        return False
    try:
        parsed = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(parsed))


def is_email(value: Any) -> bool:
    """True for a syntactically valid email address string (no DNS lookups)."""
    if not isinstance(value, str):
        return False
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def check_phone(value: str) -> str:
    """An E.164 phone number (``+`` country code and number, e.g. ``+14155552671``), validated
    with libphonenumber; returned without surrounding spaces. Raises ValueError otherwise."""
    text = value.strip()
    if not is_e164(text):
        raise ValueError(
            f"'{value}' is not a valid phone number in international format (E.164), e.g. "
            "+14155552671"
        )
    return text
