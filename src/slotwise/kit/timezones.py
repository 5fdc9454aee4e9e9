"""IANA time-zone validation (from the pinned tzdata package)."""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


@lru_cache(maxsize=1)
def all_time_zones() -> frozenset[str]:
    """Every IANA zone name tzdata knows."""
    return frozenset(available_timezones())


def is_valid_time_zone(name: str) -> bool:
    """True when ``name`` is an IANA zone name (``Europe/Rome``, ``UTC``)."""
    if name not in all_time_zones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def check_time_zone(name: str) -> str:
    """Return ``name`` if valid; raise ValueError naming it otherwise (for pydantic validators)."""
    if not is_valid_time_zone(name):
        raise ValueError(f"Invalid time zone '{name}': use an IANA name such as 'Europe/Rome'")
    return name
