"""The explicit allow-list of tests/response_contract.py.

``ALLOWED``: documented deviations from the reference schema of an operation's answer, as
``(operation, JSON path of data) -> reason``; the operation is the SDK's name
(``slotwise.client.models_generated.OPERATIONS``), the path starts at ``$`` (the answer's
``data``), ``[]`` stands for any array index, and an entry covers everything under its path.
Each reason names its row in docs/compatibility.md (or the reference's own error).

``NOT_IN_REFERENCE``: operations Slotwise serves that the reference file does not name
(``"METHOD /path/{template}" -> reason``); their answers are not checked against it.
"""

from __future__ import annotations

# docs/compatibility.md, "Where the reference OpenAPI file is wrong": its rows, by name.
WRONG = "docs/compatibility.md, Where the reference OpenAPI file is wrong"
EVENT_TYPE_FIXES = {
    "bookingWindow": f"{WRONG}: event types `bookingWindow` (one window object, not an array)",
    "users[]": f"{WRONG}: event types `users` (objects, not strings); also the `users` row of "
    "the deliberate differences",
    "seats": f"{WRONG}: event types `seats` (`{{disabled: true}}` without seats)",
    "slotInterval": f"{WRONG}: `slotInterval` … (`type: object`; a number)",
    "seatsPerTimeSlot": f"{WRONG}: `seatsPerTimeSlot` … (`type: object`; a number)",
    "forwardParamsSuccessRedirect": f"{WRONG}: `forwardParamsSuccessRedirect` … "
    "(`type: object`; a boolean)",
    "successRedirectUrl": f"{WRONG}: `successRedirectUrl` … (`type: object`; a string or null)",
    "bookingFields[].isDefault": f"{WRONG}: booking fields' `isDefault` (`type: object`; "
    "a boolean)",
}
OOO_FIXES = {
    "toUserId": f"{WRONG}: out of office `toUserId` (null when nobody covers)",
    "notes": f"{WRONG}: out of office `notes` (null when not set)",
}

TEAM_EVENT_TYPE_FIXES = {
    **{k: v for k, v in EVENT_TYPE_FIXES.items() if k != "users[]"},
    "hosts[]": f"{WRONG}: team event types `hosts` (objects, not strings)",
    "team": f"{WRONG}: team event types `team` (fields the team has not set are null)",
    "ownerId": f"{WRONG}: team event types `ownerId`/`parentEventTypeId` (a number or null)",
    "parentEventTypeId": f"{WRONG}: team event types `ownerId`/`parentEventTypeId` (a number "
    "or null)",
    "teamId": f"{WRONG}: team event types `teamId`/`schedulingType` (null for a managed child)",
    "schedulingType": f"{WRONG}: team event types `teamId`/`schedulingType` (null for a managed "
    "child)",
}


# Mismatches that are Slotwise bugs (not documented deviations), reported in issue 11 and kept
# here only so the suite stays green until they are fixed: remove each entry with its fix.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


def _each(operations: dict[str, str], fixes: dict[str, str]) -> dict[tuple[str, str], str]:
    """``{(operation, prefix + field): reason}`` for every operation (with its data's prefix:
    ``$`` for one object, ``$[]`` for a list) and every fix."""
    return {
        (operation, f"{prefix}.{field}"): reason
        for operation, prefix in operations.items()
        for field, reason in fixes.items()
    }


ALLOWED: dict[tuple[str, str], str] = {
    **_each(
        {
            "event_types.create": "$",
            "event_types.get": "$",
            "event_types.update": "$",
            "event_types.list": "$[]",
        },
        EVENT_TYPE_FIXES,
    ),
    **_each(
        {
            "ooo.create": "$",
            "ooo.update": "$",
            "ooo.delete": "$",
            "ooo.list": "$[]",
            "team_ooo.create": "$",
            "team_ooo.update": "$",
            "team_ooo.delete": "$",
            "team_ooo.list": "$[]",
        },
        OOO_FIXES,
    ),
    **_each(
        {
            "webhooks.create": "$",
            "webhooks.get": "$",
            "webhooks.update": "$",
            "webhooks.delete": "$",
            "webhooks.list": "$[]",
            "event_type_webhooks.create": "$",
            "event_type_webhooks.get": "$",
            "event_type_webhooks.update": "$",
            "event_type_webhooks.delete": "$",
            "event_type_webhooks.list": "$[]",
            "team_event_type_webhooks.create": "$",
            "team_event_type_webhooks.get": "$",
            "team_event_type_webhooks.update": "$",
            "team_event_type_webhooks.delete": "$",
            "team_event_type_webhooks.list": "$[]",
        },
        {
            "payloadTemplate": f"{WRONG}: webhooks `payloadTemplate` (null without a custom "
            "template)",
            # Not a compatibility.md row: docs/webhooks.md, "Every trigger of the reference enum
            # is accepted, plus INSTANT_MEETING_ACCEPTED from the docs" (Cal.com's docs list it,
            # the reference's enum does not), and the webhook answers with its triggers.
            "triggers[]": "docs/webhooks.md: INSTANT_MEETING_ACCEPTED, from Cal.com's docs, is "
            "accepted although the reference's enum lacks it",
        },
    ),
    **_each(
        {
            "team_event_types.create": "$",
            "team_event_types.get": "$",
            "team_event_types.update": "$",
            "team_event_types.list": "$[]",
        },
        TEAM_EVENT_TYPE_FIXES,
    ),
    # a managed event type answers [parent, *children]
    **_each(
        {"team_event_types.create": "$[]", "team_event_types.update": "$[]"},
        TEAM_EVENT_TYPE_FIXES,
    ),
    **{
        ("bookings.get", f"$.{field}"): f"{WRONG}: bookings `eventTypeId`, `eventType.id`, "
        "`eventType.slug` (null once the event type was deleted)"
        for field in ("eventTypeId", "eventType.id", "eventType.slug")
    },
    ("schedules.get_default", "$"): f"{WRONG}: `GET /v2/schedules/default` (data: null when the "
    "user has no default schedule)",
    ("slots.get_reservation", "$"): f"{WRONG}: `GET /v2/slots/reservations/{{uid}}` (the "
    "reference's data is the response envelope itself: two classes share a name)",
    ("calendars.list", "$.destinationCalendar"): f"{WRONG}: `GET /v2/calendars` "
    "(`destinationCalendar: null` when the user has no writable calendar)",
    ("bookings.reassign", "$"): f"{WRONG}: `POST /v2/bookings/{{bookingUid}}/reassign` (the "
    "reference's data is the response envelope itself: two classes share a name)",
    ("bookings.reassign_to", "$"): f"{WRONG}: `POST /v2/bookings/{{bookingUid}}/reassign/"
    "{{userId}}` (the same)",
    **_each(
        {
            "bookings.create": "$",
            "bookings.get": "$",
            "bookings.cancel": "$",
            "bookings.reschedule": "$",
            "bookings.list": "$[]",
        },
        {
            field: "docs/compatibility.md, deliberate differences: `eventTypeId` null for a "
            "dynamic group booking (extension `usernames`) or a deleted event type"
            for field in ("eventTypeId", "eventType.id")
        },
    ),
    **KNOWN_BUGS,
}

# Served by Slotwise, absent from the reference file (kit/openapi.py describes them; see
# scripts/gen_openapi_schemas.py HAND_WRITTEN and OPERATIONS).
_EXTENSION = "docs/extensions.md"
NOT_IN_REFERENCE: dict[str, str] = {
    "GET /v2/slots": "the legacy handler (requests without cal-api-version 2024-09-04) of the "
    "docs' AI-agents guide; docs/compatibility.md, requests without `cal-api-version`",
    "GET /v2/slots/available": "the legacy handler of the docs' AI-agents guide",
    "GET /v2/bookings": "cal-api-version 2026-05-01 cursor listing, from Cal.com's docs (the "
    "2024-08-13 listing is in the reference and checked)",
    "POST /v2/bookings/{bookingUid}/request-reschedule": "from Cal.com's docs (docs/api.md)",
    "GET /v2/webhooks/{webhookId}/deliveries": f"delivery log, {_EXTENSION}",
    "POST /v2/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver": f"redelivery, {_EXTENSION}",
    "GET /v2/me/booking-limits": "user booking limits, from Cal.com's docs (docs/api.md)",
    "PATCH /v2/me/booking-limits": "user booking limits, from Cal.com's docs (docs/api.md)",
    "DELETE /v2/me/booking-limits": "user booking limits, from Cal.com's docs (docs/api.md)",
    "GET /v2/credits/available": "credits, from the docs' agents guide (docs/api.md)",
    "POST /v2/credits/charge": "credits, from the docs' agents guide (docs/api.md)",
}
