"""Which emails a recorded booking change sends, built from the database in the change's
transaction (:mod:`slotwise.bookings.history` actions → email kinds).

``created`` → created (or rescheduled, when the booking replaces an older one), ``requested`` →
requested, ``confirmed`` → confirmed, ``rejected`` → declined, ``cancelled`` → cancelled
(reschedule_requested when the organizer asked the attendee to book again; seat_cancelled when one
seat of a seated booking that keeps others was given up). The ``rescheduled`` action on the
replaced booking and ``no_show`` send nothing: the new booking's own ``created``/``requested``
record carries the move, with the same iCalendar UID and a higher SEQUENCE, so calendars update
the event in place.

As Cal.com does:

- a change about one seat (``seatUid`` in the event's data) emails that seat's attendee and the
  host only; attendees of a seated booking whose event type does not set
  ``seats.showAttendeeInfo`` see only themselves in the email and its .ics;
- a recurring series is announced once, by its first occurrence (``occurrence`` 1, with the
  series' rule: a "Repeats" line and an ``RRULE``); later occurrences send nothing;
- a request to reschedule sends the attendee a link to book again at the same event type;
- an attendee's email about an upcoming booking (created, requested, confirmed, rescheduled)
  has Reschedule and Cancel links to the booking page's own actions (the Booker with
  ``rescheduleUid``, ``/booking/{uid}?cancel=true`` with the seat's ``seatReferenceUid``), each
  left out when the event type disables it; seats get no reschedule link, as on the page.
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Any, cast
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings import repository
from slotwise.bookings.output import is_seated, shows_attendees
from slotwise.config import Settings
from slotwise.email.messages import (
    MANAGEABLE,
    EmailKind,
    Recipient,
    action_links,
    email_ics,
    emails_hosts,
    recipients_for,
    render_booking_email,
)
from slotwise.event_types.settings import settings_of
from slotwise.models import Attendee, Booking, BookingEvent, BookingHost, EventType, User


def email_kind_for(action: str, data: dict[str, Any] | None) -> EmailKind | None:
    """The email kind of lifecycle ``action`` (with its event ``data``), or None for no email.

    Occurrences after the first of a recurring series send nothing when created, requested,
    confirmed or declined together (the first announces the series)."""
    data = data or {}
    if action in ("created", "requested", "confirmed", "rejected") and (
        int(data.get("occurrence") or 1) > 1
    ):
        return None
    if action == "created":
        return "rescheduled" if data.get("fromUid") else "created"
    if action == "cancelled":
        if data.get("rescheduleRequested"):
            return "reschedule_requested"
        return "seat_cancelled" if data.get("seatOnly") else "cancelled"
    mapping: dict[str, EmailKind] = {
        "requested": "requested",
        "confirmed": "confirmed",
        "rejected": "declined",
        "cancelled": "cancelled",
    }
    return mapping.get(action)


async def _previous_times(
    session: AsyncSession, uid: str | None
) -> tuple[datetime, datetime] | None:
    if not uid:
        return None
    row = (
        await session.execute(
            select(Booking.start_time, Booking.end_time).where(Booking.uid == uid)
        )
    ).first()
    return (row[0], row[1]) if row is not None else None


@dataclass(frozen=True)
class PlannedEmail:
    """One email a booking change sends: its ``kind``, ``recipient`` and ``snapshot`` (what
    :func:`booking_snapshot` returns for the attendees this recipient may see, plus
    ``extras``: see :func:`slotwise.email.messages.render_booking_email`)."""

    kind: EmailKind
    recipient: Recipient
    snapshot: dict[str, Any]


def _same(a: str, b: str) -> bool:
    return a.lower() == b.lower()


async def _series_ical_uid(session: AsyncSession, recurring_uid: str) -> str | None:
    """The iCalendar UID the series was announced with: its first occurrence's."""
    return await session.scalar(
        select(Booking.ical_uid)
        .where(Booking.recurring_booking_uid == recurring_uid)
        .order_by(Booking.start_time, Booking.id)
        .limit(1)
    )


async def _extras(
    session: AsyncSession,
    kind: EmailKind,
    booking: Booking,
    data: dict[str, Any],
    organizer: User,
    event_type: EventType | None,
) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    if data.get("seatUid"):
        extras["person"] = data.get("seatAttendeeName") or data.get("seatAttendeeEmail")
        if kind == "seat_cancelled" and data.get("reason"):
            extras["reason"] = data["reason"]
    occurrences = int(data.get("occurrences") or 1)
    if data.get("recurringBookingUid") and occurrences > 1 and event_type is not None:
        rule = settings_of(event_type).recurrence
        if rule.enabled:
            extras["recurrence"] = {
                "frequency": rule.frequency,
                "interval": rule.interval,
                "count": occurrences,
            }
    if kind == "cancelled" and booking.recurring_booking_uid:
        series_uid = await _series_ical_uid(session, booking.recurring_booking_uid)
        extras["series"] = {
            "icalUid": series_uid or booking.ical_uid,
            "cancelled": [booking.start_time.isoformat()],
        }
    if kind in MANAGEABLE and event_type is not None:
        settings = settings_of(event_type)
        blocked = settings.rescheduling.disabled and settings.rescheduling.minutes_before is None
        extras["manage"] = {
            "reschedule": None
            if blocked or is_seated(event_type, [])
            else f"/{quote(organizer.username, safe='')}/{quote(event_type.slug, safe='')}"
            f"?rescheduleUid={quote(booking.uid, safe='')}",
            "cancel": not settings.cancelling_disabled,
        }
    if kind == "reschedule_requested" and event_type is not None:
        extras["rebookPath"] = (
            f"/{quote(organizer.username, safe='')}/{quote(event_type.slug, safe='')}"
            f"?rescheduleUid={quote(booking.uid, safe='')}"
        )
    return extras


async def planned_emails(
    session: AsyncSession, booking: Booking, event: BookingEvent
) -> list[PlannedEmail]:
    """The emails ``event`` (just recorded on ``booking``) sends, one per recipient; ``[]``
    when none. Loads the organizer, attendees and event type (and the previous booking after a
    reschedule, the series' first occurrence for a cancelled occurrence)."""
    data = dict(event.data or {})
    if event.action == "reassigned":
        return await _reassigned_emails(session, booking, data)
    kind = email_kind_for(event.action, data)
    if kind is None:
        return []
    organizer = await session.get_one(User, booking.user_id)
    attendees = (await repository.attendees_by_booking(session, [booking.id]))[booking.id]
    event_type = (
        await session.get(EventType, booking.event_type_id) if booking.event_type_id else None
    )
    previous = await _previous_times(session, data.get("fromUid") or booking.rescheduled_from_uid)
    seat_email = str(data["seatAttendeeEmail"]) if data.get("seatUid") else None
    hide_others = is_seated(event_type, attendees) and not shows_attendees(event_type)
    extras = await _extras(session, kind, booking, data, organizer, event_type)
    planned = []
    team = await _booking_hosts(session, booking.id)
    for recipient in _as_hosts(
        kind, recipients_for(kind, attendees, organizer, seat_email=seat_email), team
    ):
        shown = list(attendees)
        if recipient.role == "attendee" and (hide_others or kind == "seat_cancelled"):
            shown = [a for a in attendees if _same(a.email, recipient.email)]
        elif kind == "seat_cancelled" and seat_email is not None:
            shown = [a for a in attendees if not _same(a.email, seat_email)]
        snapshot = booking_snapshot(booking, shown, organizer, previous)
        if kind == "seat_cancelled" and recipient.role == "attendee":
            # the seat's CANCEL must supersede the invite it got (RFC 5546)
            snapshot["booking"]["ical_sequence"] = (booking.ical_sequence or 0) + 1
        snapshot["extras"] = extras
        planned.append(PlannedEmail(kind, recipient, snapshot))
    return planned


async def _booking_hosts(session: AsyncSession, booking_id: int) -> dict[str, User]:
    """The booking's hosts besides its organizer (``booking_hosts``), by lower-cased email."""
    users = await session.scalars(
        select(User)
        .join(BookingHost, BookingHost.user_id == User.id)
        .where(BookingHost.booking_id == booking_id)
    )
    return {u.email.lower(): u for u in users}


def _as_hosts(
    kind: EmailKind, recipients: list[Recipient], team: dict[str, User]
) -> list[Recipient]:
    """The other booked hosts of a team booking are listed among its attendees (as Cal.com's
    team members); they get the host's email, in their own zone and language, and nothing
    for a kind without a host version."""
    if not team:
        return recipients
    out = []
    for r in recipients:
        user = team.get(r.email.lower()) if r.role == "attendee" else None
        if user is None:
            out.append(r)
        elif emails_hosts(kind):
            out.append(_host(user))
    return out


def _host(user: User) -> Recipient:
    return Recipient(
        user.email,
        user.name or "",
        "host",
        user.time_zone,
        user.locale or "en",
        user.time_format if user.time_format in (12, 24) else None,
    )


async def _reassigned_emails(
    session: AsyncSession, booking: Booking, data: dict[str, Any]
) -> list[PlannedEmail]:
    """A round-robin reassignment (Cal.com's round-robin emails): the new host is told the
    booking is scheduled for them, the previous host that it was cancelled for them."""
    organizer = await session.get_one(User, booking.user_id)
    attendees = (await repository.attendees_by_booking(session, [booking.id]))[booking.id]
    out: list[PlannedEmail] = []
    for key, kind in (("toUserId", "created"), ("fromUserId", "cancelled")):
        user = await session.get(User, data[key]) if isinstance(data.get(key), int) else None
        if user is None:
            continue
        snapshot = booking_snapshot(booking, attendees, organizer, None)
        snapshot["extras"] = {"reason": data["reason"]} if data.get("reason") else {}
        out.append(PlannedEmail(cast(EmailKind, kind), _host(user), snapshot))
    return out


def render_planned(
    kind: EmailKind,
    recipient: Recipient,
    snapshot: dict[str, Any],
    *,
    settings: Settings,
    secret_key: bytes,
) -> EmailMessage:
    """The message of a planned email (``snapshot`` as in :class:`PlannedEmail`), rendered
    with ``settings`` (public URL, sender); ``secret_key`` signs the organizer's confirm/decline
    links. Raises KeyError/ValueError for a malformed snapshot."""
    booking, attendees, organizer, previous = restore_snapshot(snapshot)
    extras = dict(snapshot.get("extras") or {})
    links = None
    if kind == "requested" and recipient.role == "host" and _same(recipient.email, organizer.email):
        links = action_links(booking, organizer, settings, secret_key)
    ics = email_ics(
        kind,
        recipient.role,
        booking,
        attendees,
        organizer,
        public_url=settings.base_url,
        extras=extras,
    )
    return render_booking_email(
        kind,
        recipient,
        booking,
        attendees,
        organizer,
        settings=settings,
        ics=ics,
        previous=previous,
        links=links,
        extras=extras,
    )


async def booking_event_emails(
    session: AsyncSession,
    booking: Booking,
    event: BookingEvent,
    *,
    settings: Settings,
    secret_key: bytes,
) -> list[EmailMessage]:
    """The messages that ``event`` (just recorded on ``booking``) sends; ``[]`` when none
    (see :func:`planned_emails`). ``secret_key`` signs the organizer's confirm/decline links."""
    return [
        render_planned(p.kind, p.recipient, p.snapshot, settings=settings, secret_key=secret_key)
        for p in await planned_emails(session, booking, event)
    ]


def message_to_text(message: EmailMessage) -> str:
    """``message`` serialised (ASCII, every non-ASCII part already encoded) for a job payload."""
    return message.as_string(policy=email.policy.default)


def message_from_text(text: str) -> EmailMessage:
    """The inverse of :func:`message_to_text`."""
    return email.message_from_string(text, _class=EmailMessage, policy=email.policy.default)


_BOOKING_FIELDS = (
    "id", "uid", "user_id", "title", "description", "status", "location", "ical_uid",
    "ical_sequence", "cancellation_reason", "rejection_reason", "reschedule_reason",
    "rescheduled_from_uid",
)  # fmt: skip
_BOOKING_TIMES = ("start_time", "end_time", "created_at")
_ATTENDEE_FIELDS = ("name", "email", "time_zone", "language", "seat_uid")
_ORGANIZER_FIELDS = ("id", "name", "email", "time_zone", "locale", "time_format")


def booking_snapshot(
    booking: Booking,
    attendees: list[Attendee],
    organizer: User,
    previous: tuple[datetime, datetime] | None,
) -> dict[str, Any]:
    """What an email needs of a booking at the moment of a change, as JSON (instants as ISO
    8601 UTC), so the email shows that moment even when it is sent later."""
    data: dict[str, Any] = {name: getattr(booking, name) for name in _BOOKING_FIELDS}
    data.update({name: getattr(booking, name).isoformat() for name in _BOOKING_TIMES})
    return {
        "booking": data,
        "attendees": [{name: getattr(a, name) for name in _ATTENDEE_FIELDS} for a in attendees],
        "host": {name: getattr(organizer, name) for name in _ORGANIZER_FIELDS},
        "previous": [previous[0].isoformat(), previous[1].isoformat()] if previous else None,
    }


def restore_snapshot(
    snapshot: dict[str, Any],
) -> tuple[Booking, list[Attendee], User, tuple[datetime, datetime] | None]:
    """The inverse of :func:`booking_snapshot`: detached (never added to a session) model
    objects. Raises KeyError/ValueError for a malformed snapshot."""
    values = dict(snapshot["booking"])
    for name in _BOOKING_TIMES:
        values[name] = datetime.fromisoformat(values[name])
    booking = Booking(**values)
    attendees = [Attendee(**a) for a in snapshot["attendees"]]
    organizer = User(**snapshot["host"])
    prev = snapshot.get("previous")
    previous = (datetime.fromisoformat(prev[0]), datetime.fromisoformat(prev[1])) if prev else None
    return booking, attendees, organizer, previous
