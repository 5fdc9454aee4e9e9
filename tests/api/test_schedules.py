"""/v2/schedules (cal-api-version 2024-06-11): CRUD, defaults, validation, ownership."""

from __future__ import annotations

from typing import Any

import httpx2

from tests.conftest import Host

V = {"cal-api-version": "2024-06-11"}
ET = {"cal-api-version": "2024-06-14"}


def h(host: Host) -> dict[str, str]:
    return {**host.headers, **V}


async def create(client: httpx2.AsyncClient, host: Host, **body: Any) -> dict[str, Any]:
    payload = {"name": "Work", "timeZone": "Europe/Rome", "isDefault": False, **body}
    r = await client.post("/v2/schedules", json=payload, headers=h(host))
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()["data"]
    return data


async def test_create_with_default_availability(client: httpx2.AsyncClient, host: Host) -> None:
    r = await client.post(
        "/v2/schedules",
        json={"name": "Catch up hours", "timeZone": "Europe/Rome", "isDefault": True},
        headers=h(host),
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "success"
    data = body["data"]
    assert data == {
        "id": data["id"],
        "ownerId": host.id,
        "name": "Catch up hours",
        "timeZone": "Europe/Rome",
        "availability": [
            {
                "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
                "startTime": "09:00",
                "endTime": "17:00",
            }
        ],
        "isDefault": True,
        "overrides": [],
    }
    me = (await client.get("/v2/me", headers=host.headers)).json()["data"]
    assert me["defaultScheduleId"] == data["id"]


async def test_empty_availability_means_no_weekly_hours(
    client: httpx2.AsyncClient, host: Host
) -> None:
    data = await create(
        client,
        host,
        availability=[],
        overrides=[{"date": "2050-05-20", "startTime": "18:00", "endTime": "21:00"}],
    )
    assert data["availability"] == []
    assert data["overrides"] == [{"date": "2050-05-20", "startTime": "18:00", "endTime": "21:00"}]


async def test_custom_availability_and_overrides_round_trip(
    client: httpx2.AsyncClient, host: Host
) -> None:
    availability = [
        {"days": ["Tuesday", "Monday", "Monday"], "startTime": "17:00", "endTime": "19:00"},
        {"days": ["Wednesday", "Thursday"], "startTime": "16:00", "endTime": "23:59"},
    ]
    overrides = [
        {"date": "2050-05-21", "startTime": "00:00", "endTime": "00:00"},
        {"date": "2050-05-20", "startTime": "14:00", "endTime": "17:00"},
        {"date": "2050-05-20", "startTime": "09:00", "endTime": "12:00"},
    ]
    data = await create(client, host, availability=availability, overrides=overrides)
    assert data["availability"] == [
        {"days": ["Monday", "Tuesday"], "startTime": "17:00", "endTime": "19:00"},
        {"days": ["Wednesday", "Thursday"], "startTime": "16:00", "endTime": "23:59"},
    ]
    # several ranges on one date are kept; the closing override (00:00-00:00) is stored as is
    assert data["overrides"] == [
        {"date": "2050-05-20", "startTime": "09:00", "endTime": "12:00"},
        {"date": "2050-05-20", "startTime": "14:00", "endTime": "17:00"},
        {"date": "2050-05-21", "startTime": "00:00", "endTime": "00:00"},
    ]
    got = await client.get(f"/v2/schedules/{data['id']}", headers=h(host))
    assert got.status_code == 200
    assert got.json()["data"] == data


async def test_schedule_alias_for_availability(client: httpx2.AsyncClient, host: Host) -> None:
    rows = [{"days": ["Saturday"], "startTime": "10:00", "endTime": "12:00"}]
    data = await create(client, host, schedule=rows)
    assert data["availability"] == rows


async def test_first_schedule_becomes_default_then_exactly_one_default(
    client: httpx2.AsyncClient, host: Host
) -> None:
    first = await create(client, host, name="First", isDefault=False)
    assert first["isDefault"] is True
    second = await create(client, host, name="Second", isDefault=False)
    assert second["isDefault"] is False
    third = await create(client, host, name="Third", isDefault=True)
    assert third["isDefault"] is True

    listed = (await client.get("/v2/schedules", headers=h(host))).json()["data"]
    assert [s["name"] for s in listed] == ["First", "Second", "Third"]
    assert [s["isDefault"] for s in listed] == [False, False, True]

    r = await client.patch(
        f"/v2/schedules/{second['id']}", json={"isDefault": True}, headers=h(host)
    )
    assert r.status_code == 200
    assert r.json()["data"]["isDefault"] is True
    listed = (await client.get("/v2/schedules", headers=h(host))).json()["data"]
    assert [s["isDefault"] for s in listed] == [False, True, False]
    default = (await client.get("/v2/schedules/default", headers=h(host))).json()
    assert default["status"] == "success"
    assert default["data"]["id"] == second["id"]

    # isDefault: false on the default is ignored: a user with schedules keeps one default
    r = await client.patch(
        f"/v2/schedules/{second['id']}", json={"isDefault": False}, headers=h(host)
    )
    assert r.json()["data"]["isDefault"] is True


async def test_default_is_null_without_schedules(client: httpx2.AsyncClient, host: Host) -> None:
    r = await client.get("/v2/schedules/default", headers=h(host))
    assert r.status_code == 200
    assert r.json() == {"status": "success", "data": None}
    r = await client.get("/v2/schedules", headers=h(host))
    assert r.json() == {"status": "success", "data": []}


async def test_update_replaces_lists_and_keeps_others(
    client: httpx2.AsyncClient, host: Host
) -> None:
    data = await create(
        client,
        host,
        overrides=[{"date": "2050-01-02", "startTime": "10:00", "endTime": "11:00"}],
    )
    r = await client.patch(
        f"/v2/schedules/{data['id']}",
        json={
            "name": "One-on-one coaching",
            "availability": [{"days": ["Monday"], "startTime": "09:00", "endTime": "10:00"}],
        },
        headers=h(host),
    )
    assert r.status_code == 200, r.text
    out = r.json()["data"]
    assert out["name"] == "One-on-one coaching"
    assert out["timeZone"] == "Europe/Rome"
    assert out["availability"] == [{"days": ["Monday"], "startTime": "09:00", "endTime": "10:00"}]
    assert out["overrides"] == data["overrides"]

    r = await client.patch(
        f"/v2/schedules/{data['id']}",
        json={"timeZone": "America/New_York", "overrides": [], "availability": None},
        headers=h(host),
    )
    out = r.json()["data"]
    assert out["timeZone"] == "America/New_York"
    assert out["overrides"] == []
    assert out["availability"] == [{"days": ["Monday"], "startTime": "09:00", "endTime": "10:00"}]


async def test_delete_default_moves_default_to_oldest_remaining(
    client: httpx2.AsyncClient, host: Host
) -> None:
    first = await create(client, host, name="First")
    second = await create(client, host, name="Second")
    third = await create(client, host, name="Third", isDefault=True)
    r = await client.delete(f"/v2/schedules/{third['id']}", headers=h(host))
    assert r.status_code == 200
    assert r.json() == {"status": "success"}
    default = (await client.get("/v2/schedules/default", headers=h(host))).json()["data"]
    assert default["id"] == first["id"]
    r = await client.delete(f"/v2/schedules/{first['id']}", headers=h(host))
    assert r.status_code == 200
    default = (await client.get("/v2/schedules/default", headers=h(host))).json()["data"]
    assert default["id"] == second["id"]
    r = await client.delete(f"/v2/schedules/{second['id']}", headers=h(host))
    assert r.status_code == 200
    assert (await client.get("/v2/schedules/default", headers=h(host))).json()["data"] is None
    me = (await client.get("/v2/me", headers=host.headers)).json()["data"]
    assert me["defaultScheduleId"] is None
    r = await client.get(f"/v2/schedules/{second['id']}", headers=h(host))
    assert r.status_code == 404


async def test_deleting_a_schedule_resets_event_types_using_it(
    client: httpx2.AsyncClient, host: Host
) -> None:
    await create(client, host, name="Default")
    special = await create(client, host, name="Special")
    r = await client.post(
        "/v2/event-types",
        json={
            "title": "Intro",
            "slug": "intro",
            "lengthInMinutes": 30,
            "scheduleId": special["id"],
        },
        headers={**host.headers, **ET},
    )
    assert r.status_code == 201, r.text
    event_type_id = r.json()["data"]["id"]
    assert r.json()["data"]["scheduleId"] == special["id"]
    assert (
        await client.delete(f"/v2/schedules/{special['id']}", headers=h(host))
    ).status_code == 200
    r = await client.get(f"/v2/event-types/{event_type_id}", headers={**host.headers, **ET})
    assert r.json()["data"]["scheduleId"] is None


async def test_someone_elses_schedule_is_404(
    client: httpx2.AsyncClient, host: Host, other_host: Host
) -> None:
    data = await create(client, host)
    for method, kwargs in (
        ("GET", {}),
        ("PATCH", {"json": {"name": "Mine now"}}),
        ("DELETE", {}),
    ):
        r = await client.request(
            method, f"/v2/schedules/{data['id']}", headers=h(other_host), **kwargs
        )
        assert r.status_code == 404, (method, r.text)
        assert r.json()["error"]["code"] == "NotFoundException"
        assert r.json()["error"]["message"] == f"Schedule with ID={data['id']} does not exist."
    assert (await client.get("/v2/schedules", headers=h(other_host))).json()["data"] == []
    assert (await client.get(f"/v2/schedules/{data['id']}", headers=h(host))).status_code == 200
    r = await client.get("/v2/schedules/999999", headers=h(host))
    assert r.status_code == 404


async def test_version_header_and_auth_required(client: httpx2.AsyncClient, host: Host) -> None:
    r = await client.post(
        "/v2/schedules",
        json={"name": "x", "timeZone": "UTC", "isDefault": True},
        headers=host.headers,
    )
    assert r.status_code == 404
    assert "cal-api-version: 2024-06-11" in r.json()["error"]["message"]
    r = await client.get("/v2/schedules/default", headers={"cal-api-version": "2024-06-14"})
    assert r.status_code == 404
    assert "2024-06-11" in r.json()["error"]["message"]
    r = await client.get("/v2/schedules", headers=V)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "UnauthorizedException"


async def _error(client: httpx2.AsyncClient, host: Host, body: dict[str, Any]) -> str:
    payload = {"name": "Work", "timeZone": "Europe/Rome", "isDefault": False, **body}
    r = await client.post("/v2/schedules", json=payload, headers=h(host))
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["code"] == "BadRequestException"
    message: str = err["message"]
    return message


async def test_validation_errors_name_the_field(client: httpx2.AsyncClient, host: Host) -> None:
    msg = await _error(client, host, {"timeZone": "Mars/Olympus"})
    assert "timeZone" in msg and "Mars/Olympus" in msg
    msg = await _error(client, host, {"colour": "red"})
    assert "property colour should not exist" in msg
    r = await client.post("/v2/schedules", json={"name": "x", "timeZone": "UTC"}, headers=h(host))
    assert r.status_code == 400
    assert "isDefault is required" in r.json()["error"]["message"]
    msg = await _error(client, host, {"isDefault": "yes"})
    assert "isDefault" in msg
    msg = await _error(
        client,
        host,
        {"availability": [{"days": ["Funday"], "startTime": "09:00", "endTime": "10:00"}]},
    )
    assert "availability.0.days.0" in msg
    msg = await _error(
        client, host, {"availability": [{"days": [], "startTime": "09:00", "endTime": "10:00"}]}
    )
    assert "availability.0.days" in msg
    for bad in ("24:00", "9:00", "09:60", "0900"):
        msg = await _error(
            client,
            host,
            {"availability": [{"days": ["Monday"], "startTime": bad, "endTime": "23:00"}]},
        )
        assert "availability.0.startTime" in msg and bad in msg, msg
    msg = await _error(
        client,
        host,
        {"availability": [{"days": ["Monday"], "startTime": "17:00", "endTime": "09:00"}]},
    )
    assert "availability.0" in msg and "must be before" in msg
    msg = await _error(
        client,
        host,
        {"availability": [{"days": ["Monday"], "startTime": "10:00", "endTime": "10:00"}]},
    )
    assert "must be before" in msg
    msg = await _error(
        client,
        host,
        {"overrides": [{"date": "2050-13-01", "startTime": "09:00", "endTime": "10:00"}]},
    )
    assert "overrides.0.date" in msg and "YYYY-MM-DD" in msg
    msg = await _error(
        client,
        host,
        {"overrides": [{"date": "20500101", "startTime": "09:00", "endTime": "10:00"}]},
    )
    assert "overrides.0.date" in msg
    msg = await _error(
        client,
        host,
        {"overrides": [{"date": "2050-01-01", "startTime": "12:00", "endTime": "00:00"}]},
    )
    assert "overrides.0" in msg and "00:00-00:00" in msg
    msg = await _error(
        client,
        host,
        {
            "overrides": [
                {"date": "2050-01-01", "startTime": "00:00", "endTime": "00:00"},
                {"date": "2050-01-01", "startTime": "09:00", "endTime": "10:00"},
            ]
        },
    )
    assert msg.startswith("overrides: date 2050-01-01 is closed")
    msg = await _error(client, host, {"name": ""})
    assert "name" in msg
    r = await client.patch("/v2/schedules/abc", json={}, headers=h(host))
    assert r.status_code == 400
    assert "scheduleId" in r.json()["error"]["message"]


async def test_update_validation(client: httpx2.AsyncClient, host: Host) -> None:
    data = await create(client, host)
    r = await client.patch(
        f"/v2/schedules/{data['id']}", json={"timeZone": "Nowhere/Land"}, headers=h(host)
    )
    assert r.status_code == 400
    assert "Nowhere/Land" in r.json()["error"]["message"]
    r = await client.patch(f"/v2/schedules/{data['id']}", json={"ownerId": 5}, headers=h(host))
    assert r.status_code == 400
    assert "property ownerId should not exist" in r.json()["error"]["message"]
    got = (await client.get(f"/v2/schedules/{data['id']}", headers=h(host))).json()["data"]
    assert got == data
