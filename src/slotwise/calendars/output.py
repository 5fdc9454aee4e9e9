"""Response shapes of the calendar operations (Cal.com's ``ConnectedCalendarsData``,
``ConnectedCalendar``, ``Calendar``, ``DestinationCalendar``, ``CreateIcsFeedOutput``,
``DeletedCalendarCredentialsOutputDto``, ``SelectedCalendarOutputDto``,
``DestinationCalendarsOutputDto``, ``BusyTimesOutput``). Credentials' keys never appear."""

from __future__ import annotations

from typing import Any

from slotwise.calendars.base import (
    APP_IDS,
    APPLE,
    CALDAV,
    GOOGLE,
    ICS_FEED,
    OFFICE365,
    BusySpan,
    CalendarInfo,
)
from slotwise.kit.envelope import iso_utc
from slotwise.models import CalendarCredential, DestinationCalendar

_APPS: dict[str, tuple[str, str, str]] = {
    APPLE: ("Apple Calendar", "applecalendar", "Apple's iCloud calendars, through CalDAV"),
    CALDAV: ("CalDav", "caldavcalendar", "Any CalDAV server: Nextcloud, Fastmail, Radicale…"),
    ICS_FEED: ("ICS Feed", "ics-feedcalendar", "Read-only calendars published as ICS URLs"),
    GOOGLE: ("Google Calendar", "googlecalendar", "Google Calendar, through its API"),
    OFFICE365: ("Outlook Calendar", "office365calendar", "Outlook / Office 365, through Graph"),
}


def integration(type_: str) -> dict[str, Any]:
    """Cal.com's ``Integration`` object (app metadata) of an integration type."""
    name, dir_name, description = _APPS.get(type_, (type_, type_, type_))
    slug = APP_IDS.get(type_, type_)
    return {
        "name": name,
        "title": name,
        "description": description,
        "type": type_,
        "variant": "calendar",
        "category": "calendar",
        "categories": ["calendar"],
        "logo": f"/app-store/{dir_name}/icon.svg",
        "publisher": "Slotwise",
        "slug": slug,
        "dirName": dir_name,
        "url": "https://github.com/slotwise/slotwise/blob/main/docs/calendars.md",
        "email": "",
        "locationOption": None,
        "installed": True,
    }


def calendar_output(
    info: CalendarInfo, credential: CalendarCredential, selected: bool
) -> dict[str, Any]:
    """One ``Calendar`` of a connection."""
    out: dict[str, Any] = {
        "externalId": info.external_id,
        "integration": credential.type,
        "name": info.name,
        "primary": info.primary or None,
        "readOnly": info.read_only,
        "isSelected": selected,
        "credentialId": credential.id,
        "delegationCredentialId": None,
    }
    if info.email:
        out["email"] = info.email
    return out


def destination_output(row: DestinationCalendar, info: dict[str, Any] | None) -> dict[str, Any]:
    """``DestinationCalendar`` of the connected-calendars answer (``info``: the matching
    ``Calendar`` output when the calendar was listed)."""
    out: dict[str, Any] = {
        "id": row.id,
        "integration": row.integration,
        "externalId": row.external_id,
        "primaryEmail": row.primary_email,
        "userId": row.user_id,
        "eventTypeId": row.event_type_id,
        "credentialId": row.credential_id,
        "delegationCredentialId": None,
        "name": info.get("name") if info else None,
        "primary": bool(info.get("primary")) if info else False,
        "readOnly": bool(info.get("readOnly")) if info else False,
        "integrationTitle": _APPS.get(row.integration, (row.integration,))[0],
    }
    if info and info.get("email"):
        out["email"] = info["email"]
    return out


def credential_output(credential: CalendarCredential) -> dict[str, Any]:
    """``CreateIcsFeedOutput`` / ``DeletedCalendarCredentialsOutputDto``."""
    return {
        "id": credential.id,
        "type": credential.type,
        "userId": credential.user_id,
        "teamId": None,
        "appId": credential.app_id,
        "invalid": credential.invalid,
    }


def busy_output(span: BusySpan) -> dict[str, Any]:
    """``BusyTimesOutput``: UTC ISO times and the source calendar."""
    return {"start": iso_utc(span.start), "end": iso_utc(span.end), "source": span.source}
