"""Event-type rules: create, read, list, update, delete (Cal.com API v2, 2024-06-14).

Storage: ``title``, ``slug``, ``length`` (lengthInMinutes, minutes), ``hidden`` and
``schedule_id`` are columns; every other field lives in ``EventType.config`` under its Cal.com
name, as given (``bookingFields`` as the merged list of :mod:`slotwise.event_types.booking_fields`;
``locations`` defaulting to Cal Video). ``null`` in an update removes a setting (back to its
default).

Rules checked on the event type's final state, with Cal.com's messages:

- slugs are unique per user → 400 "User already has an event type with this slug.";
- ``scheduleId`` must be one of the user's schedules → 404;
- ``lengthInMinutesOptions`` must include ``lengthInMinutes`` → 400;
- seats exclude several locations, a confirmation policy and recurrence → 400;
- recurrence excludes ``bookerActiveBookingsLimit`` → 400;
- the email booking field must stay required and visible → 400;
- ``customName`` may only use Cal.com's variables and booking-field slugs → 400;
- conferencing integrations other than ``cal-video`` need a connected app → 400.

Another user's event type is reported as not found (404). Services flush, never commit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.event_types import repository
from slotwise.event_types.booking_fields import (
    build_booking_fields,
    effective_booking_fields,
    email_is_accessible,
    with_guests_hidden,
)
from slotwise.event_types.output import CAL_VIDEO
from slotwise.event_types.schemas import (
    CreateEventTypeInput,
    UpdateEventTypeInput,
    given_fields,
)
from slotwise.event_types.settings import EventTypeSettings, parse_settings
from slotwise.kit.errors import BadRequest, NotFound
from slotwise.models import EventType, User
from slotwise.policy.event_types import (
    find_manageable_event_type,
    listable_event_types,
    listed_for,
)
from slotwise.policy.schedules import find_manageable_schedule

SLUG_TAKEN = "User already has an event type with this slug."
EMAIL_FIELD = "checkIsEmailUserAccessible - Email booking field must be required and visible"
_COLUMNS = frozenset({"title", "slug", "lengthInMinutes", "hidden", "scheduleId"})
_NOT_NULL = ("title", "slug", "lengthInMinutes")
NAME_VARIABLES = frozenset(
    v.lower()
    for v in (
        "Event type title", "Organiser", "Scheduler", "Location", "Organiser first name",
        "Scheduler first name", "Scheduler last name", "Event duration", "LOCATION",
        "HOST/ATTENDEE", "HOST", "ATTENDEE", "USER", "Event date", "Event time",
    )
)  # fmt: skip


def slugify(value: str) -> str:
    """A URL-friendly slug (Cal.com's lenient slugify): lower case, accents dropped, runs of
    anything but letters, digits, ``_`` and ``.`` turned into one ``-``."""
    text = unicodedata.normalize("NFKD", value).lower()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w.]+", "-", text)
    return re.sub(r"-{2,}", "-", text).strip("-.")


def _not_found(event_type_id: int) -> NotFound:
    return NotFound(f"Event type with id {event_type_id} not found")


def _check_custom_name(name: str, fields: list[dict[str, Any]]) -> None:
    allowed = NAME_VARIABLES | {str(f.get("slug", "")).lower() for f in fields}
    bad = [v for v in re.findall(r"\{([^{}]*)\}", name) if v.strip().lower() not in allowed]
    if bad:
        raise BadRequest(f"Invalid event name variables: {', '.join('{' + b + '}' for b in bad)}")


def checked_settings(length: int, config: dict[str, Any]) -> EventTypeSettings:
    """``config`` about to be stored, parsed into ``EventTypeSettings`` and checked against the
    cross-field rules (400 ``BadRequest`` on a combination that must not be stored): the
    lengths include ``length`` (minutes); seats exclude several locations, confirmation and
    recurrence; recurrence excludes ``bookerActiveBookingsLimit``; ``customName`` uses known
    variables only."""
    settings = parse_settings(config)
    options = settings.lengths.options
    if options and length not in options:
        raise BadRequest(
            f"lengthInMinutesOptions {list(options)} must include lengthInMinutes ({length})"
        )
    seated = settings.seats.enabled
    if seated and len(settings.locations) > 1:
        raise BadRequest(
            "Seats Validation failed: Seats are enabled but more than one location provided."
        )
    if seated and settings.confirmation.enabled:
        raise BadRequest(
            "Seats Validation failed: Seats are enabled but requiresConfirmation is true."
        )
    if seated and settings.recurrence.enabled:
        raise BadRequest(
            "Seats Validation failed: Seats and recurrence cannot be enabled together."
        )
    if settings.recurrence.enabled and settings.booker_limit.enabled:
        raise BadRequest("Recurrence and bookerActiveBookingsLimit cannot be enabled together.")
    if settings.page.custom_name:
        _check_custom_name(settings.page.custom_name, effective_booking_fields(settings))
    return settings


def _check_locations(locations: list[dict[str, Any]]) -> None:
    for location in locations:
        app = location.get("integration")
        if location.get("type") == "integration" and app != "cal-video":
            raise BadRequest(
                f"{app} not connected. Only the cal-video integration is available; "
                "use a link location for other conferencing tools."
            )


SlugCheck = Callable[[str, bool], Awaitable[bool]]
"""``(slug, creating) → taken?``: whether another event type of the same owner has ``slug``."""
ScheduleCheck = Callable[[int], Awaitable[None]]
"""Raises (404) when the schedule id may not be used by the event type."""


async def apply_fields(
    session: AsyncSession,
    event_type: EventType,
    body: CreateEventTypeInput | UpdateEventTypeInput,
    *,
    creating: bool,
    slug_taken: SlugCheck,
    slug_message: str,
    check_schedule: ScheduleCheck,
    skip: frozenset[str] = frozenset(),
) -> None:
    """Apply the event-type fields the client sent (``body``; fields in ``skip`` are left to
    the caller) to ``event_type``: columns, ``config`` and the module's rules, for personal and
    team event types alike. ``slug_taken`` and ``check_schedule`` decide what depends on the
    owner (user or team); a taken slug is 400 ``slug_message``."""
    given = {k: v for k, v in given_fields(body).items() if k not in skip}
    for key in _NOT_NULL:
        if key in given and given[key] is None:
            raise BadRequest(f"{key} must not be null")
    if "title" in given:
        event_type.title = given["title"]
    if "lengthInMinutes" in given:
        event_type.length = given["lengthInMinutes"]
    if "hidden" in given:
        event_type.hidden = bool(given["hidden"])
    if "slug" in given:
        slug = slugify(given["slug"])
        if not slug:
            raise BadRequest(f"slug '{given['slug']}' must contain letters or digits")
        if (creating or slug != event_type.slug) and await slug_taken(slug, creating):
            raise BadRequest(slug_message)
        event_type.slug = slug
    if "scheduleId" in given:
        schedule_id = given["scheduleId"]
        if schedule_id is not None:
            await check_schedule(schedule_id)
        event_type.schedule_id = schedule_id
    if given.get("locations"):
        _check_locations(given["locations"])

    config = dict(event_type.config or {})
    for key, value in given.items():
        if key in _COLUMNS or key == "bookingFields":
            continue
        if value is None or (key == "recurrence" and value.get("disabled")):
            config.pop(key, None)
        else:
            config[key] = value
    if creating and not config.get("locations"):
        config["locations"] = [dict(CAL_VIDEO)]
    if "bookingFields" in given:
        if body.bookingFields is None:
            config.pop("bookingFields", None)
        else:
            fields = build_booking_fields(body.bookingFields)
            if not email_is_accessible(fields):
                raise BadRequest(EMAIL_FIELD)
            config["bookingFields"] = fields
    if given.get("disableGuests") is not None:
        config["bookingFields"] = with_guests_hidden(
            effective_booking_fields(config), given["disableGuests"]
        )
    checked_settings(event_type.length, config)
    event_type.config = config


async def _apply(
    session: AsyncSession,
    user: User,
    event_type: EventType,
    body: CreateEventTypeInput | UpdateEventTypeInput,
    *,
    creating: bool,
) -> None:
    async def slug_taken(slug: str, creating: bool) -> bool:
        return await repository.slug_taken(
            session, user.id, slug, excluding_id=None if creating else event_type.id
        )

    async def check_schedule(schedule_id: int) -> None:
        if await find_manageable_schedule(session, user, schedule_id) is None:
            raise NotFound(f"User with ID={user.id} does not own schedule with ID={schedule_id}")

    await apply_fields(
        session,
        event_type,
        body,
        creating=creating,
        slug_taken=slug_taken,
        slug_message=SLUG_TAKEN,
        check_schedule=check_schedule,
    )


async def flush_slug(session: AsyncSession, message: str = SLUG_TAKEN) -> None:
    """Flush; a slug unique constraint violated by a concurrent request → 400 ``message``."""
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent request took the slug first
        if "slug" in str(exc.orig).lower():
            raise BadRequest(message) from exc
        raise


async def create_event_type(
    session: AsyncSession, user: User, body: CreateEventTypeInput
) -> EventType:
    """Create an event type owned by ``user``, its one (mandatory) host; raises
    BadRequest/NotFound per the module rules."""
    event_type = EventType(
        user_id=user.id,
        title=body.title,
        slug="",
        length=body.lengthInMinutes,
        hidden=False,
        schedule_id=None,
        position=0,
        config={},
    )
    await _apply(session, user, event_type, body, creating=True)
    session.add(event_type)
    await flush_slug(session)
    await repository.add_owner_host(session, event_type)
    return event_type


async def get_event_type(session: AsyncSession, user: User, event_type_id: int) -> EventType:
    """The user's event type; 404 when missing or someone else's."""
    event_type = await find_manageable_event_type(session, user, event_type_id)
    if event_type is None:
        raise _not_found(event_type_id)
    return event_type


async def update_event_type(
    session: AsyncSession, user: User, event_type_id: int, body: UpdateEventTypeInput
) -> EventType:
    """Apply the fields given to the user's event type (404 when missing or someone else's)."""
    event_type = await get_event_type(session, user, event_type_id)
    await _apply(session, user, event_type, body, creating=False)
    await flush_slug(session)
    return event_type


async def delete_event_type(session: AsyncSession, user: User, event_type_id: int) -> EventType:
    """Delete the user's event type and return it (its bookings keep their history)."""
    event_type = await find_manageable_event_type(session, user, event_type_id)
    if event_type is None:
        raise NotFound(f"Event type with ID={event_type_id} does not exist.")
    await session.delete(event_type)
    await session.flush()
    return event_type


@dataclass
class Listing:
    """What GET /v2/event-types returns: ``owner``'s ``event_types``, or the dynamic group
    event of ``dynamic_users``."""

    owner: User | None
    event_types: Sequence[EventType] = ()
    dynamic_users: list[User] | None = field(default=None)


async def list_event_types(
    session: AsyncSession,
    caller: User | None,
    *,
    username: str | None = None,
    event_slug: str | None = None,
    usernames: str | None = None,
    sort: str | None = None,
) -> Listing:
    """Cal.com's lookup order: ``username``+``eventSlug`` (one or none), ``username`` (hidden ones
    only for the owner), ``usernames`` (dynamic group event), else the caller's own event types
    (none for an anonymous caller). Unknown usernames give an empty list.

    Raises BadRequest for ``eventSlug`` without ``username``.
    """
    newest_first = sort == "desc"
    if event_slug and not username:
        raise BadRequest("eventSlug needs username: event type slugs are unique per user only")
    if username:
        owner = await repository.user_by_username(session, username)
        if owner is None:
            return Listing(None)
        if event_slug:
            found = await repository.user_event_type_by_slug(session, owner.id, event_slug)
            if found is None or not listed_for(caller, found):
                return Listing(owner)
            return Listing(owner, [found])
        rows = await repository.user_event_types(
            session, listable_event_types(caller, owner.id), newest_first=newest_first
        )
        return Listing(owner, rows)
    if usernames:
        users = await repository.existing_users_by_usernames(session, usernames.split(","))
        return Listing(None, dynamic_users=users)
    if caller is not None:
        rows = await repository.user_event_types(
            session, listable_event_types(caller, caller.id), newest_first=newest_first
        )
        return Listing(caller, rows)
    return Listing(None)
