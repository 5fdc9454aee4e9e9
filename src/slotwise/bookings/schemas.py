"""Request bodies and query parameters of /v2/bookings (cal-api-version 2024-08-13); the
location objects are in :mod:`.location_schemas`.

Field names follow Cal.com's ``CreateBookingInput_2024_08_13`` (with the instant and recurring
variants' extra fields, refused later when they do not apply), ``CancelBookingInput_2024_08_13``
(+ the seated variant's ``seatUid``), ``RescheduleBookingInput_2024_08_13`` (+ ``seatUid``),
``DeclineBookingInput_2024_08_13``, ``MarkAbsentBookingInput_2024_08_13``,
``AddAttendeeInput_2024_08_13`` and ``AddGuestsInput_2024_08_13``; ``RequestRescheduleInput``
(documented operation, not in the reference file) is ``{"rescheduleReason"}``. Unknown
properties are a 400 naming them.

Times: ``start`` is an ISO 8601 instant; without an offset it is read as UTC (Cal.com documents
``start`` as UTC). Every parsed instant is timezone-aware UTC.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AliasChoices,
    BeforeValidator,
    EmailStr,
    Field,
    StrictBool,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from slotwise.bookings.location_schemas import BookingLocationInput, parse_location
from slotwise.bookings.phones import check_phone
from slotwise.kit.schemas import (
    INT32_MAX,
    CountParam,
    Id,
    Instant,
    JsonObject,
    MeetingMinutes,
    Metadata,
    StrictInput,
    StrictQuery,
    Whole,
)
from slotwise.kit.schemas import parse_instant as parse_instant  # re-exported (booking pages)
from slotwise.kit.timezones import check_time_zone

LANGUAGES = (
    "ar", "ca", "de", "es", "eu", "he", "id", "ja", "lv", "pl", "ro", "sr", "th", "vi", "az",
    "cs", "el", "es-419", "fi", "hr", "it", "km", "nl", "pt", "ru", "sv", "tr", "zh-CN", "bg",
    "da", "en", "et", "fr", "hu", "iw", "ko", "no", "pt-BR", "sk", "ta", "uk", "zh-TW", "bn",
)  # fmt: skip
LIST_STATUSES = ("upcoming", "recurring", "past", "cancelled", "unconfirmed")
MAX_TAKE = 250
_DIGITS = re.compile(r"^[0-9]{1,10}$")
MAX_GUESTS = 30  # Cal.com: at most 30 guests per booking
MAX_GROUP = 50  # dynamic group bookings (usernames): at most 50 users
MAX_OCCURRENCES = 32  # Cal.com's docs: a recurring event has at most 32 occurrences
MAX_GUESTS_PER_REQUEST = 10
MAX_GUESTS_PER_BOOKING = 30


Language = Literal[LANGUAGES]  # type: ignore[valid-type]  # literal built from a tuple


class _PersonChecks(StrictInput):
    """The checks shared by the inputs naming a person: ``timeZone`` an IANA name and
    ``phoneNumber`` an E.164 number (400 otherwise)."""

    @field_validator("timeZone", check_fields=False)
    @classmethod
    def _tz(cls, value: str) -> str:
        return check_time_zone(value)

    @field_validator("phoneNumber", check_fields=False)
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return None if value is None else check_phone(value)


class AttendeeInput(_PersonChecks):
    """``CreateBookingAttendee``: the booker. ``timeZone`` is an IANA name and ``phoneNumber``
    an E.164 number (400 otherwise)."""

    name: str = Field(min_length=1, max_length=200)
    email: EmailStr | None = None
    timeZone: str
    phoneNumber: str | None = Field(default=None, max_length=40)
    language: Language | None = None


class CreateBookingInput(StrictInput):
    """``CreateBookingInput_2024_08_13`` (regular bookings of an individual user's event type).

    The event type is named by ``eventTypeId`` or by ``eventTypeSlug`` + ``username``.
    ``reservationUid`` (Slotwise extension) books a slot held by POST /v2/slots/reservations and
    consumes the reservation; ``privateLinkId`` (Slotwise extension) books through a private link
    and counts one use of it. ``instant``/``recurrenceCount`` come from Cal.com's other body
    variants and are refused or ignored by the service as Cal.com does. ``usernames`` (Slotwise
    extension, docs/extensions.md): a dynamic group booking of those users (at least 2), with
    ``eventTypeSlug`` (the first user's event type of that slug) or Cal.com's dynamic defaults.
    """

    start: Instant
    attendee: AttendeeInput
    eventTypeId: Id | None = None
    eventTypeSlug: str | None = Field(default=None, min_length=1, max_length=200)
    username: str | None = Field(default=None, min_length=1, max_length=100)
    teamSlug: str | None = Field(default=None, max_length=200)
    organizationSlug: str | None = Field(default=None, max_length=200)
    bookingFieldsResponses: JsonObject | None = None
    guests: list[EmailStr] | None = Field(default=None, max_length=MAX_GUESTS)
    meetingUrl: str | None = Field(default=None, max_length=1000)
    location: Annotated[BookingLocationInput | str | None, BeforeValidator(parse_location)] = None
    metadata: Metadata | None = None
    lengthInMinutes: MeetingMinutes | None = None
    routing: JsonObject | None = None
    emailVerificationCode: str | None = Field(default=None, max_length=100)
    instant: StrictBool | None = None
    recurrenceCount: Annotated[int, Whole(1, MAX_OCCURRENCES)] | None = None
    reservationUid: str | None = Field(default=None, min_length=1, max_length=64)
    privateLinkId: str | None = Field(default=None, min_length=1, max_length=64)
    usernames: list[Annotated[str, StringConstraints(min_length=1, max_length=100)]] | None = Field(
        default=None, min_length=2, max_length=MAX_GROUP
    )


class CancelBookingInput(StrictInput):
    """``CancelBookingInput_2024_08_13`` or ``CancelSeatedBookingInput_2024_08_13``."""

    cancellationReason: str | None = Field(default=None, max_length=2000)
    cancelSubsequentBookings: StrictBool | None = None
    seatUid: str | None = Field(default=None, max_length=64)


class RescheduleBookingInput(StrictInput):
    """``RescheduleBookingInput_2024_08_13`` (+ the seated variant's ``seatUid``).

    ``reschedulingReason`` also accepts the name ``rescheduleReason`` (used by Cal.com's booking
    fields and older docs). ``rescheduledBy``: email of whoever reschedules; the event type
    owner's email auto-confirms a booking that would otherwise need confirmation.
    """

    start: Instant
    rescheduledBy: EmailStr | None = None
    reschedulingReason: str | None = Field(
        default=None,
        max_length=2000,
        validation_alias=AliasChoices("reschedulingReason", "rescheduleReason"),
    )
    emailVerificationCode: str | None = Field(default=None, max_length=100)
    seatUid: str | None = Field(default=None, max_length=64)


class DeclineBookingInput(StrictInput):
    """``DeclineBookingInput_2024_08_13``."""

    reason: str | None = Field(default=None, max_length=2000)


class ReassignToUserInput(StrictInput):
    """``ReassignToUserBookingInput_2024_08_13``: why the booking is reassigned (optional)."""

    reason: str | None = Field(default=None, max_length=2000)


def comma_ints(value: str | None, name: str) -> list[int] | None:
    """``"1, 2"`` → ``[1, 2]``; None for an empty value. ValueError naming ``name`` for a part
    that is not an id (decimal digits, 1..2147483647)."""
    if value is None or not value.strip():
        return None
    out: list[int] = []
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        if not _DIGITS.match(part) or not 1 <= int(part) <= INT32_MAX:
            raise ValueError(
                f"'{part[:40]}' is not an id: {name} takes comma separated integers "
                f"from 1 to {INT32_MAX}"
            )
        out.append(int(part))
    return out


class ListBookingsQuery(StrictQuery):
    """Query parameters of GET /v2/bookings (``BookingsController_2024_08_13_getBookings``).

    ``status`` is a comma separated list of upcoming, recurring, past, cancelled, unconfirmed.
    ``eventTypeIds``/``teamsIds``: comma separated ids. Date bounds are ISO instants. ``take``
    defaults to 100 and is capped at 250; ``skip`` defaults to 0. Unknown parameters are a 400.
    """

    status: str | None = None
    attendeeEmail: str | None = None
    attendeeName: str | None = None
    bookingUid: str | None = None
    eventTypeIds: str | None = None
    eventTypeId: str | None = None
    teamsIds: str | None = None
    teamId: str | None = None
    afterStart: Instant | None = None
    beforeEnd: Instant | None = None
    afterCreatedAt: Instant | None = None
    beforeCreatedAt: Instant | None = None
    afterUpdatedAt: Instant | None = None
    beforeUpdatedAt: Instant | None = None
    sortStart: Literal["asc", "desc"] | None = None
    sortEnd: Literal["asc", "desc"] | None = None
    sortCreated: Literal["asc", "desc"] | None = None
    sortUpdatedAt: Literal["asc", "desc"] | None = None
    take: Annotated[int, Whole(1, INT32_MAX, text=True)] = 100
    skip: CountParam = 0

    @field_validator("status")
    @classmethod
    def _status(cls, value: str | None) -> str | None:
        if value is None:
            return None
        for part in value.split(","):
            if part.strip() and part.strip() not in LIST_STATUSES:
                raise ValueError(
                    f"'{part.strip()}' is not a booking status filter: use one or more of "
                    + ", ".join(LIST_STATUSES)
                )
        return value

    @field_validator("eventTypeIds", "eventTypeId", "teamsIds", "teamId")
    @classmethod
    def _ids(cls, value: str | None, info: ValidationInfo) -> str | None:
        comma_ints(value, str(info.field_name))
        return value

    def statuses(self) -> list[str]:
        """The status filters given, without duplicates."""
        if not self.status:
            return []
        return list(dict.fromkeys(p.strip() for p in self.status.split(",") if p.strip()))

    def event_type_ids(self) -> list[int] | None:
        """``eventTypeId`` and ``eventTypeIds`` combined; None when neither is given."""
        ids = (comma_ints(self.eventTypeId, "eventTypeId") or []) + (
            comma_ints(self.eventTypeIds, "eventTypeIds") or []
        )
        given = self.eventTypeId is not None or self.eventTypeIds is not None
        return ids if given else None

    def team_ids(self) -> list[int]:
        """The teams of ``teamId`` and ``teamsIds`` (their event types' bookings), or ``[]``."""
        return [
            *(comma_ints(self.teamId, "teamId") or []),
            *(comma_ints(self.teamsIds, "teamsIds") or []),
        ]

    def page_size(self) -> int:
        """``take`` capped at 250."""
        return min(self.take, MAX_TAKE)


class MarkAbsentAttendee(StrictInput):
    """One attendee's no-show flag: ``email`` must be an attendee of the booking."""

    email: EmailStr
    absent: StrictBool


class MarkAbsentInput(StrictInput):
    """``MarkAbsentBookingInput_2024_08_13``: ``host`` absent or not, and attendees' flags."""

    host: StrictBool | None = None
    attendees: list[MarkAbsentAttendee] | None = Field(default=None, max_length=200)


class RequestRescheduleInput(StrictInput):
    """Body of POST /v2/bookings/{uid}/request-reschedule."""

    rescheduleReason: str | None = Field(default=None, max_length=2000)


class AddAttendeeInput(_PersonChecks):
    """``AddAttendeeInput_2024_08_13``; ``language`` defaults to ``en``."""

    name: str = Field(min_length=1, max_length=200)
    email: EmailStr
    timeZone: str
    phoneNumber: str | None = Field(default=None, max_length=40)
    language: Language | None = None


class GuestInput(StrictInput):
    """``Guest``: only ``email`` is required; ``timeZone`` defaults to the booker's."""

    email: EmailStr
    name: str | None = Field(default=None, max_length=200)
    timeZone: str | None = None
    phoneNumber: str | None = Field(default=None, max_length=40)
    language: Language | None = None

    @field_validator("timeZone")
    @classmethod
    def _tz(cls, value: str | None) -> str | None:
        return None if value is None else check_time_zone(value)

    @field_validator("phoneNumber")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return None if value is None else check_phone(value)


class AddGuestsInput(StrictInput):
    """``AddGuestsInput_2024_08_13``: 1 to 10 guests per request."""

    guests: list[GuestInput] = Field(min_length=1, max_length=MAX_GUESTS_PER_REQUEST)
