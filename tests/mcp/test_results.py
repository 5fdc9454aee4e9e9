"""How tool results read: instants in UTC and the user's zone (across DST), errors with the
server's message."""

from __future__ import annotations

import json

from slotwise.client import NotFound, SlotwiseConnectionError, UnprocessableEntity
from slotwise.mcp.results import annotate, api_failure, parse_instant, success, zone_or_utc

ROME = zone_or_utc("Europe/Rome")


def test_instants_gain_utc_and_local_siblings_across_dst() -> None:
    data = {
        "uid": "u1",
        "start": "2050-03-27T00:30:00.000Z",  # before Rome's spring change (01:00 UTC)
        "end": "2050-03-27T01:30:00.000Z",  # after it
        "attendees": [{"name": "Ada", "createdAt": "2050-01-01T12:00:00+01:00"}],
        "startTime": "09:00",  # a wall time, not an instant
        "date": "2050-03-27",
    }
    out = annotate(data, ROME)
    assert out["startUtc"] == "2050-03-27T00:30:00Z"
    assert out["startLocal"] == "Sun 2050-03-27 01:30 (Europe/Rome, UTC+01:00)"
    assert out["endLocal"] == "Sun 2050-03-27 03:30 (Europe/Rome, UTC+02:00)"
    assert out["attendees"][0]["createdAtUtc"] == "2050-01-01T11:00:00Z"
    assert "startTimeLocal" not in out and "dateLocal" not in out
    # Nothing is changed or removed: only siblings are added.
    assert {k: out[k] for k in data if k != "attendees"} == {
        k: v for k, v in data.items() if k != "attendees"
    }
    assert out["attendees"][0]["createdAt"] == "2050-01-01T12:00:00+01:00"


def test_negative_offsets_and_unknown_zones() -> None:
    ny = zone_or_utc("America/New_York")
    out = annotate({"start": "2050-07-01T14:00:00Z"}, ny)
    assert out["startLocal"] == "Fri 2050-07-01 10:00 (America/New_York, UTC-04:00)"
    assert zone_or_utc("Mars/Olympus").key == "UTC"
    assert zone_or_utc(None).key == "UTC"
    assert parse_instant("2050-07-01T14:00:00") is None  # naive: not an instant
    assert parse_instant("not a time") is None


def test_success_payload_is_text_and_structured() -> None:
    result = success([{"start": "2050-07-01T14:00:00Z"}], ROME, note="1 booking")
    text = result.content[0].text  # type: ignore[union-attr]
    assert text.startswith("1 booking\n")
    payload = json.loads(text.split("\n", 1)[1])
    assert payload == result.structured_content
    assert payload["timeZone"] == "Europe/Rome"
    assert payload["data"][0]["startLocal"] == "Fri 2050-07-01 16:00 (Europe/Rome, UTC+02:00)"
    assert not result.is_error


def test_failures_carry_the_servers_message() -> None:
    missing = api_failure(NotFound(404, "Booking with uid=x not found", code="NotFoundException"))
    assert missing.is_error
    assert missing.content[0].text == (  # type: ignore[union-attr]
        "Error 404 (NotFoundException): Booking with uid=x not found"
    )
    invalid = api_failure(
        UnprocessableEntity(422, "Invalid input", code="X", details={"field": "start"})
    )
    assert invalid.content[0].text.endswith('Details: {"field": "start"}')  # type: ignore[union-attr]
    down = api_failure(SlotwiseConnectionError("GET http://x/v2/me failed: refused"))
    assert down.is_error
    assert "could not be reached" in down.content[0].text  # type: ignore[union-attr]
