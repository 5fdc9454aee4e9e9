"""Booking fields of an event type: the input shapes, Cal.com's default (system) fields, and the
merged list stored in ``EventType.config["bookingFields"]``.

The stored list is in Cal.com's ``*FieldOutput_2024_06_14`` shape, in Cal.com's order: ``name``,
``email``, ``location``, then the user's own fields (and ``attendeePhoneNumber``) in the order
given, then ``title``, ``notes``, ``guests``, ``rescheduleReason``. Default fields carry
``isDefault: true``; a default field sent in the input only overrides the properties it names.
:func:`effective_booking_fields` is what bookings should validate responses against.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    Discriminator,
    Field,
    StrictBool,
    Tag,
    field_validator,
    model_validator,
)

from slotwise.event_types.settings import EventTypeSettings, parse_settings
from slotwise.kit.schemas import StrictInput

CUSTOM_TYPES = (
    "phone",
    "address",
    "text",
    "number",
    "textarea",
    "select",
    "multiselect",
    "multiemail",
    "checkbox",
    "radio",
    "boolean",
    "url",
)
WITH_OPTIONS = frozenset({"select", "multiselect", "checkbox", "radio"})
WITHOUT_PLACEHOLDER = frozenset({"boolean", "checkbox", "radio", "multiselect"})
BEFORE = ("name", "email", "location")
AFTER = ("title", "notes", "guests", "rescheduleReason")
RESERVED_SLUGS = frozenset(BEFORE + AFTER + ("attendeePhoneNumber",))
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
MAX_FIELD_OPTIONS = 100
Label = Annotated[str, Field(max_length=1000)]
"""A field's label or placeholder: at most 1000 characters."""
Option = Annotated[str, Field(max_length=500)]
"""One option of a select/multiselect/checkbox/radio field: at most 500 characters."""

DEFAULT_FIELDS: dict[str, dict[str, Any]] = {
    "name": {
        "isDefault": True,
        "type": "name",
        "slug": "name",
        "required": True,
        "label": "Your name",
        "placeholder": "",
        "disableOnPrefill": False,
    },
    "email": {
        "isDefault": True,
        "type": "email",
        "slug": "email",
        "required": True,
        "label": "Email address",
        "placeholder": "",
        "disableOnPrefill": False,
        "hidden": False,
    },
    "location": {
        "isDefault": True,
        "type": "radioInput",
        "slug": "location",
        "required": False,
        "hidden": False,
        "label": "Location",
    },
    "title": {
        "isDefault": True,
        "type": "text",
        "slug": "title",
        "required": True,
        "hidden": True,
        "label": "What is this meeting about?",
        "disableOnPrefill": False,
    },
    "notes": {
        "isDefault": True,
        "type": "textarea",
        "slug": "notes",
        "required": False,
        "hidden": False,
        "label": "Additional notes",
        "disableOnPrefill": False,
    },
    "guests": {
        "isDefault": True,
        "type": "multiemail",
        "slug": "guests",
        "required": False,
        "hidden": False,
        "label": "Add guests",
        "disableOnPrefill": False,
    },
    "rescheduleReason": {
        "isDefault": True,
        "type": "textarea",
        "slug": "rescheduleReason",
        "required": False,
        "hidden": False,
        "label": "Reason for reschedule",
        "disableOnPrefill": False,
    },
    "attendeePhoneNumber": {
        "isDefault": True,
        "type": "phone",
        "slug": "attendeePhoneNumber",
        "required": False,
        "hidden": False,
        "label": "Phone number",
        "placeholder": "",
        "disableOnPrefill": False,
    },
}


class NameFieldInput(StrictInput):
    """The default name field (``NameDefaultFieldInput_2024_06_14``)."""

    type: Literal["name"]
    label: Label | None = None
    placeholder: Label | None = None
    disableOnPrefill: StrictBool | None = None


class EmailFieldInput(StrictInput):
    """The default email field; must stay required and visible (Cal.com's rule)."""

    type: Literal["email"]
    label: Label | None = None
    placeholder: Label | None = None
    required: StrictBool | None = None
    hidden: StrictBool | None = None
    disableOnPrefill: StrictBool | None = None


class LocationFieldInput(StrictInput):
    """The default location field: only its label can be changed."""

    slug: Literal["location"]
    label: Label | None = None


class SystemFieldInput(StrictInput):
    """The default ``title``/``notes``/``guests``/``rescheduleReason`` fields (no ``type``)."""

    slug: Literal["title", "notes", "guests", "rescheduleReason"]
    label: Label | None = None
    placeholder: Label | None = None
    required: StrictBool | None = None
    hidden: StrictBool | None = None
    disableOnPrefill: StrictBool | None = None


class AttendeePhoneFieldInput(StrictInput):
    """The system phone field (``type: phone``, ``slug: attendeePhoneNumber``)."""

    type: Literal["phone"]
    slug: Literal["attendeePhoneNumber"]
    label: Label | None = None
    placeholder: Label | None = None
    required: StrictBool | None = None
    hidden: StrictBool | None = None
    disableOnPrefill: StrictBool | None = None


class CustomFieldInput(StrictInput):
    """A user field (``PhoneFieldInput``, ``TextFieldInput``, ``SelectFieldInput``, …).

    ``options`` is required (non-empty, unique) for select, multiselect, checkbox and radio and
    refused for the others; ``placeholder`` is refused for boolean, checkbox, radio, multiselect.
    """

    type: Literal[
        "phone",
        "address",
        "text",
        "number",
        "textarea",
        "select",
        "multiselect",
        "multiemail",
        "checkbox",
        "radio",
        "boolean",
        "url",
    ]
    slug: str = Field(min_length=1, max_length=100)
    label: Label
    required: StrictBool = False
    placeholder: Label | None = None
    options: list[Option] | None = Field(default=None, max_length=MAX_FIELD_OPTIONS)
    hidden: StrictBool = False
    disableOnPrefill: StrictBool = False

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if value in RESERVED_SLUGS:
            raise ValueError(
                f"slug '{value}' belongs to a default field: configure it without 'type' "
                f'(e.g. {{"slug": "{value}", "required": true}})'
            )
        if not _SLUG.match(value):
            raise ValueError(
                f"slug '{value}' is invalid: use letters, digits, '-' or '_' (no spaces)"
            )
        return value

    @model_validator(mode="after")
    def _by_type(self) -> CustomFieldInput:
        if self.type in WITH_OPTIONS:
            if not self.options:
                raise ValueError(f"options are required for a {self.type} field")
            if len(set(self.options)) != len(self.options):
                raise ValueError("options must be unique")
        elif self.options is not None:
            raise ValueError(f"options are not allowed for a {self.type} field")
        if self.type in WITHOUT_PLACEHOLDER and self.placeholder is not None:
            raise ValueError(f"placeholder is not allowed for a {self.type} field")
        return self


def _get(value: Any, key: str) -> Any:
    if isinstance(value, dict):
        return value.get(key)
    if isinstance(value, BaseModel):
        return getattr(value, key, None)
    return None


def _field_kind(value: Any) -> str | None:
    kind, slug = _get(value, "type"), _get(value, "slug")
    if kind == "name":
        return "name"
    if kind == "email":
        return "email"
    if kind == "phone" and slug == "attendeePhoneNumber":
        return "attendeePhone"
    if kind is None and slug == "location":
        return "location"
    if kind is None and slug in AFTER:
        return "system"
    if kind in CUSTOM_TYPES:
        return "custom"
    return None


BookingFieldInput = Annotated[
    Annotated[NameFieldInput, Tag("name")]
    | Annotated[EmailFieldInput, Tag("email")]
    | Annotated[LocationFieldInput, Tag("location")]
    | Annotated[SystemFieldInput, Tag("system")]
    | Annotated[AttendeePhoneFieldInput, Tag("attendeePhone")]
    | Annotated[CustomFieldInput, Tag("custom")],
    Discriminator(
        _field_kind,
        custom_error_type="invalid_booking_field",
        custom_error_message=(
            "each booking field needs a type (name, email, "
            + ", ".join(CUSTOM_TYPES)
            + ") or, without type, the slug of a default field (location, "
            + ", ".join(AFTER)
            + ")"
        ),
    ),
]


def _given(field: BaseModel) -> dict[str, Any]:
    return {k: v for k, v in field.model_dump(exclude_unset=True).items() if v is not None}


def default_booking_fields() -> list[dict[str, Any]]:
    """Cal.com's default fields of an event type with no booking fields configured."""
    return [copy.deepcopy(DEFAULT_FIELDS[slug]) for slug in BEFORE + AFTER]


def build_booking_fields(inputs: list[Any]) -> list[dict[str, Any]]:
    """Merge the given fields with the defaults, in Cal.com's order.

    Raises ValueError naming a field given twice.
    """
    system: dict[str, dict[str, Any]] = {}
    middle: list[dict[str, Any]] = []
    seen: set[str] = set()
    for field in inputs:
        key = field.type if isinstance(field, NameFieldInput | EmailFieldInput) else field.slug
        if key in seen:
            raise ValueError(f"booking field '{key}' is given more than once")
        seen.add(key)
        if isinstance(field, CustomFieldInput):
            out: dict[str, Any] = {
                "isDefault": False,
                "type": field.type,
                "slug": field.slug,
                "label": field.label,
                "required": field.required,
            }
            if field.type not in WITHOUT_PLACEHOLDER:
                out["placeholder"] = field.placeholder or ""
            if field.options is not None:
                out["options"] = list(field.options)
            out["disableOnPrefill"] = field.disableOnPrefill
            out["hidden"] = field.hidden
            middle.append(out)
        elif isinstance(field, AttendeePhoneFieldInput):
            middle.append({**copy.deepcopy(DEFAULT_FIELDS[key]), **_given(field)})
        else:
            merged = {**copy.deepcopy(DEFAULT_FIELDS[key]), **_given(field)}
            merged["slug"] = key
            merged["type"] = DEFAULT_FIELDS[key]["type"]
            system[key] = merged
    before = [system.get(s) or copy.deepcopy(DEFAULT_FIELDS[s]) for s in BEFORE]
    after = [system.get(s) or copy.deepcopy(DEFAULT_FIELDS[s]) for s in AFTER]
    return before + middle + after


def effective_booking_fields(
    config: Mapping[str, Any] | EventTypeSettings,
) -> list[dict[str, Any]]:
    """The booking fields of an event type (its parsed settings, or a ``config`` dict being
    written): a copy of the stored list, else the defaults (with ``guests`` hidden when
    ``disableGuests`` is set)."""
    settings = config if isinstance(config, EventTypeSettings) else parse_settings(config)
    stored = settings.booking_fields_copy()
    if stored:
        return stored
    fields = default_booking_fields()
    if settings.page.disable_guests:
        fields = with_guests_hidden(fields, True)
    return fields


def with_guests_hidden(fields: list[dict[str, Any]], hidden: bool) -> list[dict[str, Any]]:
    """``fields`` with the default ``guests`` field hidden or shown (``disableGuests``)."""
    out = copy.deepcopy(fields)
    for field in out:
        if field.get("slug") == "guests" and field.get("isDefault"):
            field["hidden"] = hidden
    return out


def email_is_accessible(fields: list[dict[str, Any]]) -> bool:
    """True when the email field is required and visible (Cal.com requires it for personal
    event types)."""
    email = next((f for f in fields if f.get("slug") == "email" and f.get("isDefault")), None)
    return bool(email and email.get("required") and not email.get("hidden"))


def visible_fields(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The fields a booker sees (hidden ones left out), as Cal.com's event-type listing shows."""
    return [f for f in fields if not f.get("hidden")]
