"""Request bodies and query models of the calendar operations (Cal.com's
``CreateIcsFeedInputDto``, ``CreateCalendarCredentialsInput``,
``DeleteCalendarCredentialsInputBodyDto``, ``SelectedCalendarsInputDto``,
``DestinationCalendarsInputBodyDto``), plus our ``caldav`` extension's ``url``."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from slotwise.kit.schemas import Id, NonNull, StrictInput

MAX_FEEDS = 20
"""ICS feed URLs in one connection."""

Url = Annotated[str, Field(min_length=1, max_length=2000)]
Text = Annotated[str, Field(max_length=1000)]
ExternalId = Annotated[str, Field(min_length=1, max_length=2000)]


class CreateIcsFeedInput(StrictInput):
    """``CreateIcsFeedInputDto``: the feed URLs (1–20, http or https) and ``readOnly``
    (feeds are always read-only; ``false`` is accepted and changes nothing)."""

    urls: list[Url] = Field(min_length=1, max_length=MAX_FEEDS, description="ICS URLs")
    readOnly: NonNull[bool] = Field(True, description="Whether the calendar is read-only")


class CalendarCredentialsInput(StrictInput):
    """``CreateCalendarCredentialsInput`` (Apple: ``username`` = the Apple ID, ``password`` =
    an app-specific password); the ``caldav`` extension adds the server ``url``."""

    username: Text = Field(description="Account name")
    password: Text = Field(description="Password or app-specific password")
    url: NonNull[Url] = Field(None, description="CalDAV URL (caldav only)")


class DeleteCalendarCredentialsInput(StrictInput):
    """``DeleteCalendarCredentialsInputBodyDto``: the connection's ``credentialId``."""

    id: Id = Field(description="Credential ID, as returned by GET /v2/calendars")


class SelectedCalendarInput(StrictInput):
    """``SelectedCalendarsInputDto``."""

    integration: Annotated[str, Field(min_length=1, max_length=60)]
    externalId: ExternalId
    credentialId: Id
    delegationCredentialId: NonNull[Annotated[str, Field(max_length=200)]] = None


class DestinationCalendarInput(StrictInput):
    """``DestinationCalendarsInputBodyDto`` (``integration`` beyond the reference's enum: our
    ``caldav_calendar``)."""

    integration: Annotated[str, Field(min_length=1, max_length=60)]
    externalId: ExternalId
    delegationCredentialId: NonNull[Annotated[str, Field(max_length=200)]] = None


class EventTime(StrictInput):
    """``{time, timeZone}`` of a unified calendar event."""

    time: Annotated[str, Field(min_length=1, max_length=40)]
    timeZone: NonNull[Annotated[str, Field(max_length=64)]] = None


class UpdateEventAttendee(StrictInput):
    """``UpdateCalendarEventAttendee``."""

    email: NonNull[Annotated[str, Field(max_length=320)]] = None
    name: NonNull[Annotated[str, Field(max_length=200)]] = None
    responseStatus: Literal["accepted", "pending", "declined", "needsAction"] | None = None
    self: bool | None = None
    optional: bool | None = None
    host: bool | None = None


class UpdateUnifiedEventInput(StrictInput):
    """``UpdateUnifiedCalendarEventInput``: the fields given are changed."""

    start: NonNull[EventTime] = None
    end: NonNull[EventTime] = None
    title: NonNull[Annotated[str, Field(max_length=1000)]] = None
    description: Annotated[str, Field(max_length=10_000)] | None = None
    attendees: list[UpdateEventAttendee] | None = Field(None, max_length=100)
    status: Literal["accepted", "pending", "declined", "cancelled"] | None = None
