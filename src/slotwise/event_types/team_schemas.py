"""Request bodies of /v2/teams/{teamId}/event-types: Cal.com's
``CreateTeamEventTypeInput_2024_06_14`` and ``UpdateTeamEventTypeInput_2024_06_14``.

Every field of a personal event type comes from :mod:`slotwise.event_types.schemas` (same
types, same limits, same validation); the team adds:

- ``schedulingType``: ``collective``, ``roundRobin`` or ``managed``; Cal.com also accepts its
  enum names ``COLLECTIVE``, ``ROUND_ROBIN`` and ``MANAGED`` (normalised to the first form). An
  update cannot turn an event type into or out of ``managed`` (Cal.com's rule).
- ``hosts``: ``[{userId, mandatory?, priority?}]`` (priority ``lowest`` … ``highest``,
  default ``medium``; mandatory is Cal.com's ``isFixed``, default false; for a collective
  event type every host is mandatory) and, as Slotwise extensions (docs/extensions.md), per host
  ``weight`` (weighted round robin, default 100) and ``scheduleId`` (the host's own schedule).
- ``assignAllTeamMembers`` (every accepted member, now and later, is a host), and
  ``rescheduleWithSameRoundRobinHost``; extensions ``isRRWeightsEnabled`` and
  ``includeNoShowInRRCalculation``.
- ``locations`` may also be ``{"type": "organizersDefaultApp"}`` (each host's default app;
  Cal Video here), as Cal.com's team locations;
- ``emailSettings`` is refused: Cal.com offers it to organization teams only.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, StrictBool, Tag, field_validator, model_validator

from slotwise.event_types.schemas import (
    MAX_OPTIONS,
    AddressLocation,
    AttendeeLocation,
    CreateEventTypeInput,
    IntegrationLocation,
    LinkLocation,
    PhoneLocation,
    UpdateEventTypeInput,
)
from slotwise.kit.schemas import Id, NonNull, StrictInput, Whole
from slotwise.models.scheduling import DEFAULT_PRIORITY, DEFAULT_WEIGHT, PRIORITIES

COLLECTIVE = "collective"
ROUND_ROBIN = "roundRobin"
MANAGED = "managed"
SCHEDULING_ALIASES = {
    "collective": COLLECTIVE,
    "COLLECTIVE": COLLECTIVE,
    "roundRobin": ROUND_ROBIN,
    "ROUND_ROBIN": ROUND_ROBIN,
    "managed": MANAGED,
    "MANAGED": MANAGED,
}
"""The spellings Cal.com accepts for ``schedulingType`` → the stored (API) name."""
MAX_HOSTS = 500
MAX_WEIGHT = 10_000
TEAM_FIELDS = frozenset(
    {
        "schedulingType",
        "hosts",
        "assignAllTeamMembers",
        "rescheduleWithSameRoundRobinHost",
        "isRRWeightsEnabled",
        "includeNoShowInRRCalculation",
        "managedEventConfig",
    }
)
"""Fields of the team bodies that are not personal event-type fields (the team service
stores them; the shared event-type rules never see them)."""
TEAM_FLAGS = (
    "assignAllTeamMembers",
    "rescheduleWithSameRoundRobinHost",
    "isRRWeightsEnabled",
    "includeNoShowInRRCalculation",
)
"""Boolean team settings stored in ``EventType.config`` under these (Cal.com) names."""


LOCKABLE_FIELDS = frozenset(set(CreateEventTypeInput.model_fields) - {"hidden", "scheduleId"})
"""API fields a managed event type may leave unlocked for its members."""


class OrganizersDefaultAppLocation(StrictInput):
    """Each host's default conferencing app (a team-only location of Cal.com; Cal Video for
    hosts without another app)."""

    type: Literal["organizersDefaultApp"]


def _team_location_kind(value: Any) -> str | None:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    if kind in ("attendeeAddress", "attendeePhone", "attendeeDefined"):
        return "attendee"
    if kind in ("address", "link", "integration", "phone", "organizersDefaultApp"):
        return str(kind)
    return None


TeamLocationInput = Annotated[
    Annotated[AddressLocation, Tag("address")]
    | Annotated[LinkLocation, Tag("link")]
    | Annotated[IntegrationLocation, Tag("integration")]
    | Annotated[PhoneLocation, Tag("phone")]
    | Annotated[AttendeeLocation, Tag("attendee")]
    | Annotated[OrganizersDefaultAppLocation, Tag("organizersDefaultApp")],
    Discriminator(
        _team_location_kind,
        custom_error_type="invalid_location",
        custom_error_message=(
            "type must be one of address, link, integration, phone, attendeeAddress, "
            "attendeePhone, attendeeDefined, organizersDefaultApp"
        ),
    ),
]
"""A team event type's location: a personal one, or ``organizersDefaultApp``."""


class ManagedEventConfig(StrictInput):
    """Cal.com's ``metadata.managedEventConfig`` (a Slotwise extension body field):
    ``unlockedFields`` maps API field names (``title``, ``lengthInMinutes``, ``locations``, …)
    to true: each member keeps their own value of those fields."""

    unlockedFields: dict[str, StrictBool] = Field(default_factory=dict, max_length=100)

    @field_validator("unlockedFields")
    @classmethod
    def _known(cls, value: dict[str, bool]) -> dict[str, bool]:
        unknown = sorted(set(value) - LOCKABLE_FIELDS)
        if unknown:
            raise ValueError(f"unknown fields: {', '.join(unknown)}")
        return value


class HostInput(StrictInput):
    """One host of a team event type (Cal.com's ``Host``, plus the ``weight`` and
    ``scheduleId`` extensions)."""

    userId: Id
    mandatory: StrictBool | None = None
    priority: Literal[PRIORITIES] | None = None  # type: ignore[valid-type]  # from a tuple
    weight: Annotated[int, Whole(0, MAX_WEIGHT)] | None = None
    scheduleId: Id | None = None

    def priority_index(self) -> int:
        """``priority`` as stored: 0 (lowest) … 4 (highest), default 2 (medium)."""
        return PRIORITIES.index(self.priority) if self.priority else DEFAULT_PRIORITY

    def weight_or_default(self) -> int:
        """``weight``, default 100."""
        return DEFAULT_WEIGHT if self.weight is None else self.weight


def _scheduling_type(value: Any) -> Any:
    if isinstance(value, str) and value in SCHEDULING_ALIASES:
        return SCHEDULING_ALIASES[value]
    return value


def _unique_hosts(hosts: list[HostInput] | None) -> list[HostInput] | None:
    if hosts is not None:
        seen: set[int] = set()
        for host in hosts:
            if host.userId in seen:
                raise ValueError(f"host {host.userId} is listed twice")
            seen.add(host.userId)
    return hosts


class _TeamFields(StrictInput):
    """The team fields shared by create and update."""

    hosts: list[HostInput] | None = Field(default=None, max_length=MAX_HOSTS)
    assignAllTeamMembers: StrictBool | None = None
    rescheduleWithSameRoundRobinHost: StrictBool | None = None
    isRRWeightsEnabled: StrictBool | None = None
    includeNoShowInRRCalculation: StrictBool | None = None
    managedEventConfig: ManagedEventConfig | None = None

    _hosts = field_validator("hosts")(_unique_hosts)

    @model_validator(mode="after")
    def _hosts_or_all(self) -> _TeamFields:
        if self.assignAllTeamMembers and self.hosts:
            raise ValueError("Provide either hosts or assignAllTeamMembers but not both")
        return self


class CreateTeamEventTypeInput(CreateEventTypeInput, _TeamFields):
    """Cal.com ``CreateTeamEventTypeInput_2024_06_14``: a personal event type's fields (all
    optional but ``lengthInMinutes``, ``title``, ``slug``) plus ``schedulingType`` (required)
    and the team fields of the module docstring."""

    schedulingType: Literal["collective", "roundRobin", "managed"]
    # a wider union than the personal field's: team locations add organizersDefaultApp
    locations: list[TeamLocationInput] | None = Field(  # type: ignore[assignment]
        default=None, max_length=MAX_OPTIONS
    )

    _scheduling = field_validator("schedulingType", mode="before")(_scheduling_type)


class UpdateTeamEventTypeInput(UpdateEventTypeInput, _TeamFields):
    """Cal.com ``UpdateTeamEventTypeInput_2024_06_14``: every field optional;
    ``schedulingType`` may switch between ``collective`` and ``roundRobin`` only (then give
    ``hosts`` or ``assignAllTeamMembers``, else the event type is left without hosts, as
    Cal.com does)."""

    schedulingType: NonNull[Literal["collective", "roundRobin"]] = None
    # a wider union than the personal field's: team locations add organizersDefaultApp
    locations: list[TeamLocationInput] | None = Field(  # type: ignore[assignment]
        default=None, max_length=MAX_OPTIONS
    )

    _scheduling = field_validator("schedulingType", mode="before")(_scheduling_type)
