"""The location objects of booking requests (cal-api-version 2024-08-13): the ``location`` of
``CreateBookingInput_2024_08_13`` (one of the event type's location kinds, or a plain string) and
the body of PATCH /v2/bookings/{uid}/location (``UpdateBookingLocationInput_2024_08_13``).
Unknown properties are a 400 naming them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter, ValidationError, field_validator

from slotwise.bookings.phones import check_phone
from slotwise.kit.schemas import StrictInput

INTEGRATIONS = (
    "cal-video", "google-meet", "zoom", "whereby-video", "whatsapp-video", "webex-video",
    "telegram-video", "tandem", "sylaps-video", "skype-video", "sirius-video", "signal-video",
    "shimmer-video", "salesroom-video", "roam-video", "riverside-video", "ping-video",
    "office365-video", "mirotalk-video", "jitsi", "jelly-video", "jelly-conferencing", "huddle",
    "facetime-video", "element-call-video", "eightxeight-video", "discord-video",
    "demodesk-video", "campfire-video",
)  # fmt: skip


Integration = Literal[INTEGRATIONS]  # type: ignore[valid-type]  # literal built from a tuple


class AddressLocationInput(StrictInput):
    """The event type's in-person address."""

    type: Literal["address"]


class AttendeeAddressLocationInput(StrictInput):
    """An address the attendee gives."""

    type: Literal["attendeeAddress"]
    address: str = Field(min_length=1, max_length=1000)


class AttendeeDefinedLocationInput(StrictInput):
    """Any location the attendee gives."""

    type: Literal["attendeeDefined"]
    location: str = Field(min_length=1, max_length=1000)


class AttendeePhoneLocationInput(StrictInput):
    """A phone number the attendee gives (the organizer calls it)."""

    type: Literal["attendeePhone"]
    phone: str = Field(min_length=1, max_length=40)


class IntegrationLocationInput(StrictInput):
    """A conferencing app offered by the event type."""

    type: Literal["integration"]
    integration: Integration


class LinkLocationInput(StrictInput):
    """The event type's meeting link."""

    type: Literal["link"]


class PhoneLocationInput(StrictInput):
    """The organizer's phone number from the event type."""

    type: Literal["phone"]


class OrganizersDefaultAppLocationInput(StrictInput):
    """The organizer's default conferencing app."""

    type: Literal["organizersDefaultApp"]


BookingLocationInput = Annotated[
    AddressLocationInput
    | AttendeeAddressLocationInput
    | AttendeeDefinedLocationInput
    | AttendeePhoneLocationInput
    | IntegrationLocationInput
    | LinkLocationInput
    | PhoneLocationInput
    | OrganizersDefaultAppLocationInput,
    Field(discriminator="type"),
]


_LOCATIONS: TypeAdapter[Any] = TypeAdapter(BookingLocationInput)
LOCATION_TYPES = (
    "address", "attendeeAddress", "attendeeDefined", "attendeePhone", "integration", "link",
    "phone", "organizersDefaultApp",
)  # fmt: skip


def parse_location(value: Any) -> Any:
    """A location object (validated by its ``type``) or a plain string; readable errors."""
    if value is None or isinstance(value, str):
        return value
    if not isinstance(value, dict):
        raise ValueError('must be an object such as {"type": "link"} or a string')
    kind = value.get("type")
    if kind not in LOCATION_TYPES:
        raise ValueError(f"type must be one of {', '.join(LOCATION_TYPES)} (got {kind!r})")
    try:
        return _LOCATIONS.validate_python(value)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = ".".join(str(p) for p in err["loc"][1:]) or "location"
            if err["type"] == "missing":
                problems.append(f"{name} is required for type {kind}")
            elif err["type"] == "extra_forbidden":
                problems.append(f"property {name} should not exist for type {kind}")
            else:
                problems.append(f"{name}: {err['msg']}")
        raise ValueError("; ".join(problems)) from None


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
