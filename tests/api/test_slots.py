"""GET /v2/slots (cal-api-version 2024-09-04) and the legacy handler, through the HTTP API."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from tests.api.slot_fixtures import (
    MONDAY,
    SUNDAY,
    TUESDAY,
    V,
    add_booking,
    freeze,
    get_slots,
    give_schedule,
    make_event_type,
    slot_data,
    starts,
)
from tests.conftest import Host, make_host

HALF_HOURS = [f"{h:02d}:{m:02d}" for h in range(9, 17) for m in (0, 30)]


async def test_week_listing_keys_and_counts(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    await give_schedule(app, host)
    et = await make_event_type(app, host)
    body = await get_slots(client, eventTypeId=et, start=MONDAY, end=SUNDAY)
    assert body["status"] == "success"
    data = body["data"]
    assert list(data) == [f"2050-09-{d:02d}" for d in range(5, 10)]
    for day in data:
        assert starts(data, day) == HALF_HOURS
    assert data[MONDAY][0] == {"start": "2050-09-05T09:00:00.000Z"}
    assert data[MONDAY][-1] == {"start": "2050-09-05T16:30:00.000Z"}


async def test_by_slug_and_username_and_empty_weekend(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    await give_schedule(app, host)
    await make_event_type(app, host, slug="chat", length=60)
    data = await slot_data(client, eventTypeSlug="chat", username="alice", start=MONDAY, end=MONDAY)
    assert starts(data, MONDAY) == [f"{h:02d}:00" for h in range(9, 17)]
    weekend = await get_slots(
        client, eventTypeSlug="chat", username="alice", start="2050-09-10", end=SUNDAY
    )
    assert weekend["data"] == {}


async def test_time_zone_offsets_and_keys(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    await give_schedule(app, host, time_zone="Europe/Rome")
    et = await make_event_type(app, host, length=60)
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY, timeZone="Europe/Rome")
    assert data[MONDAY][0] == {"start": "2050-09-05T09:00:00.000+02:00"}
    assert len(data[MONDAY]) == 8
    utc = await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY)
    assert utc[MONDAY][0] == {"start": "2050-09-05T07:00:00.000Z"}
    # timeZone=UTC prints "Z" as Cal.com (Luxon) does
    named = await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY, timeZone="UTC")
    assert named[MONDAY][0] == {"start": "2050-09-05T07:00:00.000Z"}


async def test_time_zone_moves_keys_not_the_window(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    await give_schedule(app, host)  # 09:00–17:00 UTC
    et = await make_event_type(app, host, length=60)
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY, timeZone="Asia/Tokyo")
    # 09:00Z–16:00Z is 18:00–01:00 in Tokyo: the Monday UTC window splits over two Tokyo dates
    assert starts(data, MONDAY) == ["18:00", "19:00", "20:00", "21:00", "22:00", "23:00"]
    assert starts(data, TUESDAY) == ["00:00", "01:00"]
    assert data[TUESDAY][0]["start"] == "2050-09-06T00:00:00.000+09:00"


async def test_end_date_is_inclusive_and_datetimes_are_exact(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    await give_schedule(app, host)
    et = await make_event_type(app, host)
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY)
    assert list(data) == [MONDAY]
    assert len(data[MONDAY]) == 16
    data = await slot_data(
        client, eventTypeId=et, start=f"{MONDAY}T10:00:00Z", end=f"{MONDAY}T12:00:00.000Z"
    )
    assert starts(data, MONDAY) == ["10:00", "10:30", "11:00", "11:30"]
    # an end at exactly midnight covers that whole UTC day (Cal.com)
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=f"{TUESDAY}T00:00:00Z")
    assert list(data) == [MONDAY, TUESDAY]
    # an offset in the query is honoured (an unencoded "+" arrives as a space)
    r = await client.get(
        f"/v2/slots?eventTypeId={et}&start={MONDAY}T11:00:00+02:00&end={MONDAY}", headers=V
    )
    assert starts(r.json()["data"], MONDAY)[0] == "09:00"


async def test_format_range(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    await give_schedule(app, host)
    et = await make_event_type(app, host, length=30, lengthInMinutesOptions=[30, 60])
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY, format="range")
    assert data[MONDAY][0] == {
        "start": "2050-09-05T09:00:00.000Z",
        "end": "2050-09-05T09:30:00.000Z",
    }
    data = await slot_data(
        client,
        eventTypeId=et,
        start=MONDAY,
        end=MONDAY,
        format="RANGE",
        duration=60,
        timeZone="Europe/Rome",
    )
    assert data[MONDAY][0] == {
        "start": "2050-09-05T11:00:00.000+02:00",
        "end": "2050-09-05T12:00:00.000+02:00",
    }
    assert len(data[MONDAY]) == 8


async def test_duration_must_be_an_offered_length(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    await give_schedule(app, host)
    variable = await make_event_type(app, host, lengthInMinutesOptions=[30, 60])
    fixed = await make_event_type(app, host, slug="fixed")
    data = await slot_data(client, eventTypeId=variable, start=MONDAY, end=MONDAY, duration=60)
    assert starts(data, MONDAY) == [f"{h:02d}:00" for h in range(9, 17)]
    body = await get_slots(client, 400, eventTypeId=variable, start=MONDAY, end=MONDAY, duration=45)
    assert body["error"]["code"] == "BadRequestException"
    assert "are: 30, 60" in body["error"]["message"]
    body = await get_slots(client, 400, eventTypeId=fixed, start=MONDAY, end=MONDAY, duration=60)
    assert "not a variable length event type" in body["error"]["message"]
    # the event type's own length is always fine
    data = await slot_data(client, eventTypeId=fixed, start=MONDAY, end=MONDAY, duration=30)
    assert len(data[MONDAY]) == 16


async def test_only_show_first_available_slot(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    await give_schedule(app, host)
    et = await make_event_type(app, host, onlyShowFirstAvailableSlot=True)
    await add_booking(app, host, et, f"{MONDAY}T09:00")
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=SUNDAY)
    assert {day: starts(data, day) for day in data} == {
        MONDAY: ["09:30"],
        TUESDAY: ["09:00"],
        "2050-09-07": ["09:00"],
        "2050-09-08": ["09:00"],
        "2050-09-09": ["09:00"],
    }


async def test_minimum_booking_notice(
    client: httpx2.AsyncClient, app: Any, host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch, f"{MONDAY}T08:00")
    await give_schedule(app, host)
    et = await make_event_type(app, host, notice=90)
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=TUESDAY)
    assert starts(data, MONDAY)[0] == "09:30"
    assert starts(data, TUESDAY)[0] == "09:00"
    # without a stored notice Cal.com's default of 120 minutes applies
    default = await make_event_type(app, host, slug="default-notice", notice=None)
    data = await slot_data(client, eventTypeId=default, start=MONDAY, end=MONDAY)
    assert starts(data, MONDAY)[0] == "10:00"
    freeze(monkeypatch, f"{MONDAY}T15:31")
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY)
    assert data == {}


async def test_buffers_around_an_existing_booking(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    await give_schedule(app, host)
    et = await make_event_type(app, host, beforeEventBuffer=15, afterEventBuffer=15)
    await add_booking(app, host, et, f"{MONDAY}T12:00", before=15, after=15)
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY)
    # busy 11:30–13:00: the booking with both buffers on each side
    got = starts(data, MONDAY)
    assert [s for s in HALF_HOURS if s not in got] == ["11:30", "12:00", "12:30"]


async def test_bookings_cancelled_other_hosts_and_reschedule(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    await give_schedule(app, host)
    et = await make_event_type(app, host)
    uid = await add_booking(app, host, et, f"{MONDAY}T10:00")
    await add_booking(app, host, et, f"{MONDAY}T11:00", status="cancelled")
    await add_booking(app, other_host, None, f"{MONDAY}T14:00")
    got = starts(await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY), MONDAY)
    assert [s for s in HALF_HOURS if s not in got] == ["10:00"]
    got = starts(
        await slot_data(
            client, eventTypeId=et, start=MONDAY, end=MONDAY, bookingUidToReschedule=uid
        ),
        MONDAY,
    )
    assert got == HALF_HOURS


async def test_event_type_schedule_and_overrides(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    await give_schedule(app, host)
    own = await give_schedule(
        app,
        host,
        start="13:00",
        end="15:00",
        overrides=[{"date": TUESDAY, "startTime": "10:00", "endTime": "11:00"}],
        default=False,
    )
    et = await make_event_type(app, host, length=60, schedule_id=own)
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=TUESDAY)
    assert starts(data, MONDAY) == ["13:00", "14:00"]
    assert starts(data, TUESDAY) == ["10:00"]


async def test_dynamic_group_is_the_intersection(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    await give_schedule(app, host, start="09:00", end="13:00")
    await give_schedule(app, other_host, start="11:00", end="17:00")
    await add_booking(app, other_host, None, f"{MONDAY}T12:00")
    data = await slot_data(client, usernames="alice,bob", start=MONDAY, end=MONDAY)
    assert starts(data, MONDAY) == ["11:00", "11:30", "12:30"]
    data = await slot_data(
        client, usernames="alice, Bob", start=MONDAY, end=MONDAY, duration=60, format="range"
    )
    assert data[MONDAY] == [
        {"start": "2050-09-05T11:00:00.000Z", "end": "2050-09-05T12:00:00.000Z"}
    ]
    body = await get_slots(client, 400, usernames="alice", start=MONDAY, end=MONDAY)
    assert "at least 2" in body["error"]["message"]
    body = await get_slots(
        client, 400, usernames="alice,bob", start=MONDAY, end=MONDAY, duration=20
    )
    assert "15, 30, 45, 60, 90" in body["error"]["message"]
    body = await get_slots(client, 404, usernames="alice,nobody", start=MONDAY, end=MONDAY)
    assert body["error"]["message"] == "User with username nobody not found"


async def test_dynamic_group_uses_cal_notice(
    client: httpx2.AsyncClient,
    app: Any,
    host: Host,
    other_host: Host,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    freeze(monkeypatch, f"{MONDAY}T09:00")
    data = await slot_data(client, usernames="alice,bob", start=MONDAY, end=MONDAY)
    # no schedules: Mon–Fri 09–17 in each user's zone; 120 minutes of notice
    assert starts(data, MONDAY)[0] == "11:00"


async def test_hidden_event_type_is_still_served(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    await give_schedule(app, host)
    et = await make_event_type(app, host, slug="secret", hidden=True)
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY)
    assert len(data[MONDAY]) == 16
    data = await slot_data(
        client, eventTypeSlug="secret", username="alice", start=MONDAY, end=MONDAY
    )
    assert len(data[MONDAY]) == 16


async def test_seated_counts(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    await give_schedule(app, host)
    seats = {"seatsPerTimeSlot": 3, "showAttendeeInfo": False, "showAvailabilityCount": True}
    et = await make_event_type(app, host, length=60, slotInterval=30, seats=seats)
    open_uid = await add_booking(app, host, et, f"{MONDAY}T10:00", 60, attendees=2)
    await add_booking(app, host, et, f"{MONDAY}T14:00", 60, attendees=3)
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY)
    by_start = {item["start"][11:16]: item for item in data[MONDAY]}
    assert by_start["10:00"] == {
        "start": "2050-09-05T10:00:00.000Z",
        "seatsBooked": 2,
        "seatsRemaining": 1,
        "seatsTotal": 3,
        "bookingUid": open_uid,
    }
    assert by_start["09:00"] == {
        "start": "2050-09-05T09:00:00.000Z",
        "seatsBooked": 0,
        "seatsRemaining": 3,
        "seatsTotal": 3,
    }
    # starts overlapping the seated bookings (other than their own start) are busy; full ones too
    assert sorted(by_start) == [
        "09:00", "10:00", "11:00", "11:30", "12:00", "12:30", "13:00", "15:00", "15:30", "16:00",
    ]  # fmt: skip
    ranged = await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY, format="range")
    assert ranged[MONDAY][1]["end"] == "2050-09-05T11:00:00.000Z"
    assert ranged[MONDAY][1]["seatsRemaining"] == 1


async def test_seated_first_slot_skips_full_ones(
    client: httpx2.AsyncClient, app: Any, host: Host
) -> None:
    await give_schedule(app, host)
    seats = {"seatsPerTimeSlot": 2, "showAttendeeInfo": False, "showAvailabilityCount": True}
    et = await make_event_type(app, host, seats=seats, onlyShowFirstAvailableSlot=True)
    await add_booking(app, host, et, f"{MONDAY}T09:00", attendees=2)
    uid = await add_booking(app, host, et, f"{TUESDAY}T09:00", attendees=1)
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=TUESDAY)
    assert data[MONDAY] == [
        {
            "start": "2050-09-05T09:30:00.000Z",
            "seatsBooked": 0,
            "seatsRemaining": 2,
            "seatsTotal": 2,
        }
    ]
    assert data[TUESDAY][0]["bookingUid"] == uid


async def test_legacy_handler_shape(
    client: httpx2.AsyncClient, app: Any, host: Host, other_host: Host
) -> None:
    await give_schedule(app, host, time_zone="Europe/Rome")
    await give_schedule(app, other_host, time_zone="Europe/Rome")
    et = await make_event_type(app, host, slug="15min", length=15)
    r = await client.get(
        "/v2/slots",
        params={
            "username": "alice",
            "eventSlug": "15min",
            "startTime": f"{MONDAY}T00:00:00Z",
            "endTime": f"{MONDAY}T23:59:59Z",
        },
        headers={"cal-api-version": "2024-08-13"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "success"
    assert list(body["data"]) == ["slots"]
    assert body["data"]["slots"][MONDAY][0] == {"time": "2050-09-05T07:00:00.000Z"}
    assert len(body["data"]["slots"][MONDAY]) == 32
    # no version at all; eventTypeId; date keys in timeZone, times in UTC
    r = await client.get(
        "/v2/slots",
        params={
            "eventTypeId": et,
            "startTime": MONDAY,
            "endTime": MONDAY,
            "timeZone": "Pacific/Kiritimati",
        },
    )
    slots = r.json()["data"]["slots"]
    # 07:00Z–15:00Z is 21:00 Monday to 05:00 Tuesday on Kiritimati (UTC+14)
    assert list(slots) == [MONDAY, TUESDAY]
    assert slots[MONDAY][0] == {"time": "2050-09-05T07:00:00.000Z"}
    assert slots[TUESDAY][0] == {"time": "2050-09-05T10:00:00.000Z"}
    # usernameList (repeated or comma-separated) is a dynamic group
    for params in (
        [("usernameList", "alice"), ("usernameList", "bob")],
        [("usernameList", "alice,bob")],
    ):
        r = await client.get(
            "/v2/slots/available",
            params=[*params, ("startTime", MONDAY), ("endTime", MONDAY)],
        )
        assert r.status_code == 200, r.text
        assert r.json()["data"]["slots"][MONDAY][0] == {"time": "2050-09-05T07:00:00.000Z"}


async def test_legacy_handler_errors(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    r = await client.get("/v2/slots", params={"startTime": MONDAY, "endTime": MONDAY})
    assert r.status_code == 400
    assert "eventTypeId" in r.json()["error"]["message"]
    r = await client.get(
        "/v2/slots", params={"eventTypeId": 1, "startTime": TUESDAY, "endTime": MONDAY}
    )
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "endTime must be after startTime"
    r = await client.get("/v2/slots", params={"eventTypeId": 1, "startTime": "soon"})
    assert r.status_code == 400
    assert "endTime" in r.json()["error"]["message"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"end": MONDAY}, "start is required"),
        ({"start": "2050-13-45", "end": MONDAY}, "Invalid time range given"),
        ({"start": "tomorrow", "end": MONDAY}, "'start'"),
        ({"start": MONDAY, "end": "2050-09-05T25:00:00Z"}, "'end'"),
        ({"start": TUESDAY, "end": MONDAY}, "'end' must not be before 'start'"),
        ({"start": MONDAY, "end": MONDAY, "timeZone": "Mars/Olympus"}, "Mars/Olympus"),
        ({"start": MONDAY, "end": MONDAY, "format": "list"}, "'range' or 'time'"),
        ({"start": MONDAY, "end": MONDAY, "duration": "long"}, "duration"),
        ({"start": MONDAY, "end": MONDAY, "eventTypeId": "x"}, "eventTypeId"),
    ],
)
async def test_validation_errors(
    client: httpx2.AsyncClient, app: Any, host: Host, params: dict[str, Any], message: str
) -> None:
    await give_schedule(app, host)
    et = await make_event_type(app, host)
    body = await get_slots(client, 400, **{"eventTypeId": et, **params})
    assert body["error"]["code"] == "BadRequestException"
    assert message in body["error"]["message"]


async def test_identification_errors(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    window = {"start": MONDAY, "end": MONDAY}
    body = await get_slots(client, 400, **window)
    assert "eventTypeId" in body["error"]["message"]
    body = await get_slots(client, 400, eventTypeSlug="intro", **window)
    assert "eventTypeId" in body["error"]["message"]
    body = await get_slots(client, 404, eventTypeId=999, **window)
    assert body["error"]["code"] == "NotFoundException"
    body = await get_slots(client, 404, eventTypeSlug="intro", username="nobody", **window)
    assert body["error"]["message"] == "User with username nobody not found"
    body = await get_slots(client, 404, eventTypeSlug="nothing", username="alice", **window)
    assert "nothing" in body["error"]["message"]
    body = await get_slots(client, 404, eventTypeSlug="intro", teamSlug="sales", **window)
    assert body["error"]["message"] == "Team with slug sales not found"
    body = await get_slots(
        client, 404, eventTypeSlug="intro", username="alice", organizationSlug="acme", **window
    )
    assert "acme" in body["error"]["message"]


async def test_far_windows_are_clamped(client: httpx2.AsyncClient, app: Any, host: Host) -> None:
    await give_schedule(app, host)
    et = await make_event_type(app, host, length=60)
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end="2099-01-01")
    assert len(data) < 270  # about one year of weekdays, not fifty
    assert MONDAY in data


async def test_reservations_need_the_version(client: httpx2.AsyncClient) -> None:
    r = await client.post("/v2/slots/reservations", json={"eventTypeId": 1, "slotStart": MONDAY})
    assert r.status_code == 404
    assert "2024-09-04" in r.json()["error"]["message"]
    r = await client.get("/v2/slots/reservations/abc")
    assert r.status_code == 404
    assert "2024-09-04" in r.json()["error"]["message"]


async def test_user_time_zone_fallback_without_schedule(
    client: httpx2.AsyncClient, app: Any
) -> None:
    tokyo = await make_host(app, "kenji", "Asia/Tokyo")
    et = await make_event_type(app, tokyo, length=60)
    data = await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY, timeZone="Asia/Tokyo")
    # no schedule: Mon–Fri 09:00–17:00 in the user's zone; the UTC window ends 08:59 Tokyo Tuesday
    assert starts(data, MONDAY) == [
        "09:00",
        "10:00",
        "11:00",
        "12:00",
        "13:00",
        "14:00",
        "15:00",
        "16:00",
    ]
