"""Slot reservations: POST/GET/PATCH/DELETE /v2/slots/reservations (cal-api-version 2024-09-04)
and their effect on GET /v2/slots."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx2
import pytest

from tests.api.slot_fixtures import (
    MONDAY,
    V,
    add_booking,
    freeze,
    give_schedule,
    make_event_type,
    slot_data,
    starts,
)
from tests.conftest import Host

TEN = f"{MONDAY}T10:00:00.000Z"


async def reserve(
    client: httpx2.AsyncClient, headers: dict[str, str] | None = None, **body: Any
) -> httpx2.Response:
    """POST /v2/slots/reservations with the slots version (plus ``headers``)."""
    return await client.post("/v2/slots/reservations", json=body, headers={**V, **(headers or {})})


async def monday(client: httpx2.AsyncClient, et: int) -> list[str]:
    """The Monday starts (HH:MM, UTC) of event type ``et``."""
    return starts(await slot_data(client, eventTypeId=et, start=MONDAY, end=MONDAY), MONDAY)


@pytest.fixture
async def et(app: Any, host: Host, monkeypatch: pytest.MonkeyPatch) -> int:
    """A 30-minute event type of alice (Mon–Fri 09–17 UTC), the clock frozen at 2050-09-01."""
    freeze(monkeypatch, "2050-09-01T12:00")
    await give_schedule(app, host)
    return await make_event_type(app, host, lengthInMinutesOptions=[30, 60])


async def test_reserve_hides_the_slot_until_deleted(client: httpx2.AsyncClient, et: int) -> None:
    assert "10:00" in await monday(client, et)
    r = await reserve(client, eventTypeId=et, slotStart=TEN)
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    uid = data.pop("reservationUid")
    assert isinstance(uid, str) and len(uid) >= 16
    assert data == {
        "eventTypeId": et,
        "slotStart": TEN,
        "slotEnd": "2050-09-05T10:30:00.000Z",
        "slotDuration": 30,
        "reservationDuration": 5,
        "reservationUntil": "2050-09-01T12:05:00.000Z",
    }
    assert "10:00" not in await monday(client, et)

    r = await client.get(f"/v2/slots/reservations/{uid}", headers=V)
    assert r.status_code == 200
    assert r.json()["data"] == {
        "eventTypeId": et,
        "slotStart": TEN,
        "slotEnd": "2050-09-05T10:30:00.000Z",
        "slotDuration": 30,
        "reservationUid": uid,
        "reservationUntil": "2050-09-01T12:05:00.000Z",
    }

    r = await client.delete(f"/v2/slots/reservations/{uid}", headers=V)
    assert r.status_code == 200
    assert r.json() == {"status": "success"}
    assert "10:00" in await monday(client, et)
    for method in ("GET", "DELETE"):
        r = await client.request(method, f"/v2/slots/reservations/{uid}", headers=V)
        assert r.status_code == 404
        assert r.json()["error"]["message"] == f"Slot with uid={uid} not found"


async def test_expired_reservation_frees_the_slot(
    client: httpx2.AsyncClient, et: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = await reserve(client, eventTypeId=et, slotStart=TEN)
    assert r.status_code == 201
    assert "10:00" not in await monday(client, et)
    freeze(monkeypatch, "2050-09-01T12:06")
    assert "10:00" in await monday(client, et)
    # and it no longer stands in the way of another booker
    r = await reserve(client, eventTypeId=et, slotStart=TEN)
    assert r.status_code == 201, r.text


async def test_patch_moves_and_renews(
    client: httpx2.AsyncClient, et: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    uid = (await reserve(client, eventTypeId=et, slotStart=TEN)).json()["data"]["reservationUid"]
    freeze(monkeypatch, "2050-09-01T12:03")
    r = await client.patch(
        f"/v2/slots/reservations/{uid}",
        json={"eventTypeId": et, "slotStart": f"{MONDAY}T11:00:00Z", "slotDuration": 60},
        headers=V,
    )
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["reservationUid"] == uid
    assert data["slotStart"] == f"{MONDAY}T11:00:00.000Z"
    assert data["slotEnd"] == f"{MONDAY}T12:00:00.000Z"
    assert data["slotDuration"] == 60
    assert data["reservationUntil"] == "2050-09-01T12:08:00.000Z"
    got = await monday(client, et)
    assert "10:00" in got
    assert "11:00" not in got and "11:30" not in got
    # moving it over its own old time is fine
    r = await client.patch(
        f"/v2/slots/reservations/{uid}",
        json={"eventTypeId": et, "slotStart": f"{MONDAY}T11:30:00Z"},
        headers=V,
    )
    assert r.status_code == 200, r.text
    r = await client.patch(
        "/v2/slots/reservations/unknown", json={"eventTypeId": et, "slotStart": TEN}, headers=V
    )
    assert r.status_code == 404


async def test_reservation_duration_is_for_the_owner(
    client: httpx2.AsyncClient, et: int, host: Host, other_host: Host
) -> None:
    r = await reserve(client, eventTypeId=et, slotStart=TEN, reservationDuration=60)
    assert r.status_code == 401
    assert r.json()["error"]["message"] == (
        "reservationDuration can only be used for authenticated requests - use access token, "
        "api key or OAuth credentials"
    )
    r = await reserve(
        client, other_host.headers, eventTypeId=et, slotStart=TEN, reservationDuration=60
    )
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "ForbiddenException"
    r = await reserve(client, host.headers, eventTypeId=et, slotStart=TEN, reservationDuration=60)
    assert r.status_code == 201, r.text
    assert r.json()["data"]["reservationDuration"] == 60
    assert r.json()["data"]["reservationUntil"] == "2050-09-01T13:00:00.000Z"
    r = await reserve(
        client, {"Authorization": "Bearer cal_live_nope"}, eventTypeId=et, slotStart=TEN
    )
    assert r.status_code == 401


async def test_conflicts_are_422(client: httpx2.AsyncClient, app: Any, host: Host, et: int) -> None:
    await add_booking(app, host, et, f"{MONDAY}T14:00")
    r = await reserve(client, eventTypeId=et, slotStart=f"{MONDAY}T14:00:00Z")
    assert r.status_code == 422
    assert r.json()["error"] == {
        "code": "UnprocessableEntityException",
        "message": "Can't reserve a slot if the event is already booked.",
    }
    r = await reserve(client, eventTypeId=et, slotStart=f"{MONDAY}T13:30:00Z", slotDuration=60)
    assert r.status_code == 422
    assert (await reserve(client, eventTypeId=et, slotStart=TEN)).status_code == 201
    for start in (TEN, f"{MONDAY}T10:15:00Z", f"{MONDAY}T09:45:00Z"):
        r = await reserve(client, eventTypeId=et, slotStart=start)
        assert r.status_code == 422, start
        assert r.json()["error"]["message"] == (
            "This time slot is already reserved by another user. Please choose a different time."
        )
    # touching is fine
    assert (
        await reserve(client, eventTypeId=et, slotStart=f"{MONDAY}T10:30:00Z")
    ).status_code == 201


async def test_reservation_blocks_every_event_type_of_the_host(
    client: httpx2.AsyncClient, app: Any, host: Host, et: int
) -> None:
    other = await make_event_type(app, host, slug="other", length=60)
    assert (await reserve(client, eventTypeId=et, slotStart=TEN)).status_code == 201
    got = await monday(client, other)
    assert "10:00" not in got and "09:00" in got
    r = await reserve(client, eventTypeId=other, slotStart=f"{MONDAY}T09:30:00Z")
    assert r.status_code == 422


async def test_seated_reservations(
    client: httpx2.AsyncClient, app: Any, host: Host, et: int
) -> None:
    seats = {"seatsPerTimeSlot": 2, "showAttendeeInfo": False, "showAvailabilityCount": True}
    seated = await make_event_type(app, host, slug="class", seats=seats)
    await add_booking(app, host, seated, f"{MONDAY}T09:00", attendees=2)
    await add_booking(app, host, seated, f"{MONDAY}T11:00", attendees=1)
    r = await reserve(client, eventTypeId=seated, slotStart=f"{MONDAY}T09:00:00Z")
    assert r.status_code == 422
    assert r.json()["error"]["message"] == (
        f"Booking with id={seated} at {MONDAY}T09:00:00Z has no more seats left."
    )
    r = await reserve(client, eventTypeId=seated, slotStart=f"{MONDAY}T11:00:00Z")
    assert r.status_code == 201, r.text
    r = await reserve(client, eventTypeId=seated, slotStart=f"{MONDAY}T11:15:00Z")
    assert r.status_code == 422


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"eventTypeId": 999, "slotStart": TEN}, 404, "Event Type with ID=999 not found"),
        ({"eventTypeId": None, "slotStart": TEN}, 400, "eventTypeId is required"),
        ({"eventTypeId": 0, "slotStart": TEN}, 400, "eventTypeId"),
        ({"slotStart": "next monday"}, 400, "Invalid start date"),
        ({"slotStart": TEN, "slotDuration": 45}, 400, "are: 30, 60"),
        ({"slotStart": TEN, "colour": "red"}, 400, "property colour should not exist"),
        ({"slotStart": TEN, "reservationDuration": 0}, 400, "reservationDuration"),
    ],
)
async def test_validation(
    client: httpx2.AsyncClient,
    et: int,
    body: dict[str, Any],
    status: int,
    message: str,
) -> None:
    payload = {k: v for k, v in {"eventTypeId": et, **body}.items() if v is not None}
    r = await reserve(client, **payload)
    assert r.status_code == status, r.text
    assert message in r.json()["error"]["message"]


async def test_slot_duration_needs_a_variable_length(
    client: httpx2.AsyncClient, app: Any, host: Host, et: int
) -> None:
    fixed = await make_event_type(app, host, slug="fixed")
    r = await reserve(client, eventTypeId=fixed, slotStart=TEN, slotDuration=30)
    assert r.status_code == 400
    assert r.json()["error"]["message"] == (
        "You passed 'slotDuration' but this event type is not a variable length event type."
    )


async def test_concurrent_reservations_of_one_slot(client: httpx2.AsyncClient, et: int) -> None:
    responses = await asyncio.gather(
        *(reserve(client, eventTypeId=et, slotStart=TEN) for _ in range(12))
    )
    codes = [r.status_code for r in responses]
    assert codes.count(201) == 1, [r.text for r in responses]
    assert set(codes) == {201, 422}
