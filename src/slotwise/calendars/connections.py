"""From a stored connection (:class:`~slotwise.models.CalendarCredential`) to its provider.

The credential's ``key`` (encrypted at rest) is JSON: ``{"urls": [...], "readOnly": true}``
for an ICS feed, ``{"url", "username", "password"}`` for CalDAV (Apple's ``url`` is not stored:
it is ``SLOTWISE_APPLE_CALDAV_URL`` at the time of use).
"""

from __future__ import annotations

import json
from typing import Any

from slotwise.calendars.base import (
    APPLE,
    CALDAV,
    GOOGLE,
    ICS_FEED,
    OFFICE365,
    CalendarError,
    CalendarProvider,
)
from slotwise.calendars.caldav_provider import CalDavProvider
from slotwise.calendars.google import GoogleProvider
from slotwise.calendars.icsfeed import IcsFeedProvider, check_user_url
from slotwise.calendars.outlook import OutlookProvider
from slotwise.config import Settings
from slotwise.models import CalendarCredential


def credential_key(credential: CalendarCredential) -> dict[str, Any]:
    """The decrypted JSON of ``credential.key`` (an empty dict for unreadable JSON)."""
    try:
        value = json.loads(credential.key)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def dump_key(value: dict[str, Any]) -> str:
    """``value`` as the JSON text stored (encrypted) in ``CalendarCredential.key``."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def provider_for(credential: CalendarCredential, settings: Settings) -> CalendarProvider:
    """The provider of ``credential`` with the settings' limits. Raises CalendarError for a
    type Slotwise cannot use (yet)."""
    key = credential_key(credential)
    timeout = settings.calendar_timeout_seconds
    block_private = settings.block_private_networks
    if credential.type == ICS_FEED:
        return IcsFeedProvider(
            [str(u) for u in key.get("urls", [])],
            max_bytes=settings.ics_max_bytes,
            timeout=timeout,
            block_private=block_private,
        )
    if credential.type == APPLE:
        return CalDavProvider(
            settings.apple_caldav_url,
            str(key.get("username", "")),
            str(key.get("password", "")),
            timeout=timeout,
        )
    if credential.type == CALDAV:

        async def check(url: str) -> None:
            await check_user_url(url, block_private=block_private)

        return CalDavProvider(
            str(key.get("url", "")),
            str(key.get("username", "")),
            str(key.get("password", "")),
            timeout=timeout,
            check_url=check,
        )
    if credential.type == GOOGLE:
        secret = settings.google_client_secret
        return GoogleProvider(
            key,
            credential_id=credential.id,
            client_id=settings.google_client_id or "",
            client_secret=secret.get_secret_value() if secret else "",
            timeout=timeout,
        )
    if credential.type == OFFICE365:
        ms_secret = settings.microsoft_client_secret
        return OutlookProvider(
            key,
            credential_id=credential.id,
            client_id=settings.microsoft_client_id or "",
            client_secret=ms_secret.get_secret_value() if ms_secret else "",
            timeout=timeout,
        )
    raise CalendarError(f"Calendars of type {credential.type} are not supported")
