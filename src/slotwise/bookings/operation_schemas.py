"""Request bodies of the booking operations beyond create/cancel/reschedule (2024-08-13).

Names follow the reference: ``MarkAbsentBookingInput_2024_08_13``,
``UpdateBookingLocationInput_2024_08_13``, ``AddAttendeeInput_2024_08_13``,
``AddGuestsInput_2024_08_13``; ``RequestRescheduleInput`` (documented operation, not in the
reference file) is ``{"rescheduleReason"}``. Unknown properties are a 400 naming them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import EmailStr, Field, StrictBool, field_validator

from slotwise.bookings.schemas import (
    AttendeeAddressLocationInput,
    AttendeeDefinedLocationInput,
    Language,
    check_phone,
)
from slotwise.kit.schemas import StrictInput
from slotwise.kit.timezones import check_time_zone

MAX_GUESTS_PER_REQUEST = 10
MAX_GUESTS_PER_BOOKING = 30


class MarkAbsentAttendee(StrictInput):
    """One attendee's no-show flag: ``email`` must be an attendee of the booking."""

    email: EmailStr
    absent: StrictBool


class MarkAbsentInput(StrictInput):
    """``MarkAbsentBookingInput_2024_08_13``: ``host`` absent or not, and attendees' flags."""

    host: StrictBool | None = None
    attendees: list[MarkAbsentAttendee] | None = Field(default=None, max_length=200)


class AddressUpdate(StrictInput):
    """The organizer's address (``UpdateInputAddressLocation_2024_08_13``)."""

    type: Literal["address"]
    address: str = Field(min_length=1, max_length=1000)


# The attendee's address or free-form location: the same bodies as when booking.
AttendeeAddressUpdate = AttendeeAddressLocationInput
AttendeeDefinedUpdate = AttendeeDefinedLocationInput


class AttendeePhoneUpdate(StrictInput):
    """A phone number of the attendee (E.164)."""

    type: Literal["attendeePhone"]
    phone: str = Field(min_length=1, max_length=40)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        return check_phone(value)


class LinkUpdate(StrictInput):
    """A meeting link."""

    type: Literal["link"]
    link: str = Field(min_length=1, max_length=1000)


class PhoneUpdate(StrictInput):
    """The organizer's phone number (E.164)."""

    type: Literal["phone"]
    phone: str = Field(min_length=1, max_length=40)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        return check_phone(value)


LocationUpdate = Annotated[
    AddressUpdate
    | AttendeeAddressUpdate
    | AttendeeDefinedUpdate
    | AttendeePhoneUpdate
    | LinkUpdate
    | PhoneUpdate,
    Field(discriminator="type"),
]


class UpdateLocationInput(StrictInput):
    """``UpdateBookingLocationInput_2024_08_13``: the new location object (required here:
    a PATCH without it would change nothing)."""

    location: LocationUpdate


class RequestRescheduleInput(StrictInput):
    """Body of POST /v2/bookings/{uid}/request-reschedule."""

    rescheduleReason: str | None = Field(default=None, max_length=2000)


class AddAttendeeInput(StrictInput):
    """``AddAttendeeInput_2024_08_13``; ``language`` defaults to ``en``."""

    name: str = Field(min_length=1, max_length=200)
    email: EmailStr
    timeZone: str
    phoneNumber: str | None = Field(default=None, max_length=40)
    language: Language | None = None

    @field_validator("timeZone")
    @classmethod
    def _tz(cls, value: str) -> str:
        return check_time_zone(value)

    @field_validator("phoneNumber")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return None if value is None else check_phone(value)


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
