"""The ``serve --demo`` seed (slotwise.demo), on both databases: the demo key stays the same
across seeds (kept in the data dir, mode 0600) until ``new_key``; the demo's event types meet
in person or by phone, not over Cal Video."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import httpx2

from slotwise.demo import DEMO_ADDRESS, DemoSeed, demo_key_file, seed_demo
from slotwise.kit.db import transaction

V_BOOKINGS = {"cal-api-version": "2024-08-13"}


async def seed(app: Any, key_file: Path, *, new_key: bool = False) -> DemoSeed:
    async with transaction(app.state.db, write=True) as session:
        return await seed_demo(session, key_file=key_file, new_key=new_key)


async def me_status(client: httpx2.AsyncClient, key: str) -> int:
    response = await client.get("/v2/me", headers={"Authorization": f"Bearer {key}"})
    return response.status_code


async def test_the_demo_key_stays_the_same_across_seeds(
    app: Any, client: httpx2.AsyncClient, tmp_path: Path
) -> None:
    key_file = tmp_path / "data" / "demo_key"
    first = await seed(app, key_file)
    assert first.new_key and first.api_key.startswith("cal_live_")
    assert key_file.read_text().strip() == first.api_key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    second = await seed(app, key_file)
    assert second.api_key == first.api_key and not second.new_key
    assert second.event_type_ids == first.event_type_ids
    assert await me_status(client, first.api_key) == 200


async def test_new_key_replaces_the_demo_key(
    app: Any, client: httpx2.AsyncClient, tmp_path: Path
) -> None:
    key_file = tmp_path / "demo_key"
    old = await seed(app, key_file)
    rotated = await seed(app, key_file, new_key=True)
    assert rotated.new_key and rotated.api_key != old.api_key
    assert key_file.read_text().strip() == rotated.api_key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert await me_status(client, old.api_key) == 401
    assert await me_status(client, rotated.api_key) == 200
    again = await seed(app, key_file)
    assert again.api_key == rotated.api_key


async def test_a_kept_key_works_on_a_new_database_and_a_bad_file_is_replaced(
    app: Any, client: httpx2.AsyncClient, tmp_path: Path
) -> None:
    key_file = tmp_path / "demo_key"
    kept = "cal_live_" + "ab" * 24
    key_file.write_text(kept + "\n")
    key_file.chmod(0o644)  # left by hand
    seeded = await seed(app, key_file)
    assert seeded.api_key == kept and not seeded.new_key  # stored on this database
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert await me_status(client, kept) == 200

    key_file.write_text("not a key\n")
    replaced = await seed(app, key_file)
    assert replaced.new_key and replaced.api_key != kept
    assert await me_status(client, kept) == 401
    assert await me_status(client, replaced.api_key) == 200


async def test_the_key_file_lives_in_the_data_dir(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("SLOTWISE_DATA_DIR", str(tmp_path / "chosen"))
    assert demo_key_file() == tmp_path / "chosen" / "demo_key"
    assert stat.S_IMODE((tmp_path / "chosen").stat().st_mode) == 0o700


async def test_demo_bookings_need_no_video_provider(
    app: Any, client: httpx2.AsyncClient, tmp_path: Path
) -> None:
    seeded = await seed(app, tmp_path / "demo_key")
    attendee = {"name": "Ada", "email": "ada@example.com", "timeZone": "Europe/London"}
    in_person = await client.post(
        "/v2/bookings",
        headers=V_BOOKINGS,
        json={
            "eventTypeId": seeded.event_type_ids["30min"],
            "start": "2050-09-05T09:00:00Z",
            "attendee": attendee,
        },
    )
    assert in_person.status_code == 201, in_person.text
    assert in_person.json()["data"]["location"] == DEMO_ADDRESS
    by_phone = await client.post(
        "/v2/bookings",
        headers=V_BOOKINGS,
        json={
            "eventTypeId": seeded.event_type_ids["60min"],
            "start": "2050-09-05T11:00:00Z",
            "attendee": attendee,
            "location": {"type": "attendeePhone", "phone": "+442071234567"},
        },
    )
    assert by_phone.status_code == 201, by_phone.text
    assert by_phone.json()["data"]["location"] == "+442071234567"
    page = await client.get("/demo/30min?month=2050-09&date=2050-09-05&timeZone=UTC")
    assert page.status_code == 200
    assert "Cal Video" not in page.text and "1 Example Street" in page.text


async def test_the_demo_password_is_kept_with_the_key_and_rotated_with_it(
    app: Any, tmp_path: Path
) -> None:
    from tests.webapp.conftest import csrf_of

    key_file = tmp_path / "data" / "demo_key"
    first = await seed(app, key_file)
    password_file = key_file.with_name("demo_password")
    assert password_file.read_text().strip() == first.password
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert (await seed(app, key_file)).password == first.password
    rotated = await seed(app, key_file, new_key=True)
    assert rotated.password != first.password

    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://slotwise.test") as c:
        for password, status in ((first.password, 401), (rotated.password, 303)):
            page = await c.get("/app/login")
            answer = await c.post(
                "/app/login",
                data={"login": "demo", "password": password, "csrf_token": csrf_of(page.text)},
            )
            assert answer.status_code == status
