"""The rules of the calendar operations: connecting (ICS feeds, Apple and generic CalDAV),
listing, checking and disconnecting connections, choosing selected and destination calendars,
and reading a calendar's busy times. Cal.com's ``CalendarsService``, ``IcsFeedService``,
``AppleCalendarService``, ``SelectedCalendarsController`` and ``DestinationCalendarsService``
behaviour; statuses and messages as theirs (docs/calendars.md).

Services flush, never commit. Provider calls (connect, list, check) happen before anything is
written, so a refused connection stores nothing.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.calendars import busy
from slotwise.calendars.base import (
    APP_IDS,
    APPLE,
    CALDAV,
    GOOGLE,
    ICS_FEED,
    OFFICE365,
    BusySpan,
    CalendarAuthError,
    CalendarError,
    CalendarInfo,
)
from slotwise.calendars.connections import credential_key, dump_key, provider_for
from slotwise.calendars.google import GoogleProvider
from slotwise.calendars.google import get_event as google_get_event
from slotwise.calendars.google import patch_event as google_patch_event
from slotwise.calendars.icsfeed import IcsFeedProvider, check_user_url
from slotwise.calendars.output import (
    calendar_output,
    credential_output,
    destination_output,
    integration,
)
from slotwise.calendars.schemas import (
    CalendarCredentialsInput,
    CreateIcsFeedInput,
    DestinationCalendarInput,
    SelectedCalendarInput,
)
from slotwise.config import Settings
from slotwise.kit.errors import BadRequest, NotFound, Unauthorized
from slotwise.models import CalendarCredential, DestinationCalendar, SelectedCalendar, User

CALENDAR_PATHS = {"apple": APPLE, "caldav": CALDAV, "google": GOOGLE, "office365": OFFICE365}
"""The ``{calendar}`` path values and their integration types (``caldav``: our extension)."""
LABELS = {
    APPLE: "apple calendar",
    CALDAV: "caldav calendar",
    GOOGLE: "google calendar",
    OFFICE365: "office365 calendar",
    ICS_FEED: "Ics Feed calendar",
}
INVALID_CALENDAR = (
    "Invalid calendar type, available calendars are: apple, caldav, google, office365"
)


def integration_of(calendar: str, allowed: tuple[str, ...] | None = None) -> str:
    """The integration type of the ``{calendar}`` path value; 400 (Cal.com's message) for
    another value or one not in ``allowed``."""
    type_ = CALENDAR_PATHS.get(calendar)
    if type_ is None or (allowed is not None and calendar not in allowed):
        names = ", ".join(allowed or tuple(CALENDAR_PATHS))
        raise BadRequest(f"Invalid calendar type, available calendars are: {names}")
    return type_


async def _credentials(
    session: AsyncSession, user: User, type_: str | None = None
) -> list[CalendarCredential]:
    query = select(CalendarCredential).where(CalendarCredential.user_id == user.id)
    if type_ is not None:
        query = query.where(CalendarCredential.type == type_)
    return list(await session.scalars(query.order_by(CalendarCredential.id)))


async def owned_credential(
    session: AsyncSession, user: User, credential_id: int
) -> CalendarCredential:
    """The caller's connection ``credential_id``; 404 for a missing or someone else's one."""
    credential = await session.get(CalendarCredential, credential_id)
    if credential is None or credential.user_id != user.id:
        raise NotFound(f"Calendar credentials with id {credential_id} not found")
    return credential


# --- connecting ---------------------------------------------------------------------------


async def save_ics_feed(
    session: AsyncSession, user: User, body: CreateIcsFeedInput, settings: Settings
) -> CalendarCredential:
    """Connect the feeds ``body.urls`` (Cal.com: one ICS connection per user, replaced by a
    new save). Every URL is checked by the URL-safety rules and fetched once; 400 "Could not
    add ICS feeds, …" with the reason when one is refused, unreachable, too large or not
    iCalendar (nothing stored)."""
    urls = list(dict.fromkeys(u.strip() for u in body.urls))
    provider = IcsFeedProvider(
        urls,
        max_bytes=settings.ics_max_bytes,
        timeout=settings.calendar_timeout_seconds,
        block_private=settings.block_private_networks,
    )
    try:
        for url in urls:
            await check_user_url(url, block_private=settings.block_private_networks)
        listed = await provider.list_calendars()
    except CalendarError as exc:
        raise BadRequest(f"Could not add ICS feeds, try using private ics feed. {exc}") from None
    if len(listed) != len(urls):
        raise BadRequest(f"Listed cals and URLs mismatch: {len(listed)} vs. {len(urls)}")
    existing = await _credentials(session, user, ICS_FEED)
    key = dump_key({"urls": urls, "readOnly": True})
    if existing:
        credential = existing[0]
        credential.key = key
        credential.invalid = False
        credential.last_error = None
        await session.execute(
            delete(SelectedCalendar).where(
                SelectedCalendar.credential_id == credential.id,
                SelectedCalendar.external_id.not_in(urls),
            )
        )
        busy.invalidate(credential.id)
    else:
        credential = CalendarCredential(
            user_id=user.id, type=ICS_FEED, app_id=APP_IDS[ICS_FEED], key=key, invalid=False
        )
        session.add(credential)
    await session.flush()
    return credential


async def save_credentials(
    session: AsyncSession,
    user: User,
    calendar: str,
    body: CalendarCredentialsInput,
    settings: Settings,
) -> CalendarCredential:
    """Connect an Apple (``calendar`` = ``apple``: discovered from
    ``SLOTWISE_APPLE_CALDAV_URL``) or generic CalDAV (``caldav``: ``body.url``, URL-safety
    rules) account after listing its calendars once. 400 naming the problem (empty username or
    password, missing or refused URL, refused password, unreachable server), nothing stored.
    The same account (type, URL, username) connected again gets its password replaced."""
    type_ = integration_of(calendar, ("apple", "caldav"))
    if len(body.username) <= 1 or len(body.password) <= 1:
        raise BadRequest("Username or password cannot be empty")
    label = "apple calendar" if type_ == APPLE else "CalDAV"
    if type_ == APPLE:
        if body.url is not None:
            raise BadRequest(
                "url is only accepted for caldav; Apple's server is set by the operator "
                "(SLOTWISE_APPLE_CALDAV_URL)"
            )
        key: dict[str, Any] = {"username": body.username, "password": body.password}
    else:
        if body.url is None:
            raise BadRequest("url is required for caldav: the CalDAV server's address")
        url = body.url.strip()
        try:
            await check_user_url(url, block_private=settings.block_private_networks)
        except CalendarError as exc:
            raise BadRequest(f"Could not add this CalDAV account: {exc}") from None
        key = {"url": url, "username": body.username, "password": body.password}
    candidate = CalendarCredential(
        user_id=user.id, type=type_, app_id=APP_IDS[type_], key=dump_key(key), invalid=False
    )
    try:
        listed = await provider_for(candidate, settings).list_calendars()
    except CalendarError as exc:
        raise BadRequest(f"Could not add this {label} account: {exc}") from None
    if not listed:
        raise BadRequest(f"Could not add this {label} account: it has no calendars")
    for existing in await _credentials(session, user, type_):
        old = credential_key(existing)
        if old.get("username") == key["username"] and old.get("url") == key.get("url"):
            existing.key = dump_key(key)
            existing.invalid = False
            existing.last_error = None
            busy.invalidate(existing.id)
            await session.flush()
            return existing
    session.add(candidate)
    await session.flush()
    return candidate


# --- listing and checking -------------------------------------------------------------------


async def _list(
    credential: CalendarCredential, settings: Settings
) -> list[CalendarInfo] | CalendarError:
    try:
        async with asyncio.timeout(settings.calendar_timeout_seconds):
            return await provider_for(credential, settings).list_calendars()
    except TimeoutError:
        return CalendarError("The calendar did not answer in time")
    except CalendarError as exc:
        return exc


async def connected_calendars(
    session: AsyncSession, user: User, settings: Settings
) -> dict[str, Any]:
    """``ConnectedCalendarsData``: each connection with its calendars (``isSelected``), its
    primary calendar, and — when the provider fails — ``error.message`` instead (Cal.com's
    shape); a failure of its last busy-time read is also shown (``error``). The destination is
    the user's chosen one, else the first writable primary calendar (Cal.com's default)."""
    credentials = await _credentials(session, user)
    selected = {
        (s.credential_id, s.external_id)
        for s in await session.scalars(
            select(SelectedCalendar).where(SelectedCalendar.user_id == user.id)
        )
    }
    results = await asyncio.gather(*(_list(c, settings) for c in credentials))
    connected: list[dict[str, Any]] = []
    writable: list[dict[str, Any]] = []
    for credential, listed in zip(credentials, results, strict=True):
        entry: dict[str, Any] = {
            "integration": integration(credential.type),
            "credentialId": credential.id,
            "delegationCredentialId": None,
        }
        if isinstance(listed, CalendarError):
            entry["error"] = {"message": str(listed)}
            connected.append(entry)
            continue
        calendars = [
            calendar_output(info, credential, (credential.id, info.external_id) in selected)
            for info in listed
        ]
        if calendars:
            primary = next((c for c in calendars if c["primary"]), calendars[0])
            entry["primary"] = {**primary, "primary": bool(primary["primary"])}
        entry["calendars"] = calendars
        failure = busy.FAILURES.get(credential.id)
        if failure is not None:
            entry["error"] = {"message": failure.message}
        writable.extend(c for c in calendars if not c["readOnly"])
        connected.append(entry)
    return {
        "connectedCalendars": connected,
        "destinationCalendar": await _destination(session, user, writable),
    }


async def _destination(
    session: AsyncSession, user: User, writable: list[dict[str, Any]]
) -> dict[str, Any] | None:
    row = await session.scalar(
        select(DestinationCalendar).where(DestinationCalendar.user_id == user.id)
    )
    if row is None:
        if not writable:
            return None
        first = next((c for c in writable if c["primary"]), writable[0])
        row = DestinationCalendar(
            id=0,
            user_id=user.id,
            event_type_id=None,
            credential_id=first["credentialId"],
            integration=first["integration"],
            external_id=first["externalId"],
            primary_email=first.get("email"),
        )
    info = next(
        (
            c
            for c in writable
            if c["externalId"] == row.external_id and c["credentialId"] == row.credential_id
        ),
        None,
    )
    return destination_output(row, info)


async def check(session: AsyncSession, user: User, type_: str, settings: Settings) -> None:
    """Cal.com's check of the user's (first) connection of ``type_``: 400 "Credentials for …
    not found." / "Invalid … credentials.", 401 with the provider's problem when its
    calendars cannot be listed (or its last busy-time read failed and still fails)."""
    label = LABELS.get(type_, type_)
    credentials = await _credentials(session, user, type_)
    if not credentials:
        raise BadRequest(f"Credentials for {label} not found.")
    credential = credentials[0]
    if credential.invalid:
        shown = "Ics Feed" if type_ == ICS_FEED else label
        raise BadRequest(f"Invalid {shown} credentials.")
    listed = await _list(credential, settings)
    if isinstance(listed, CalendarAuthError):
        raise Unauthorized(f"{listed} — reconnect the {label}")
    if isinstance(listed, CalendarError):
        raise Unauthorized(str(listed))
    busy.FAILURES.pop(credential.id, None)


async def disconnect(session: AsyncSession, user: User, credential_id: int) -> dict[str, Any]:
    """Delete the caller's connection ``credential_id`` (its selected and destination
    calendars go with it) and return it; 404 for a missing or someone else's one."""
    credential = await owned_credential(session, user, credential_id)
    out = credential_output(credential)
    await session.delete(credential)
    await session.flush()
    busy.invalidate(credential_id)
    busy.FAILURES.pop(credential_id, None)
    return out


# --- selected and destination calendars ------------------------------------------------------


async def add_selected(
    session: AsyncSession, user: User, body: SelectedCalendarInput
) -> SelectedCalendar:
    """Count the calendar ``body.externalId`` of the caller's connection ``credentialId`` as
    busy (idempotent); 404 for another user's or a missing connection, 400 when
    ``integration`` is not the connection's type."""
    credential = await owned_credential(session, user, body.credentialId)
    if body.integration != credential.type:
        raise BadRequest(
            f"integration {body.integration} does not match the credential's ({credential.type})"
        )
    row = await session.scalar(
        select(SelectedCalendar).where(
            SelectedCalendar.user_id == user.id,
            SelectedCalendar.integration == body.integration,
            SelectedCalendar.external_id == body.externalId,
        )
    )
    if row is None:
        row = SelectedCalendar(
            user_id=user.id,
            credential_id=credential.id,
            integration=body.integration,
            external_id=body.externalId,
        )
        session.add(row)
    else:
        row.credential_id = credential.id
    await session.flush()
    busy.invalidate(credential.id)
    return row


async def remove_selected(
    session: AsyncSession, user: User, integration_: str, external_id: str, credential_id: int
) -> SelectedCalendar:
    """Stop counting a selected calendar and return it; 404 when it is not selected."""
    row = await session.scalar(
        select(SelectedCalendar).where(
            SelectedCalendar.user_id == user.id,
            SelectedCalendar.integration == integration_,
            SelectedCalendar.external_id == external_id,
            SelectedCalendar.credential_id == credential_id,
        )
    )
    if row is None:
        raise NotFound("Selected calendar not found")
    await session.delete(row)
    await session.flush()
    busy.invalidate(credential_id)
    return row


async def set_destination(
    session: AsyncSession, user: User, body: DestinationCalendarInput, settings: Settings
) -> DestinationCalendar:
    """Make the writable calendar ``(integration, externalId)`` of one of the caller's
    connections the user's destination (Cal.com: looked up among the connected calendars;
    404 "Destination calendar not found" otherwise, read-only feeds included)."""
    found: tuple[CalendarCredential, CalendarInfo] | None = None
    for credential in await _credentials(session, user, body.integration):
        listed = await _list(credential, settings)
        if isinstance(listed, CalendarError):
            continue
        for info in listed:
            if info.external_id == body.externalId and not info.read_only:
                found = (credential, info)
                break
        if found:
            break
    if found is None:
        raise NotFound("Destination calendar not found")
    credential, info = found
    row = await session.scalar(
        select(DestinationCalendar).where(DestinationCalendar.user_id == user.id)
    )
    if row is None:
        row = DestinationCalendar(user_id=user.id)
        session.add(row)
    row.credential_id = credential.id
    row.integration = body.integration
    row.external_id = body.externalId
    row.primary_email = info.email
    await session.flush()
    return row


# --- busy times -----------------------------------------------------------------------------


def _day(value: str, zone: ZoneInfo, name: str) -> datetime:
    try:
        day = datetime.strptime(value[:10], "%Y-%m-%d")
    except ValueError:
        raise BadRequest(f"{name} must be a date (YYYY-MM-DD)") from None
    return day.replace(tzinfo=zone)


async def busy_times(
    session: AsyncSession,
    user: User,
    *,
    credential_id: int,
    external_id: str,
    date_from: str | None,
    date_to: str | None,
    time_zone: str | None,
    settings: Settings,
) -> list[BusySpan]:
    """Busy times of one calendar of the caller's connection from the start of ``date_from``
    to the end of ``date_to`` in ``time_zone`` (default UTC). Without both dates: none
    (Cal.com). 404 for another user's connection. A failing provider gives none (the
    availability rule; GET /v2/calendars shows its error)."""
    if not date_from or not date_to:
        return []
    credential = await owned_credential(session, user, credential_id)
    try:
        zone = ZoneInfo(time_zone or "UTC")
    except (ValueError, KeyError):
        raise BadRequest(f"Invalid time zone {time_zone}") from None
    start = _day(date_from, zone, "dateFrom")
    end = _day(date_to, zone, "dateTo") + timedelta(days=1)
    if end <= start:
        raise BadRequest("dateTo must not be before dateFrom")
    if end - start > timedelta(days=366):
        raise BadRequest("dateFrom and dateTo must be at most a year apart")
    spans = await busy.busy_for_credential(credential, (external_id,), start, end, settings)
    return spans


# --- Google events (Cal.com's unified calendar operations) -------------------------------------


async def google_event(
    session: AsyncSession,
    user: User,
    calendar: str,
    event_uid: str,
    settings: Settings,
    patch: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """``UnifiedCalendarEventOutput`` of event ``event_uid`` in the caller's primary Google
    calendar, after ``patch`` (``UpdateUnifiedCalendarEventInput`` fields) when given. 400 for
    another ``calendar`` than ``google``; 404 without a Google connection or such an event;
    401 when Google refuses the connection."""
    if calendar != "google":
        raise BadRequest("Invalid calendar type, available calendars are: google")
    credentials = await _credentials(session, user, GOOGLE)
    if not credentials:
        raise NotFound("No Google calendar is connected")
    provider = provider_for(credentials[0], settings)
    if not isinstance(provider, GoogleProvider):  # pragma: no cover - GOOGLE gives one
        raise NotFound("No Google calendar is connected")
    try:
        if patch is None:
            found = await google_get_event(provider, event_uid)
        else:
            found = await google_patch_event(provider, event_uid, patch)
    except CalendarAuthError as exc:
        raise Unauthorized(str(exc)) from None
    except CalendarError as exc:
        raise BadRequest(str(exc)) from None
    if found is None:
        raise NotFound(f"Event with uid {event_uid} not found")
    return found
