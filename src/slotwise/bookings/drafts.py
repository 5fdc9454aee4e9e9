"""The time-independent half of POST /v2/bookings, shared by regular, recurring and seated
bookings: validate the request into a :class:`Draft`, and insert a booking row of a draft
(with a :func:`new_uid`).

Order, following Cal.com's API v2 and core handler (cal-semantics §5.1–§5.7): load the event
type (404), refuse instant bookings, authentication when the event type requires it,
``lengthInMinutes``, guests, the booking-field responses (:mod:`.fields`) and location.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.availability.loader import (
    EventTypeHost,
    dynamic_event_type,
    event_type_hosts,
    event_type_with_hosts,
)
from slotwise.bookings.fields import check_responses, guests_from
from slotwise.bookings.location import resolve_location
from slotwise.bookings.schemas import CreateBookingInput
from slotwise.bookings.titles import booking_title
from slotwise.event_types.booking_fields import effective_booking_fields
from slotwise.event_types.managed import is_managed_parent, parent_not_bookable_message
from slotwise.event_types.repository import (
    event_type_by_slug,
    team_event_type_by_slug,
    user_event_type_by_slug,
    users_by_usernames,
)
from slotwise.event_types.settings import settings_of
from slotwise.kit.errors import BadRequest, NotFound, Unprocessable
from slotwise.models import Attendee, Booking, BookingHost, EventType, User
from slotwise.policy.event_types import check_may_book_restricted

AUTH_REQUIRED = (
    "checkBookingRequiresAuthentication - request must be authenticated by passing credentials "
    "belonging to event type owner, host or team or org admin or owner."
)


def new_uid() -> str:
    """A fresh booking uid: 22 random URL-safe characters (like Cal.com's short uuids)."""
    return secrets.token_urlsafe(16)


async def _dynamic_group(session: AsyncSession, body: CreateBookingInput) -> tuple[EventType, User]:
    """A dynamic group booking (extension ``usernames``): every user a collective host, the first
    one organising; the event type is transient (:func:`dynamic_event_type`)."""
    if body.eventTypeId is not None or body.username or body.teamSlug:
        raise BadRequest(
            "usernames (a dynamic group booking) can't be combined with eventTypeId, username "
            "or teamSlug: pass usernames with eventTypeSlug, or usernames alone."
        )
    names = list(dict.fromkeys(n.strip().lower() for n in body.usernames or [] if n.strip()))
    if len(names) < 2:
        raise BadRequest("usernames must contain at least 2 different usernames.")
    users = await users_by_usernames(session, names)
    base = None
    if body.eventTypeSlug:
        base = await user_event_type_by_slug(session, users[0].id, body.eventTypeSlug)
        if base is None:
            raise NotFound(
                f"Event type with slug {body.eventTypeSlug} belonging to user {names[0]} not found."
            )
    return dynamic_event_type(users, base), users[0]


NO_HOSTS = (
    "Can't book this team event type because it has no hosts. Please, add at least 1 host to "
    "event type with id={id} belonging to team with id={team} and try again."
)


async def _event_type(
    session: AsyncSession, body: CreateBookingInput
) -> tuple[EventType, User, list[EventTypeHost] | None]:
    """The event type to book, a user to start from — its owner, or for a team event type (no
    owner) its first host, whom the assignment may replace — and its hosts when they were read
    with it (by ``eventTypeId``: one statement), else None. 404 unknown; 400 a managed parent
    (Cal.com's message); 422 a team event type without (accepted) hosts."""
    owner: User | None
    hosts: list[EventTypeHost] | None = None
    if body.usernames is not None:
        event_type, owner = await _dynamic_group(session, body)
        return event_type, owner, None
    if body.eventTypeId is not None:
        found = await event_type_with_hosts(session, body.eventTypeId)
        if found is None:
            raise NotFound(f"Event type with id {body.eventTypeId} not found.")
        event_type, owner, hosts = found
    elif body.eventTypeSlug and body.username:
        event_type, owner = await event_type_by_slug(session, body.username, body.eventTypeSlug)
    elif body.eventTypeSlug and body.teamSlug:
        if body.organizationSlug:
            raise NotFound(f"Organization with slug {body.organizationSlug} not found")
        event_type = await team_event_type_by_slug(session, body.teamSlug, body.eventTypeSlug)
        owner = None
    else:
        raise BadRequest(
            "Either eventTypeId or eventTypeSlug + username must be provided to identify the "
            "event type to book."
        )
    if is_managed_parent(event_type):
        raise BadRequest(parent_not_bookable_message(event_type.id))
    if owner is None:
        if hosts is None:
            hosts = await event_type_hosts(session, event_type)
        if not hosts:
            raise Unprocessable(NO_HOSTS.format(id=event_type.id, team=event_type.team_id))
        owner = hosts[0].user
    return event_type, owner, hosts


def _check_length(event_type: EventType, wanted: int | None) -> int:
    """The booking length in minutes; Cal.com's two 400s for a bad ``lengthInMinutes``."""
    if wanted is None:
        return event_type.length
    options = settings_of(event_type).lengths.options
    if options is None:
        raise BadRequest(
            "Can't specify 'lengthInMinutes' because event type does not have multiple possible "
            "lengths. Please, remove the 'lengthInMinutes' field from the request."
        )
    allowed = list(options)
    if wanted not in allowed:
        raise BadRequest(
            "Provided 'lengthInMinutes' is not one of the possible lengths for the event type. "
            "The possible lengths are: " + ", ".join(str(x) for x in allowed)
        )
    return wanted


def _check_variant(body: CreateBookingInput) -> None:
    if body.instant:
        raise BadRequest(
            "Instant bookings are only supported for team event types, not individual user "
            "event types."
        )


def _check_auth(event_type: EventType, caller: User | None) -> None:
    if not settings_of(event_type).page.booking_requires_authentication:
        return
    check_may_book_restricted(event_type, caller, AUTH_REQUIRED)


def _guests(event_type: EventType, given: list[str] | None, booker_email: str) -> list[str]:
    """The guests to add: the booker and duplicates dropped (case-insensitive); 400 when the
    event type does not allow guests (``disableGuests`` or a hidden ``guests`` field)."""
    if not given:
        return []
    guests_field = next(
        (f for f in effective_booking_fields(settings_of(event_type)) if f.get("slug") == "guests"),
        None,
    )
    if settings_of(event_type).page.disable_guests or (guests_field or {}).get("hidden"):
        raise BadRequest(
            f"Event type with id={event_type.id} does not allow guests (disableGuests): remove "
            "'guests' from the request."
        )
    booker = booker_email.lower()
    out: list[str] = []
    for guest in given:
        email = str(guest)
        if email.lower() != booker and email.lower() not in (g.lower() for g in out):
            out.append(email)
    return out


@dataclass
class Draft:
    """A validated create request, before any time is checked: the event type and its owner
    (the organizer), the booker, the length in minutes, the stored responses (name, email,
    guests, custom fields), the guests' emails and the stored location. ``hosts``: the event
    type's hosts when they were read with it (for :func:`.bookable.lock_event_type_hosts`),
    else None."""

    body: CreateBookingInput
    event_type: EventType
    organizer: User
    length: int
    responses: dict[str, Any]
    guests: list[str]
    location: str | None
    hosts: list[EventTypeHost] | None = None

    @property
    def booker_email(self) -> str:
        """The booker's email as given."""
        return str(self.body.attendee.email)


async def prepare(session: AsyncSession, body: CreateBookingInput, *, caller: User | None) -> Draft:
    """Validate everything of a create request that does not depend on the time (cal-semantics
    §5.1): event type (404), variant, authentication (401/403), booker email, length, guests,
    booking-field responses and location (400s with Cal.com's messages)."""
    event_type, organizer, hosts = await _event_type(session, body)
    _check_variant(body)
    _check_auth(event_type, caller)
    attendee = body.attendee
    if not attendee.email:
        raise BadRequest("attendee.email is required")
    length = _check_length(event_type, body.lengthInMinutes)
    responses: dict[str, Any] = dict(body.bookingFieldsResponses or {})
    given_guests = guests_from(responses, [str(g) for g in body.guests] if body.guests else None)
    guests = _guests(event_type, given_guests, str(attendee.email))
    check_responses(event_type, responses, phone_number=attendee.phoneNumber, guests=guests)
    location = resolve_location(event_type, body.location, body.meetingUrl)
    responses.update({"name": attendee.name, "email": str(attendee.email), "guests": guests})
    if attendee.phoneNumber:
        responses["attendeePhoneNumber"] = attendee.phoneNumber
    if location:
        responses.setdefault("location", location)
    return Draft(body, event_type, organizer, length, responses, guests, location, hosts)


ASSIGNMENT_KEY = "slotwiseAssignment"
"""Booking metadata key holding the explanation of a round-robin assignment (extension)."""


def _metadata(given: dict[str, Any] | None, explanation: dict[str, Any] | None) -> dict[str, Any]:
    out = dict(given or {})
    if explanation is not None:
        out[ASSIGNMENT_KEY] = explanation
    return out


def host_attendees(booking_id: int, hosts: Sequence[User]) -> list[Attendee]:
    """Attendee rows of a booking's other hosts (Cal.com lists a team booking's other hosts
    among its attendees), in their own zone and locale."""
    return [
        Attendee(
            booking_id=booking_id,
            name=user.name or user.username,
            email=user.email,
            time_zone=user.time_zone,
            language=user.locale or "en",
        )
        for user in hosts
    ]


def booker_row(draft: Draft, booking_id: int) -> Attendee:
    """The booker's Attendee row for booking ``booking_id`` (language ``en`` by default)."""
    attendee = draft.body.attendee
    return Attendee(
        booking_id=booking_id,
        name=attendee.name,
        email=str(attendee.email),
        time_zone=attendee.timeZone,
        language=attendee.language or "en",
        phone_number=attendee.phoneNumber,
    )


async def insert_booking(
    session: AsyncSession,
    draft: Draft,
    *,
    start: datetime,
    status: str,
    now: datetime,
    recurring_uid: str | None = None,
    seat: dict[str, Any] | None = None,
    hosts: Sequence[User] = (),
    explanation: dict[str, Any] | None = None,
) -> tuple[Booking, list[Attendee]]:
    """Insert a booking of ``draft`` at ``start`` (UTC; ends ``draft.length`` minutes later)
    with its attendees (booker first, then guests) and return both. Nothing is checked here.

    ``recurring_uid``: the series the booking belongs to. ``seat``: for a seated event type,
    the booker's seat ``{"seatUid", "data"}``; the booking then keeps no responses or
    description of its own (they live on the seat, as Cal.com's BookingSeat). ``hosts``: the
    booking's hosts besides ``draft.organizer`` (``bookable.Assignment.hosts``), stored as
    ``booking_hosts`` rows and, as Cal.com adds team members, as attendees after the guests
    (not for a seated booking, whose attendees are its seats). ``explanation``: why a
    round-robin booking went to its hosts, stored as ``metadata.slotwiseAssignment``. Flushes.
    """
    event_type, organizer, body = draft.event_type, draft.organizer, draft.body
    end = start + timedelta(minutes=draft.length)
    notes = draft.responses.get("notes")
    uid = new_uid()
    booking = Booking(
        uid=uid,
        user_id=organizer.id,
        event_type_id=event_type.id,
        title=booking_title(
            template=settings_of(event_type).page.custom_name,
            event_title=event_type.title,
            organizer_name=organizer.name,
            attendee_name=body.attendee.name,
            duration=draft.length,
            location=draft.location,
            responses=draft.responses,
            start=start,
            organizer_time_zone=organizer.time_zone,
        ),
        description=notes if isinstance(notes, str) and notes and seat is None else None,
        status=status,
        start_time=start,
        end_time=end,
        before_buffer=settings_of(event_type).buffers.before,
        after_buffer=settings_of(event_type).buffers.after,
        location=draft.location,
        metadata_=_metadata(body.metadata if seat is None else None, explanation),
        responses=dict(draft.responses) if seat is None else {},
        ical_uid=f"{uid}@slotwise",
        ical_sequence=0,
        recurring_booking_uid=recurring_uid,
        created_at=now,
        updated_at=now,
    )
    session.add(booking)
    await session.flush()
    session.add_all(BookingHost(booking_id=booking.id, user_id=user.id) for user in hosts)
    people = [booker_row(draft, booking.id)]
    if seat is not None:
        people[0].seat_uid = seat["seatUid"]
        people[0].seat_data = seat["data"]
    people += [
        Attendee(
            booking_id=booking.id,
            name="",
            email=guest,
            time_zone=body.attendee.timeZone,
            language="en",
        )
        for guest in draft.guests
    ]
    if seat is None:
        people += host_attendees(booking.id, hosts)
    session.add_all(people)
    await session.flush()
    return booking, people
