"""Generate ``src/slotwise/kit/openapi_schemas.json``: the response schemas of /openapi.json.

Usage: ``python scripts/gen_openapi_schemas.py [--check] [--spec PATH]``

The server describes its answers with Cal.com's own output schemas where Slotwise follows them.
This script reads the reference (``$SLOTWISE_CAL_REFERENCE``, else
``../shared/reference/cal-api-v2.openapi.json`` beside the checkout) and writes a JSON file the
server loads at start (it never needs the reference at runtime):

- ``operations``: ``"METHOD /path"`` -> ``{variant: schema name}``, where the variant is the
  ``cal-api-version`` of the route (``"legacy"`` for the route answering requests without it,
  ``"*"`` for unversioned routes): the schema of the success answer, envelope included;
- ``schemas``: every component schema those reach, converted from OpenAPI 3.0 to 3.1 (JSON
  Schema 2020-12: ``nullable`` becomes a ``"null"`` type, examples are dropped), with the
  reference's mistakes corrected (:data:`FIXES`, listed in docs/compatibility.md) and the
  schemas of operations the reference lacks written here (:data:`HAND_WRITTEN`).

``--check`` exits 1 when the committed file differs from what would be generated.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SPEC = Path(
    os.environ.get("SLOTWISE_CAL_REFERENCE")
    or ROOT.parent / "shared" / "reference" / "cal-api-v2.openapi.json"
)
OUT = ROOT / "src" / "slotwise" / "kit" / "openapi_schemas.json"
REF = "#/components/schemas/"

# Operation -> {variant: schema}. A schema is a reference component name, or ("ref", METHOD,
# PATH): the success answer the reference documents for that operation.
OPERATIONS: dict[str, dict[str, Any]] = {}


def _from_reference(method: str, path: str, variant: str = "*") -> None:
    OPERATIONS[f"{method} {path}"] = {variant: ("ref", method, path)}


for _method, _path in [
    ("GET", "/v2/me"),
    ("PATCH", "/v2/me"),
    ("POST", "/v2/webhooks"),
    ("GET", "/v2/webhooks"),
    ("GET", "/v2/webhooks/{webhookId}"),
    ("PATCH", "/v2/webhooks/{webhookId}"),
    ("DELETE", "/v2/webhooks/{webhookId}"),
    ("POST", "/v2/event-types/{eventTypeId}/webhooks"),
    ("GET", "/v2/event-types/{eventTypeId}/webhooks"),
    ("DELETE", "/v2/event-types/{eventTypeId}/webhooks"),
    ("GET", "/v2/event-types/{eventTypeId}/webhooks/{webhookId}"),
    ("PATCH", "/v2/event-types/{eventTypeId}/webhooks/{webhookId}"),
    ("DELETE", "/v2/event-types/{eventTypeId}/webhooks/{webhookId}"),
    ("POST", "/v2/event-types/{eventTypeId}/private-links"),
    ("GET", "/v2/event-types/{eventTypeId}/private-links"),
    ("PATCH", "/v2/event-types/{eventTypeId}/private-links/{linkId}"),
    ("DELETE", "/v2/event-types/{eventTypeId}/private-links/{linkId}"),
    ("POST", "/v2/api-keys/refresh"),
    ("POST", "/v2/teams"),
    ("GET", "/v2/teams"),
    ("GET", "/v2/teams/{teamId}"),
    ("PATCH", "/v2/teams/{teamId}"),
    ("DELETE", "/v2/teams/{teamId}"),
    ("POST", "/v2/teams/{teamId}/invite"),
    ("GET", "/v2/teams/{teamId}/schedules"),
    ("POST", "/v2/teams/{teamId}/memberships"),
    ("GET", "/v2/teams/{teamId}/memberships"),
    ("GET", "/v2/teams/{teamId}/memberships/{membershipId}"),
    ("PATCH", "/v2/teams/{teamId}/memberships/{membershipId}"),
    ("DELETE", "/v2/teams/{teamId}/memberships/{membershipId}"),
    ("POST", "/v2/teams/{teamId}/event-types"),
    ("GET", "/v2/teams/{teamId}/event-types"),
    ("GET", "/v2/teams/{teamId}/event-types/{eventTypeId}"),
    ("PATCH", "/v2/teams/{teamId}/event-types/{eventTypeId}"),
    ("DELETE", "/v2/teams/{teamId}/event-types/{eventTypeId}"),
    # documented with the reference's answer; Slotwise answers 501 (kit/openapi.NOT_IMPLEMENTED)
    ("POST", "/v2/teams/{teamId}/event-types/{eventTypeId}/create-phone-call"),
    ("POST", "/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks"),
    ("GET", "/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks"),
    ("DELETE", "/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks"),
    ("GET", "/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks/{webhookId}"),
    ("PATCH", "/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks/{webhookId}"),
    ("DELETE", "/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks/{webhookId}"),
    ("POST", "/v2/calendars/ics-feed/save"),
    ("GET", "/v2/calendars/busy-times"),
    ("GET", "/v2/calendars"),
    ("POST", "/v2/calendars/{calendar}/disconnect"),
    ("POST", "/v2/selected-calendars"),
    ("DELETE", "/v2/selected-calendars"),
    ("PUT", "/v2/destination-calendars"),
    ("GET", "/v2/calendars/{calendar}/event/{eventUid}"),
    ("PATCH", "/v2/calendars/{calendar}/events/{eventUid}"),
]:
    _from_reference(_method, _path)
for _method, _path, _version in [
    ("POST", "/v2/schedules", "2024-06-11"),
    ("GET", "/v2/schedules", "2024-06-11"),
    ("GET", "/v2/schedules/default", "2024-06-11"),
    ("GET", "/v2/schedules/{scheduleId}", "2024-06-11"),
    ("PATCH", "/v2/schedules/{scheduleId}", "2024-06-11"),
    ("DELETE", "/v2/schedules/{scheduleId}", "2024-06-11"),
    ("POST", "/v2/event-types", "2024-06-14"),
    ("GET", "/v2/event-types", "2024-06-14"),
    ("GET", "/v2/event-types/{eventTypeId}", "2024-06-14"),
    ("PATCH", "/v2/event-types/{eventTypeId}", "2024-06-14"),
    ("DELETE", "/v2/event-types/{eventTypeId}", "2024-06-14"),
    ("POST", "/v2/slots/reservations", "2024-09-04"),
    ("GET", "/v2/slots/reservations/{uid}", "2024-09-04"),
    ("PATCH", "/v2/slots/reservations/{uid}", "2024-09-04"),
    ("POST", "/v2/bookings", "2024-08-13"),
    ("GET", "/v2/bookings/by-seat/{seatUid}", "2024-08-13"),
    ("GET", "/v2/bookings/{bookingUid}", "2024-08-13"),
    ("POST", "/v2/bookings/{bookingUid}/cancel", "2024-08-13"),
    ("POST", "/v2/bookings/{bookingUid}/reschedule", "2024-08-13"),
    ("POST", "/v2/bookings/{bookingUid}/confirm", "2024-08-13"),
    ("POST", "/v2/bookings/{bookingUid}/decline", "2024-08-13"),
    ("POST", "/v2/bookings/{bookingUid}/mark-absent", "2024-08-13"),
    ("PATCH", "/v2/bookings/{bookingUid}/location", "2024-08-13"),
    ("GET", "/v2/bookings/{bookingUid}/attendees", "2024-08-13"),
    ("POST", "/v2/bookings/{bookingUid}/attendees", "2024-08-13"),
    ("GET", "/v2/bookings/{bookingUid}/attendees/{attendeeId}", "2024-08-13"),
    ("POST", "/v2/bookings/{bookingUid}/guests", "2024-08-13"),
    ("GET", "/v2/bookings/{bookingUid}/references", "2024-08-13"),
    ("GET", "/v2/bookings/{bookingUid}/calendar-links", "2024-08-13"),
]:
    _from_reference(_method, _path, _version)

# Operations whose success answer is written here (the reference lacks them, or documents them
# inline and wrongly).
OPERATIONS.update(
    {
        "GET /v2/slots": {"2024-09-04": "SlotsOutput_2024_09_04", "legacy": "LegacySlotsOutput"},
        "DELETE /v2/slots/reservations/{uid}": {"2024-09-04": "SuccessOutput"},
        "GET /v2/bookings": {
            "2024-08-13": ("ref", "GET", "/v2/bookings"),
            "2026-05-01": "CursorBookingsOutput_2026_05_01",
        },
        "POST /v2/bookings/{bookingUid}/request-reschedule": {
            "2024-08-13": "RequestRescheduleOutput_2024_08_13"
        },
        "POST /v2/bookings/{bookingUid}/reassign": {"2024-08-13": "ReassignOutput_2024_08_13"},
        "POST /v2/bookings/{bookingUid}/reassign/{userId}": {
            "2024-08-13": "ReassignOutput_2024_08_13"
        },
        "GET /v2/teams/{teamId}/bookings": {"*": ("ref", "GET", "/v2/teams/{teamId}/bookings")},
        "GET /v2/timezones": {"*": "TimezonesOutput"},
        "GET /v2/webhooks/{webhookId}/deliveries": {"*": "WebhookDeliveriesOutput"},
        "POST /v2/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver": {"*": "RedeliverOutput"},
        "GET /v2/me/booking-limits": {"*": "BookingLimitsOutput"},
        "PATCH /v2/me/booking-limits": {"*": "BookingLimitsOutput"},
        "DELETE /v2/me/booking-limits": {"*": None},  # 204, no body
        "POST /v2/me/ooo": {"*": "UserOooOutputResponseDto"},
        "GET /v2/me/ooo": {"*": "UserOoosOutputResponseDto"},
        "PATCH /v2/me/ooo/{oooId}": {"*": "UserOooOutputResponseDto"},
        "DELETE /v2/me/ooo/{oooId}": {"*": "UserOooOutputResponseDto"},
        "GET /v2/credits/available": {"*": "CreditsAvailableOutput"},
        "POST /v2/credits/charge": {"*": "CreditsChargeOutput"},
        "GET /v2/teams/{teamId}/users/{userId}/ooo": {"*": "UserOoosOutputResponseDto"},
        "POST /v2/teams/{teamId}/users/{userId}/ooo": {"*": "UserOooOutputResponseDto"},
        "PATCH /v2/teams/{teamId}/users/{userId}/ooo/{oooId}": {"*": "UserOooOutputResponseDto"},
        "DELETE /v2/teams/{teamId}/users/{userId}/ooo/{oooId}": {"*": "UserOooOutputResponseDto"},
        "POST /v2/teams/{teamId}/memberships/{membershipId}/accept": {
            "*": "CreateTeamMembershipOutput"
        },
        "POST /v2/teams/invites/{token}/accept": {"*": "CreateTeamMembershipOutput"},
        # documented inline as `{type: object}` or without a body: Cal.com answers
        # {"status": "success"}
        "GET /v2/calendars/ics-feed/check": {"*": "SuccessOutput"},
        "GET /v2/calendars/{calendar}/check": {"*": "SuccessOutput"},
        "POST /v2/calendars/{calendar}/credentials": {"*": "SuccessOutput"},
        "GET /v2/calendars/{calendar}/connect": {"*": "CalendarConnectOutput"},
        "GET /v2/calendars/{calendar}/save": {"*": "SuccessOutput"},
    }
)


def _envelope(data: dict[str, Any], **extra: dict[str, Any]) -> dict[str, Any]:
    props = {"status": {"type": "string", "enum": ["success"]}, "data": data, **extra}
    return {"type": "object", "properties": props, "required": ["status", "data", *extra]}


_NULLABLE_INT = {"type": ["integer", "null"]}
_SLOT = {
    "type": "object",
    "description": "One bookable start; ``end`` with format=range; seat counts for seated "
    "event types.",
    "properties": {
        "start": {"type": "string"},
        "end": {"type": "string"},
        "seatsBooked": {"type": "integer"},
        "seatsRemaining": {"type": "integer"},
        "seatsTotal": {"type": "integer"},
        "bookingUid": {"type": "string"},
    },
    "required": ["start"],
}
_NULLABLE_TEXT = {"type": ["string", "null"]}
HAND_WRITTEN: dict[str, dict[str, Any]] = {
    "CalendarConnectOutput": _envelope(
        {
            "type": "object",
            "description": "The provider's OAuth consent page (Cal.com: ``{authUrl}``).",
            "properties": {"authUrl": {"type": "string"}},
            "required": ["authUrl"],
        }
    ),
    "TeamEventTypeResponseHost": {
        "type": "object",
        "description": "A host of a team event type (Cal.com's TeamEventTypeResponseHost); "
        "round-robin hosts add mandatory, priority and the weight extension.",
        "properties": {
            "userId": {"type": "number"},
            "name": {"type": "string"},
            "username": {"type": "string"},
            "avatarUrl": _NULLABLE_TEXT,
            "mandatory": {"type": "boolean"},
            "priority": {"type": "string", "enum": ["lowest", "low", "medium", "high", "highest"]},
            "weight": {"type": "number"},
            "scheduleId": {"type": ["number", "null"]},
        },
        "required": ["userId", "name", "username"],
    },
    "TeamEventTypeTeam": {
        "type": "object",
        "description": "Cal.com's EventTypeTeam as the server sends it: fields the team has not "
        "set are null.",
        "properties": {
            "id": {"type": ["number", "null"]},
            "slug": _NULLABLE_TEXT,
            "bannerUrl": _NULLABLE_TEXT,
            "name": _NULLABLE_TEXT,
            "logoUrl": _NULLABLE_TEXT,
            "weekStart": _NULLABLE_TEXT,
            "brandColor": _NULLABLE_TEXT,
            "darkBrandColor": _NULLABLE_TEXT,
            "theme": _NULLABLE_TEXT,
        },
        "required": ["id"],
    },
    "SlotsOutput_2024_09_04": _envelope(
        {
            "type": "object",
            "description": "Date (YYYY-MM-DD in timeZone) -> the slots of that day.",
            "additionalProperties": {"type": "array", "items": _SLOT},
        }
    ),
    "LegacySlotsOutput": _envelope(
        {
            "type": "object",
            "description": "Without cal-api-version: {slots: {date: [{time}]}}, times in UTC.",
            "properties": {
                "slots": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "time": {"type": "string"},
                                "attendees": {"type": "integer"},
                                "bookingUid": {"type": "string"},
                            },
                            "required": ["time"],
                        },
                    },
                }
            },
            "required": ["slots"],
        }
    ),
    "ReservedSlotOutput_2024_09_04": {
        "type": "object",
        "description": "A reservation as GET /v2/slots/reservations/{uid} answers it.",
        "properties": {
            "eventTypeId": {"type": "number"},
            "slotStart": {"type": "string"},
            "slotEnd": {"type": "string"},
            "slotDuration": {"type": "number"},
            "reservationUid": {"type": "string"},
            "reservationDuration": {"type": "number"},
            "reservationUntil": {"type": "string"},
        },
        "required": ["eventTypeId", "slotStart", "slotEnd", "slotDuration", "reservationUid"],
    },
    "Disabled_2024_06_14": {
        "type": "object",
        "properties": {"disabled": {"type": "boolean"}},
        "required": ["disabled"],
    },
    "EventTypeUserOutput": {
        "type": "object",
        "description": "A host of an event type, as Cal.com's server lists it.",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": ["string", "null"]},
            "username": {"type": ["string", "null"]},
            "avatarUrl": {"type": ["string", "null"]},
            "brandColor": {"type": ["string", "null"]},
            "darkBrandColor": {"type": ["string", "null"]},
            "weekStart": {"type": "string"},
            "metadata": {"type": "object"},
        },
        "required": ["id", "name", "username", "avatarUrl", "weekStart", "metadata"],
    },
    "SuccessOutput": {
        "type": "object",
        "properties": {"status": {"type": "string", "enum": ["success"]}},
        "required": ["status"],
    },
    "CursorBookingsOutput_2026_05_01": _envelope(
        {
            "type": "array",
            "items": {
                "anyOf": [
                    {"$ref": REF + "BookingOutput_2024_08_13"},
                    {"$ref": REF + "RecurringBookingOutput_2024_08_13"},
                    {"$ref": REF + "GetSeatedBookingOutput_2024_08_13"},
                    {"$ref": REF + "GetRecurringSeatedBookingOutput_2024_08_13"},
                ]
            },
        },
        pagination={
            "type": "object",
            "properties": {
                "nextCursor": {"type": ["string", "null"]},
                "hasMore": {"type": "boolean"},
            },
            "required": ["nextCursor", "hasMore"],
        },
    ),
    "RequestRescheduleOutput_2024_08_13": _envelope(
        {
            "anyOf": [
                {"$ref": REF + "BookingOutput_2024_08_13"},
                {"$ref": REF + "RecurringBookingOutput_2024_08_13"},
                {"$ref": REF + "GetSeatedBookingOutput_2024_08_13"},
                {"$ref": REF + "GetRecurringSeatedBookingOutput_2024_08_13"},
            ]
        }
    ),
    # The reference's ReassignBookingOutput_2024_08_13 names its own envelope as its data (two
    # classes share a name in Cal.com's source): this is the data Cal.com sends.
    "ReassignOutput_2024_08_13": _envelope(
        {
            "type": "object",
            "properties": {
                "bookingUid": {"type": "string"},
                "reassignedTo": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "email": {"type": "string"},
                        "displayEmail": {"type": "string"},
                    },
                    "required": ["id", "name", "email", "displayEmail"],
                },
            },
            "required": ["bookingUid", "reassignedTo"],
        }
    ),
    "TimezonesOutput": _envelope({"type": "array", "items": {"type": "string"}}),
    "WebhookDeliveriesOutput": _envelope(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "webhookId": {"type": "integer"},
                    "trigger": {"type": "string"},
                    "success": {"type": "boolean"},
                    "statusCode": _NULLABLE_INT,
                    "durationMs": _NULLABLE_INT,
                    "attempt": {"type": "integer"},
                    "error": {"type": ["string", "null"]},
                    "jobId": {"type": ["string", "integer", "null"]},
                    "createdAt": {"type": "string"},
                },
                "required": ["id", "webhookId", "trigger", "success", "attempt", "createdAt"],
            },
        },
        pagination={
            "type": "object",
            "properties": {
                "totalItems": {"type": "integer"},
                "skip": {"type": "integer"},
                "take": {"type": "integer"},
            },
            "required": ["totalItems", "skip", "take"],
        },
    ),
    "RedeliverOutput": _envelope(
        {
            "type": "object",
            "properties": {
                "jobId": {"type": ["string", "integer"]},
                "status": {"type": "string"},
                "runAt": {"type": "string"},
            },
            "required": ["jobId", "status", "runAt"],
        }
    ),
    "BookingLimitsOutput": _envelope(
        {
            "type": "object",
            "properties": {
                "perDay": _NULLABLE_INT,
                "perWeek": _NULLABLE_INT,
                "perMonth": _NULLABLE_INT,
                "perYear": _NULLABLE_INT,
            },
            "required": ["perDay", "perWeek", "perMonth", "perYear"],
        }
    ),
    "CreditsBalance": {
        "type": "object",
        "properties": {
            "monthlyRemaining": {"type": "integer"},
            "additional": {"type": "integer"},
        },
        "required": ["monthlyRemaining", "additional"],
    },
    "CreditsAvailableOutput": _envelope(
        {
            "type": "object",
            "properties": {
                "hasCredits": {"type": "boolean"},
                "balance": {"$ref": REF + "CreditsBalance"},
            },
            "required": ["hasCredits", "balance"],
        }
    ),
    "CreditsChargeOutput": _envelope(
        {
            "type": "object",
            "properties": {
                "charged": {"type": "boolean"},
                "remainingBalance": {"$ref": REF + "CreditsBalance"},
            },
            "required": ["charged", "remainingBalance"],
        }
    ),
}

_BOOKING_OUTPUTS = (
    "BookingOutput_2024_08_13",
    "RecurringBookingOutput_2024_08_13",
    "GetSeatedBookingOutput_2024_08_13",
    "GetRecurringSeatedBookingOutput_2024_08_13",
    "CreateSeatedBookingOutput_2024_08_13",
    "CreateRecurringSeatedBookingOutput_2024_08_13",
)
TIME_HH_MM = r"^([01]\d|2[0-3]):[0-5]\d$"

# Corrections of the reference, applied after conversion: (schema, JSON path inside it, new value
# or None to delete, reason). The reasons are listed in docs/compatibility.md.
FIXES: list[tuple[str, tuple[str | int, ...], Any, str]] = [
    (
        "ConnectedCalendarsData",
        ("properties", "destinationCalendar"),
        {"anyOf": [{"$ref": REF + "DestinationCalendar"}, {"type": "null"}]},
        "null when the user has no writable connected calendar",
    ),
    (
        "UserWebhookOutputDto",
        ("properties", "payloadTemplate", "type"),
        ["string", "null"],
        "Cal.com answers null for a webhook without a custom template",
    ),
    (
        "EventTypeWebhookOutputDto",
        ("properties", "payloadTemplate", "type"),
        ["string", "null"],
        "Cal.com answers null for a webhook without a custom template",
    ),
    (
        "GetDefaultScheduleOutput_2024_06_11",
        ("properties", "data"),
        {"anyOf": [{"$ref": REF + "ScheduleOutput_2024_06_11"}, {"type": "null"}]},
        "Cal.com answers data: null when the user has no default schedule",
    ),
    *[
        (
            name,
            ("properties", "eventTypeId", "type"),
            ["number", "null"],
            "null once the booking's event type was deleted (the column is nullable)",
        )
        for name in _BOOKING_OUTPUTS
    ],
    (
        "EventType",
        ("properties", "id", "type"),
        ["number", "null"],
        "id and slug are null once the booking's event type was deleted",
    ),
    (
        "EventType",
        ("properties", "slug", "type"),
        ["string", "null"],
        "id and slug are null once the booking's event type was deleted",
    ),
    (
        "GetTeamMembershipsOutput",
        ("properties", "data"),
        {"type": "array", "items": {"$ref": REF + "TeamMembershipOutput"}},
        "Cal.com answers an array of memberships (the reference: one)",
    ),
    (
        "UserOooOutputDto",
        ("properties", "notes", "type"),
        ["string", "null"],
        "null when the entry has no notes (the database column is nullable)",
    ),
    (
        "UserOooOutputDto",
        ("properties", "toUserId", "type"),
        ["number", "null"],
        "null when nobody covers (the database column is nullable)",
    ),
    (
        "GetReservedSlotOutput_2024_09_04",
        ("properties", "data"),
        {"anyOf": [{"$ref": REF + "ReservedSlotOutput_2024_09_04"}, {"type": "null"}]},
        "the reference's data refers to the envelope itself (two classes share one name)",
    ),
    (
        "EventTypeOutput_2024_06_14",
        ("properties", "bookingWindow"),
        {
            "anyOf": [
                {"$ref": REF + "BusinessDaysWindow_2024_06_14"},
                {"$ref": REF + "CalendarDaysWindow_2024_06_14"},
                {"$ref": REF + "RangeWindow_2024_06_14"},
                {"$ref": REF + "Disabled_2024_06_14"},
            ]
        },
        "one window object (or {disabled: true}), not an array",
    ),
    (
        "EventTypeOutput_2024_06_14",
        ("properties", "seats"),
        {"anyOf": [{"$ref": REF + "Seats_2024_06_14"}, {"$ref": REF + "Disabled_2024_06_14"}]},
        "Cal.com answers {disabled: true} for an event type without seats",
    ),
    (
        "EventTypeOutput_2024_06_14",
        ("properties", "users", "items"),
        {"$ref": REF + "EventTypeUserOutput"},
        "the hosts are objects, not strings",
    ),
    (
        "EventTypeOutput_2024_06_14",
        ("properties", "bookingUrl", "format"),
        None,
        'Cal.com answers "" (not a URI) when the event type has no host with a username',
    ),
    (
        "EventTypeOutput_2024_06_14",
        ("properties", "forwardParamsSuccessRedirect"),
        {"type": ["boolean", "null"]},
        "a boolean, not an object",
    ),
    (
        "EventTypeOutput_2024_06_14",
        ("properties", "successRedirectUrl"),
        {"type": ["string", "null"]},
        "a URL string, not an object",
    ),
    (
        "EventTypeOutput_2024_06_14",
        ("properties", "seatsPerTimeSlot"),
        {"type": ["integer", "null"]},
        "a number of seats, not an object",
    ),
]

# The team event type output shares the event type output's mistakes, and adds its own.
FIXES += [
    ("TeamEventTypeOutput_2024_06_14", path, value, reason)
    for name, path, value, reason in list(FIXES)
    if name == "EventTypeOutput_2024_06_14"
    and path[1] in ("bookingWindow", "seats", "forwardParamsSuccessRedirect", "successRedirectUrl",
                    "seatsPerTimeSlot")
]  # fmt: skip
FIXES += [
    (
        "TeamEventTypeOutput_2024_06_14",
        ("properties", "hosts", "items"),
        {"$ref": REF + "TeamEventTypeResponseHost"},
        "the hosts are objects, not strings",
    ),
    (
        "TeamEventTypeOutput_2024_06_14",
        ("properties", "ownerId"),
        {"type": ["number", "null"]},
        "a user id (a managed child's member) or null, not an object",
    ),
    (
        "TeamEventTypeOutput_2024_06_14",
        ("properties", "parentEventTypeId"),
        {"type": ["number", "null"]},
        "an event type id or null, not an object",
    ),
    (
        "TeamEventTypeOutput_2024_06_14",
        ("properties", "teamId"),
        {"type": ["number", "null"]},
        "null for a managed child (it belongs to its member)",
    ),
    (
        "TeamEventTypeOutput_2024_06_14",
        ("properties", "schedulingType"),
        {"type": ["string", "null"], "enum": ["roundRobin", "collective", "managed", None]},
        "null for a managed child (Cal.com stores no scheduling type on it)",
    ),
    (
        "TeamEventTypeOutput_2024_06_14",
        ("properties", "team"),
        {"$ref": REF + "TeamEventTypeTeam"},
        "the team's presentation fields are null when unset (and id/name/slug for a child)",
    ),
]


_JSON_TYPES = {bool: "boolean", int: "number", float: "number", str: "string"}


def _scalar(value: Any) -> bool:
    return type(value) in _JSON_TYPES


def convert(schema: Any) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema 2020-12 (OpenAPI 3.1), with generic fixes of the
    reference's mistakes:

    - ``oneOf`` becomes ``anyOf``: the reference's alternatives overlap (no discriminator), so a
      valid value often matches several of them;
    - ``type: object`` with a scalar example (``slotInterval``, ``isDefault``: NestJS's
      ``Object`` for a union) takes the example's type;
    - an ``enum`` on an array moves to its items;
    - the ``TIME_FORMAT_HH_MM`` placeholder pattern becomes the HH:MM regex, and JavaScript
      ``/…/`` pattern literals lose their slashes.
    """
    if isinstance(schema, list):
        return [convert(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: convert(v) for k, v in schema.items() if k not in ("example", "examples")}
    if "oneOf" in out:
        out["anyOf"] = out.pop("oneOf")
    example = schema.get("example")
    if out.get("type") == "object" and not out.get("properties") and _scalar(example):
        out["type"] = _JSON_TYPES[type(example)]
    if out.get("type") == "array" and "enum" in out:
        items = dict(out.get("items") or {})
        items["enum"] = out.pop("enum")
        out["items"] = items
    pattern = out.get("pattern")
    if pattern == "TIME_FORMAT_HH_MM":
        out["pattern"] = TIME_HH_MM
    elif isinstance(pattern, str) and len(pattern) > 1 and pattern[0] == pattern[-1] == "/":
        out["pattern"] = pattern[1:-1]
    if out.pop("nullable", False):
        if "type" in out and "$ref" not in out:
            kind = out["type"]
            out["type"] = [*kind, "null"] if isinstance(kind, list) else [kind, "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def success_schema(spec: dict[str, Any], method: str, path: str) -> str:
    """The component name of the reference's success answer of ``method path``."""
    op = spec["paths"][path][method.lower()]
    for code, response in op["responses"].items():
        if code.startswith("2"):
            schema = response["content"]["application/json"]["schema"]
            return str(schema["$ref"].removeprefix(REF))
    raise KeyError(f"{method} {path}: no success answer in the reference")


def refs(schema: Any) -> set[str]:
    """Component names ``schema`` refers to directly."""
    found: set[str] = set()
    if isinstance(schema, dict):
        if isinstance(schema.get("$ref"), str):
            found.add(schema["$ref"].removeprefix(REF))
        for value in schema.values():
            found |= refs(value)
    elif isinstance(schema, list):
        for value in schema:
            found |= refs(value)
    return found


def apply_fix(schemas: dict[str, Any], name: str, path: tuple[str | int, ...], value: Any) -> None:
    """Set (or delete, for None) the value at ``path`` inside ``schemas[name]``."""
    node = schemas[name]
    for key in path[:-1]:
        node = node[key]
    if value is None:
        del node[path[-1]]
    else:
        node[path[-1]] = copy.deepcopy(value)


def generate(spec: dict[str, Any]) -> dict[str, Any]:
    """The content of openapi_schemas.json."""
    source = spec["components"]["schemas"]
    operations: dict[str, dict[str, str | None]] = {}
    wanted: list[str] = []
    for key, variants in OPERATIONS.items():
        resolved: dict[str, str | None] = {}
        for variant, target in variants.items():
            name = (
                success_schema(spec, target[1], target[2]) if isinstance(target, tuple) else target
            )
            resolved[variant] = name
            if name is not None:
                wanted.append(name)
        operations[key] = resolved
    schemas: dict[str, Any] = {}
    fixes = list(FIXES)
    while wanted:
        name = wanted.pop()
        if name in schemas:
            continue
        schema = HAND_WRITTEN[name] if name in HAND_WRITTEN else convert(source[name])
        schemas[name] = copy.deepcopy(schema)
        for fix in [f for f in fixes if f[0] == name]:
            apply_fix(schemas, name, fix[1], fix[2])
            fixes.remove(fix)
        wanted.extend(refs(schemas[name]))
    return {
        "source": "GENERATED by scripts/gen_openapi_schemas.py from cal-api-v2.openapi.json; "
        "do not edit",
        "operations": dict(sorted(operations.items())),
        "schemas": dict(sorted(schemas.items())),
    }


def render(content: dict[str, Any]) -> str:
    """The file text (stable: sorted keys, two-space indent, final newline)."""
    return json.dumps(content, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    """Write (or with --check, compare) the generated file."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    parser.add_argument("--spec", type=Path, default=SPEC)
    args = parser.parse_args()
    text = render(generate(json.loads(args.spec.read_text())))
    if args.check:
        current = OUT.read_text() if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is out of date: run scripts/gen_openapi_schemas.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text)
    print(f"wrote {OUT.relative_to(ROOT)} ({len(text)} bytes, {len(content_names(text))} schemas)")
    return 0


def content_names(text: str) -> list[str]:
    """The schema names in a rendered file."""
    return list(json.loads(text)["schemas"])


if __name__ == "__main__":
    sys.exit(main())
