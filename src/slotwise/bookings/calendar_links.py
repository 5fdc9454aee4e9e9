"""GET /v2/bookings/{uid}/calendar-links: "add to calendar" links for a booking.

As Cal.com: four ``CalendarLink`` items ``{label, id, link}`` — ``Google Calendar`` (an
``eventedit`` URL with UTC ``dates``), ``Microsoft Office`` (Office 365 compose deep link),
``Microsoft Outlook`` (outlook.live.com compose deep link) and ``Apple Calendar``, whose link is
a ``data:text/calendar,…`` URL holding the booking's iCalendar document
(:func:`slotwise.calendars.ics.booking_ics`, ``METHOD:PUBLISH``, with UID, SEQUENCE, ORGANIZER,
ATTENDEE and the organizer's VTIMEZONE).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings import repository
from slotwise.bookings.access import participant
from slotwise.bookings.titles import location_label
from slotwise.calendars.ics import booking_ics
from slotwise.models import User


def _google_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _microsoft_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + "000Z"


def calendar_links(
    *,
    title: str,
    start: datetime,
    end: datetime,
    description: str | None,
    location: str | None,
    ics: bytes,
) -> list[dict[str, Any]]:
    """The four links for an event ``[start, end)`` (aware instants). ``ics``: the iCalendar
    bytes for the Apple Calendar item. Empty description and location are left out."""
    google: dict[str, str] = {
        "dates": f"{_google_time(start)}/{_google_time(end)}",
        "text": title,
        "details": description or "",
    }
    if location:
        google["location"] = location
    microsoft: dict[str, str] = {
        "body": description or "",
        "enddt": _microsoft_time(end),
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "startdt": _microsoft_time(start),
        "subject": title,
    }
    if location:
        microsoft["location"] = location
    query = urlencode(microsoft, quote_via=quote)
    return [
        {
            "label": "Google Calendar",
            "id": "googleCalendar",
            "link": "https://calendar.google.com/calendar/r/eventedit?"
            + urlencode(google, quote_via=quote),
        },
        {
            "label": "Microsoft Office",
            "id": "microsoftOffice",
            "link": f"https://outlook.office.com/calendar/0/deeplink/compose?{query}",
        },
        {
            "label": "Microsoft Outlook",
            "id": "microsoftOutlook",
            "link": f"https://outlook.live.com/calendar/0/deeplink/compose?{query}",
        },
        {
            "label": "Apple Calendar",
            "id": "ics",
            "link": "data:text/calendar," + quote(ics.decode("utf-8"), safe=""),
        },
    ]


async def booking_calendar_links(
    session: AsyncSession, uid: str, user: User, *, public_url: str
) -> list[dict[str, Any]]:
    """``CalendarLink`` items of booking ``uid`` (its organizer or an attendee; else 404).
    ``public_url``: the server's base URL, for the event's URL in the iCalendar document."""
    loaded = await participant(session, uid, user, lock=False)
    booking = loaded.booking
    attendees = (await repository.attendees_by_booking(session, [booking.id]))[booking.id]
    ics = booking_ics(booking, attendees, loaded.organizer, method="PUBLISH", public_url=public_url)
    return calendar_links(
        title=booking.title,
        start=booking.start_time,
        end=booking.end_time,
        description=booking.description,
        location=location_label(booking.location) or None,
        ics=ics,
    )
