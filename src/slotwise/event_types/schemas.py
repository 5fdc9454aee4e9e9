"""Request bodies of /v2/event-types (Cal.com ``CreateEventTypeInput_2024_06_14`` and
``UpdateEventTypeInput_2024_06_14``) and their nested shapes.

Durations are minutes. Objects Cal.com types as ``X | Disabled`` accept ``{"disabled": true}``;
otherwise the fields of X are required. Unknown properties are refused, naming them.
Cross-field rules (lengthInMinutesOptions, seats, schedules, slugs) are checked by the service on
the event type's final state.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlparse

from pydantic import (
    BaseModel,
    Discriminator,
    Field,
    StrictBool,
    Tag,
    field_validator,
    model_validator,
)

from slotwise.event_types.booking_fields import BookingFieldInput, build_booking_fields
from slotwise.kit.schemas import (
    MAX_MEETING_MINUTES,
    Id,
    MeetingMinutes,
    NonNull,
    PositiveInt32,
    StrictInput,
    Whole,
    whole_number,
)

# Ranges (docs/compatibility.md, "Input limits"). Cal.com's API takes any integer for most of
# them; these are limits no real configuration reaches, so the answer never depends on the
# database.
MAX_NOTICE_MINUTES = 525_600  # one year
MAX_LIMIT_COUNT = 10_000  # bookings per period, active bookings per booker
MAX_LIMIT_MINUTES = 527_040  # booked minutes per period: 366 days
MAX_WINDOW_DAYS = 3_650  # ten years
MAX_SEATS = 1_000
MAX_OCCURRENCES = 32  # Cal.com's docs: "up to 32 occurrences"
MAX_INTERVAL = 100
MAX_OPTIONS = 50  # entries of lengthInMinutesOptions and of locations
MAX_FIELDS = 100  # booking fields of an event type
MAX_URL = 2_000
Buffer = Annotated[int, Whole(0, 120)]
Notice = Annotated[int, Whole(0, MAX_NOTICE_MINUTES)]
LimitCount = Annotated[int, Whole(1, MAX_LIMIT_COUNT)]
LimitMinutes = Annotated[int, Whole(1, MAX_LIMIT_MINUTES)]
Text = Annotated[str, Field(max_length=10000)]
INTEGRATIONS = (
    "cal-video", "google-meet", "zoom", "whereby-video", "whatsapp-video", "webex-video",
    "telegram-video", "tandem", "sylaps-video", "skype-video", "sirius-video", "signal-video",
    "shimmer-video", "salesroom-video", "roam-video", "riverside-video", "ping-video",
    "office365-video", "mirotalk-video", "jitsi", "jelly-video", "jelly-conferencing", "huddle",
    "facetime-video", "element-call-video", "eightxeight-video", "discord-video",
    "demodesk-video", "campfire-video",
)  # fmt: skip
LANGUAGES = (
    "", "en", "ar", "az", "bg", "bn", "ca", "cs", "da", "de", "el", "es", "es-419", "eu", "et",
    "fi", "fr", "he", "hu", "it", "ja", "km", "ko", "nl", "no", "pl", "pt-BR", "pt", "ro", "ru",
    "sk-SK", "sr", "sv", "tr", "uk", "vi", "zh-CN", "zh-TW",
)  # fmt: skip
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_PHONE = re.compile(r"^\+[1-9]\d{6,14}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LIMIT_KEYS = ("day", "week", "month", "year")


def check_url(value: str) -> str:
    """An absolute http(s) URL, else ValueError."""
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError(f"'{value}' is not a valid http(s) URL")
    return value


def _limits_ordered(values: dict[str, int | None], what: str) -> None:
    present = [(k, values[k]) for k in LIMIT_KEYS if values.get(k) is not None]
    for i, (small, a) in enumerate(present):
        for big, b in present[i + 1 :]:
            if a is not None and b is not None and a > b:
                raise ValueError(
                    f"Invalid {what}: the limit for {small} ({a}) cannot exceed the limit "
                    f"for {big} ({b})"
                )


class BookingLimitsCount(StrictInput):
    """Bookings per day/week/month/year (``BaseBookingLimitsCount_2024_06_14``) or disabled."""

    day: LimitCount | None = None
    week: LimitCount | None = None
    month: LimitCount | None = None
    year: LimitCount | None = None
    disabled: StrictBool | None = None

    @model_validator(mode="after")
    def _ordered(self) -> BookingLimitsCount:
        _limits_ordered(self.model_dump(), "booking limits")
        return self


class BookingLimitsDuration(StrictInput):
    """Booked minutes per day/week/month/year, multiples of 15 (at least 15), or disabled."""

    day: LimitMinutes | None = None
    week: LimitMinutes | None = None
    month: LimitMinutes | None = None
    year: LimitMinutes | None = None
    disabled: StrictBool | None = None

    @field_validator("day", "week", "month", "year")
    @classmethod
    def _multiple_of_15(cls, value: int | None) -> int | None:
        if value is not None and value % 15:
            raise ValueError(f"{value} is not a multiple of 15 minutes")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> BookingLimitsDuration:
        _limits_ordered(self.model_dump(), "booking durations")
        return self


class BookerActiveBookingsLimit(StrictInput):
    """Active (future) bookings one booker may hold, or ``{"disabled": true}``."""

    maximumActiveBookings: LimitCount | None = None
    offerReschedule: StrictBool | None = None
    disabled: StrictBool | None = None

    @model_validator(mode="after")
    def _something(self) -> BookerActiveBookingsLimit:
        if not self.disabled and self.maximumActiveBookings is None:
            raise ValueError("maximumActiveBookings is required unless disabled is true")
        return self


class BookingWindow(StrictInput):
    """How far ahead bookings are allowed: ``{type: businessDays|calendarDays, value: days,
    rolling?}``, ``{type: range, value: ["YYYY-MM-DD", "YYYY-MM-DD"]}`` or ``{disabled: true}``."""

    type: Literal["businessDays", "calendarDays", "range"] | None = None
    value: Any = None
    rolling: StrictBool | None = None
    disabled: StrictBool | None = None

    @model_validator(mode="after")
    def _shape(self) -> BookingWindow:
        if self.disabled:
            return self
        if self.type is None:
            raise ValueError("type is required unless disabled is true")
        if self.type == "range":
            if self.rolling is not None:
                raise ValueError("rolling is only for businessDays and calendarDays windows")
            if (
                not isinstance(self.value, list)
                or len(self.value) != 2
                or not all(isinstance(v, str) for v in self.value)
            ):
                raise ValueError('a range window needs value: ["YYYY-MM-DD", "YYYY-MM-DD"]')
            days = []
            for item in self.value:
                try:
                    if not _DATE.match(item):
                        raise ValueError
                    days.append(date.fromisoformat(item))
                except ValueError:
                    raise ValueError(f"'{item}' is not a valid date: use YYYY-MM-DD") from None
            if days[0] > days[1]:
                raise ValueError("the range window must start on or before its end")
        else:
            try:
                days = whole_number(self.value)
            except ValueError:
                days = None
            if not isinstance(days, int) or not 0 <= days <= MAX_WINDOW_DAYS:
                raise ValueError(
                    f"a {self.type} window needs value: a number of days from 0 to "
                    f"{MAX_WINDOW_DAYS}"
                )
            self.value = days
        return self


class BookerLayouts(StrictInput):
    """Layouts the booker may use; ``defaultLayout`` must be one of ``enabledLayouts``."""

    defaultLayout: Literal["month", "week", "column"]
    enabledLayouts: list[Literal["month", "week", "column"]] = Field(min_length=1)

    @model_validator(mode="after")
    def _default_enabled(self) -> BookerLayouts:
        if self.defaultLayout not in self.enabledLayouts:
            raise ValueError("defaultLayout must be one of enabledLayouts")
        return self


class NoticeThreshold(StrictInput):
    """``count`` minutes/hours (``NoticeThreshold_2024_06_14``)."""

    unit: Literal["minutes", "hours"]
    count: PositiveInt32


class ConfirmationPolicy(StrictInput):
    """``{type: always|time, noticeThreshold?, blockUnconfirmedBookingsInBooker}`` or disabled.
    ``type: time`` needs ``noticeThreshold`` (confirmation only for bookings sooner than it)."""

    type: Literal["always", "time"] | None = None
    noticeThreshold: NoticeThreshold | None = None
    blockUnconfirmedBookingsInBooker: StrictBool | None = None
    disabled: StrictBool | None = None

    @model_validator(mode="after")
    def _shape(self) -> ConfirmationPolicy:
        if self.disabled:
            return self
        if self.type is None:
            raise ValueError("type is required unless disabled is true")
        if self.blockUnconfirmedBookingsInBooker is None:
            raise ValueError("blockUnconfirmedBookingsInBooker is required")
        if self.type == "time" and self.noticeThreshold is None:
            raise ValueError("noticeThreshold is required when type is time")
        return self


class Recurrence(StrictInput):
    """``{frequency: yearly|monthly|weekly, interval, occurrences}`` or ``{disabled: true}``."""

    frequency: Literal["yearly", "monthly", "weekly"] | None = None
    interval: Annotated[int, Whole(1, MAX_INTERVAL)] | None = None
    occurrences: Annotated[int, Whole(1, MAX_OCCURRENCES)] | None = None
    disabled: StrictBool | None = None

    @model_validator(mode="after")
    def _shape(self) -> Recurrence:
        if not self.disabled:
            missing = [
                name
                for name in ("frequency", "interval", "occurrences")
                if getattr(self, name) is None
            ]
            if missing:
                raise ValueError(f"{', '.join(missing)} required unless disabled is true")
        return self


class Seats(StrictInput):
    """``{seatsPerTimeSlot, showAttendeeInfo, showAvailabilityCount}`` or ``{disabled: true}``."""

    seatsPerTimeSlot: Annotated[int, Whole(1, MAX_SEATS)] | None = None
    showAttendeeInfo: StrictBool | None = None
    showAvailabilityCount: StrictBool | None = None
    disabled: StrictBool | None = None

    @model_validator(mode="after")
    def _shape(self) -> Seats:
        if not self.disabled:
            missing = [
                name
                for name in ("seatsPerTimeSlot", "showAttendeeInfo", "showAvailabilityCount")
                if getattr(self, name) is None
            ]
            if missing:
                raise ValueError(f"{', '.join(missing)} required unless disabled is true")
        return self


class EventTypeColor(StrictInput):
    """Hex colours (``#292929``) for the light and dark themes."""

    lightThemeHex: str
    darkThemeHex: str

    @field_validator("lightThemeHex", "darkThemeHex")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not _HEX.match(value):
            raise ValueError(f"'{value}' is not a hex colour such as #292929")
        return value


class DestinationCalendar(StrictInput):
    """The calendar new bookings are written to (stored; calendar sync uses it)."""

    integration: str = Field(min_length=1, max_length=200)
    externalId: str = Field(min_length=1, max_length=1000)


class CalVideoSettings(StrictInput):
    """Cal Video options (stored and returned)."""

    disableRecordingForOrganizer: StrictBool | None = None
    disableRecordingForGuests: StrictBool | None = None
    redirectUrlOnExit: str | None = Field(default=None, max_length=MAX_URL)
    enableAutomaticRecordingForOrganizer: StrictBool | None = None
    enableAutomaticTranscription: StrictBool | None = None
    disableTranscriptionForGuests: StrictBool | None = None
    disableTranscriptionForOrganizer: StrictBool | None = None
    sendTranscriptionEmails: StrictBool | None = None

    _url = field_validator("redirectUrlOnExit")(lambda v: v if v is None else check_url(v))


class DisableCancelling(StrictInput):
    """``{disabled: bool}``."""

    disabled: StrictBool | None = None


class DisableRescheduling(StrictInput):
    """``{disabled: bool, minutesBefore?: minutes}``: always, or within minutesBefore of start."""

    disabled: StrictBool | None = None
    minutesBefore: PositiveInt32 | None = None


class AddressLocation(StrictInput):
    """An in-person address."""

    type: Literal["address"]
    address: str = Field(min_length=1, max_length=1000)
    public: StrictBool = False


class LinkLocation(StrictInput):
    """A meeting link."""

    type: Literal["link"]
    link: str = Field(max_length=MAX_URL)
    public: StrictBool = False

    _url = field_validator("link")(check_url)


class IntegrationLocation(StrictInput):
    """A conferencing app; only ``cal-video`` is available without connected apps."""

    type: Literal["integration"]
    integration: Literal[INTEGRATIONS]  # type: ignore[valid-type]  # literal built from a tuple


class PhoneLocation(StrictInput):
    """The organizer's phone number, international format (``+37120993151``)."""

    type: Literal["phone"]
    phone: str = Field(max_length=40)
    public: StrictBool = False

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        if not _PHONE.match(re.sub(r"[\s()-]", "", value)):
            raise ValueError(f"'{value}' is not an international phone number such as +37120993151")
        return value


class AttendeeLocation(StrictInput):
    """The attendee gives an address, a phone number, or any location when booking."""

    type: Literal["attendeeAddress", "attendeePhone", "attendeeDefined"]


def _location_kind(value: Any) -> str | None:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    if kind in ("attendeeAddress", "attendeePhone", "attendeeDefined"):
        return "attendee"
    if kind in ("address", "link", "integration", "phone"):
        return str(kind)
    return None


LocationInput = Annotated[
    Annotated[AddressLocation, Tag("address")]
    | Annotated[LinkLocation, Tag("link")]
    | Annotated[IntegrationLocation, Tag("integration")]
    | Annotated[PhoneLocation, Tag("phone")]
    | Annotated[AttendeeLocation, Tag("attendee")],
    Discriminator(
        _location_kind,
        custom_error_type="invalid_location",
        custom_error_message=(
            "type must be one of address, link, integration, phone, attendeeAddress, "
            "attendeePhone, attendeeDefined"
        ),
    ),
]


class _EventTypeFields(StrictInput):
    """Every optional field of ``CreateEventTypeInput_2024_06_14`` (Cal.com names)."""

    lengthInMinutesOptions: list[MeetingMinutes] | None = Field(
        default=None, min_length=1, max_length=MAX_OPTIONS
    )
    description: Text | None = None
    bookingFields: list[BookingFieldInput] | None = Field(default=None, max_length=MAX_FIELDS)
    disableGuests: StrictBool | None = None
    slotInterval: MeetingMinutes | None = None
    minimumBookingNotice: Notice | None = None
    beforeEventBuffer: Buffer | None = None
    afterEventBuffer: Buffer | None = None
    scheduleId: Id | None = None
    bookingLimitsCount: BookingLimitsCount | None = None
    bookerActiveBookingsLimit: BookerActiveBookingsLimit | None = None
    onlyShowFirstAvailableSlot: StrictBool | None = None
    bookingLimitsDuration: BookingLimitsDuration | None = None
    bookingWindow: BookingWindow | None = None
    offsetStart: Annotated[int, Whole(0, MAX_MEETING_MINUTES)] | None = None
    bookerLayouts: BookerLayouts | None = None
    confirmationPolicy: ConfirmationPolicy | None = None
    recurrence: Recurrence | None = None
    requiresBookerEmailVerification: StrictBool | None = None
    hideCalendarNotes: StrictBool | None = None
    lockTimeZoneToggleOnBookingPage: StrictBool | None = None
    color: EventTypeColor | None = None
    seats: Seats | None = None
    customName: Annotated[str, Field(max_length=1000)] | None = None
    destinationCalendar: DestinationCalendar | None = None
    useDestinationCalendarEmail: StrictBool | None = None
    hideCalendarEventDetails: StrictBool | None = None
    successRedirectUrl: str | None = Field(default=None, max_length=MAX_URL)
    hideOrganizerEmail: StrictBool | None = None
    calVideoSettings: CalVideoSettings | None = None
    hidden: StrictBool | None = None
    bookingRequiresAuthentication: StrictBool | None = None
    disableCancelling: DisableCancelling | None = None
    disableRescheduling: DisableRescheduling | None = None
    interfaceLanguage: Literal[LANGUAGES] | None = None  # type: ignore[valid-type]  # from a tuple
    allowReschedulingPastBookings: StrictBool | None = None
    allowReschedulingCancelledBookings: StrictBool | None = None
    showOptimizedSlots: StrictBool | None = None
    locations: list[LocationInput] | None = Field(default=None, max_length=MAX_OPTIONS)

    _redirect = field_validator("successRedirectUrl")(lambda v: v if v is None else check_url(v))

    @field_validator("lengthInMinutesOptions")
    @classmethod
    def _unique_lengths(cls, value: list[int] | None) -> list[int] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("durations must be unique")
        return value

    @field_validator("bookingFields")
    @classmethod
    def _unique_fields(cls, value: list[BaseModel] | None) -> list[BaseModel] | None:
        if value is not None:
            build_booking_fields(value)  # raises ValueError naming a duplicate
        return value


Title = Annotated[str, Field(min_length=1, max_length=500)]
SlugText = Annotated[str, Field(min_length=1, max_length=200)]


class CreateEventTypeInput(_EventTypeFields):
    """Cal.com ``CreateEventTypeInput_2024_06_14``: ``lengthInMinutes``, ``title`` and ``slug``
    are required; the slug is normalised (lower case, dashes)."""

    lengthInMinutes: MeetingMinutes
    title: Title
    slug: SlugText


class UpdateEventTypeInput(_EventTypeFields):
    """Cal.com ``UpdateEventTypeInput_2024_06_14``: every field optional. ``null`` resets a
    setting to its default (``scheduleId: null`` → the user's default schedule); it is refused
    for ``lengthInMinutes``, ``title`` and ``slug``."""

    lengthInMinutes: NonNull[MeetingMinutes] = None
    title: NonNull[Title] = None
    slug: NonNull[SlugText] = None


def given_fields(body: BaseModel) -> dict[str, Any]:
    """The top-level fields the client sent, with nested objects as dicts of what was sent.

    Locations are dumped with their defaults (``public: false``) so the stored shape is complete.
    """
    out = body.model_dump(exclude_unset=True)
    locations = getattr(body, "locations", None)
    if locations is not None:
        out["locations"] = [loc.model_dump() for loc in locations]
    return out
