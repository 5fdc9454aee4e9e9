"""Google's documented request and response bodies, replayed by the Google Calendar contract
tests (httpx2.MockTransport). Each follows the page named above it."""

from __future__ import annotations

from typing import Any

# https://developers.google.com/identity/protocols/oauth2/web-server#exchange-authorization-code
TOKEN_EXCHANGE: dict[str, Any] = {
    "access_token": "ya29.first-access-token",
    "expires_in": 3920,
    "token_type": "Bearer",
    "scope": "https://www.googleapis.com/auth/calendar.readonly "
    "https://www.googleapis.com/auth/calendar.events",
    "refresh_token": "1//refresh-token-xEoDL4iW3cxlI7yDbSRFYNG01kVKM2C",
}

# https://developers.google.com/identity/protocols/oauth2/web-server#offline (refresh answer)
TOKEN_REFRESH: dict[str, Any] = {
    "access_token": "ya29.refreshed-access-token",
    "expires_in": 3920,
    "scope": "https://www.googleapis.com/auth/calendar.readonly",
    "token_type": "Bearer",
}

# https://developers.google.com/identity/protocols/oauth2/web-server (error response of a
# revoked or expired refresh token)
INVALID_GRANT: dict[str, Any] = {"error": "invalid_grant", "error_description": "Bad Request"}

# https://developers.google.com/calendar/api/v3/reference/calendarList/list (response body)
CALENDAR_LIST: dict[str, Any] = {
    "kind": "calendar#calendarList",
    "etag": '"p33kcjdkl6m3ec0g"',
    "nextSyncToken": "CKCbkKqX8YUDEhhhbGljZUBleGFtcGxlLmNvbQ==",
    "items": [
        {
            "kind": "calendar#calendarListEntry",
            "id": "alice@example.com",
            "summary": "alice@example.com",
            "timeZone": "Europe/Rome",
            "accessRole": "owner",
            "primary": True,
        },
        {
            "kind": "calendar#calendarListEntry",
            "id": "en.italian#holiday@group.v.calendar.google.com",
            "summary": "Holidays in Italy",
            "timeZone": "Europe/Rome",
            "accessRole": "reader",
        },
    ],
}

# https://developers.google.com/calendar/api/v3/reference/freebusy/query (response body)
FREE_BUSY: dict[str, Any] = {
    "kind": "calendar#freeBusy",
    "timeMin": "2050-09-05T00:00:00.000Z",
    "timeMax": "2050-09-08T00:00:00.000Z",
    "calendars": {
        "alice@example.com": {
            "busy": [
                {"start": "2050-09-06T10:00:00Z", "end": "2050-09-06T11:00:00Z"},
                {"start": "2050-09-07T08:00:00+02:00", "end": "2050-09-07T09:00:00+02:00"},
            ]
        }
    },
}

# https://developers.google.com/calendar/api/v3/reference/events/insert (response: an Event)
EVENT: dict[str, Any] = {
    "kind": "calendar#event",
    "status": "confirmed",
    "htmlLink": "https://www.google.com/calendar/event?eid=abc",
    "iCalUID": "uid@slotwise",
}

# https://developers.google.com/calendar/api/guides/errors (404, 429, 500 bodies)
NOT_FOUND: dict[str, Any] = {"error": {"code": 404, "message": "Not Found"}}
RATE_LIMITED: dict[str, Any] = {
    "error": {
        "code": 429,
        "message": "Rate Limit Exceeded",
        "errors": [{"reason": "rateLimitExceeded"}],
    }
}
BACKEND_ERROR: dict[str, Any] = {
    "error": {"code": 500, "message": "Backend Error", "errors": [{"reason": "backendError"}]}
}

# https://developers.google.com/calendar/api/v3/reference/events#resource (events.get / patch)
EVENT_FULL: dict[str, Any] = {
    "kind": "calendar#event",
    "id": "evt123",
    "status": "confirmed",
    "summary": "Intro call",
    "description": "Agenda",
    "start": {"dateTime": "2050-09-07T09:00:00+02:00", "timeZone": "Europe/Rome"},
    "end": {"dateTime": "2050-09-07T09:30:00+02:00", "timeZone": "Europe/Rome"},
    "organizer": {"email": "alice@example.com", "self": True},
    "attendees": [{"email": "bob@example.com", "displayName": "Bob", "responseStatus": "accepted"}],
    "conferenceData": {
        "entryPoints": [
            {
                "entryPointType": "video",
                "uri": "https://meet.google.com/abc-defg-hij",
                "label": "meet.google.com/abc-defg-hij",
            }
        ]
    },
}
