"""The event types section of the web app: list, create, the editor's tabs (checked through the
API), validation messages beside the fields, duplicate, delete, hide, CSRF and ownership."""

from __future__ import annotations

import re
from typing import Any

import httpx2

from tests.conftest import Host
from tests.webapp.conftest import app_get, app_post, csrf_of

V = {"cal-api-version": "2024-06-14"}


async def api_event_type(client: httpx2.AsyncClient, host: Host, event_type_id: int) -> Any:
    answer = await client.get(f"/v2/event-types/{event_type_id}", headers={**host.headers, **V})
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]


async def make_event_type(client: httpx2.AsyncClient, host: Host, **extra: Any) -> int:
    body = {"title": "Intro call", "slug": "intro", "lengthInMinutes": 30, **extra}
    answer = await client.post("/v2/event-types", json=body, headers={**host.headers, **V})
    assert answer.status_code == 201, answer.text
    return int(answer.json()["data"]["id"])


def field_error(html: str, name: str) -> str:
    """The message shown beside field ``name`` (its ``f-<name>-error`` element)."""
    fid = "f-" + name.replace(".", "-") + "-error"
    match = re.search(rf'id="{fid}">([^<]*)<', html)
    assert match, f"no error beside {name}"
    return match.group(1)


async def test_list_shows_event_types_and_public_links(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    await make_event_type(client, host)
    await make_event_type(client, host, title="Secret", slug="secret", hidden=True)
    page = await app_get(app_client, "/app/event-types")
    assert "Intro call" in page.text and "Secret" in page.text
    assert 'data-copy="http://slotwise.test/alice/intro"' in page.text
    assert 'href="http://slotwise.test/alice/intro"' in page.text
    assert "Hidden" in page.text
    home = await app_client.get("/app")
    assert home.headers["location"] == "/app/event-types"


async def test_create_opens_the_editor_and_the_api_shows_it(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    answer = await app_post(
        app_client,
        "/app/event-types",
        "/app/event-types",
        {"title": "Quick Chat", "slug": "", "lengthInMinutes": "20", "description": "Hi"},
    )
    assert answer.status_code == 303, answer.text
    match = re.fullmatch(r"/app/event-types/(\d+)\?flash=created", answer.headers["location"])
    assert match
    data = await api_event_type(client, host, int(match.group(1)))
    assert (data["title"], data["slug"], data["lengthInMinutes"]) == (
        "Quick Chat",
        "quick-chat",
        20,
    )
    assert data["description"] == "Hi"
    editor = await app_get(app_client, answer.headers["location"])
    assert "Quick Chat" in editor.text and "Created" in editor.text


async def test_create_refused_shows_the_api_messages_beside_the_fields(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    await make_event_type(client, host)
    zero = await app_post(
        app_client,
        "/app/event-types",
        "/app/event-types",
        {"title": "Zero", "slug": "zero", "lengthInMinutes": "0"},
    )
    assert zero.status_code == 400
    assert field_error(zero.text, "lengthInMinutes")
    taken = await app_post(
        app_client,
        "/app/event-types",
        "/app/event-types",
        {"title": "Again", "slug": "intro", "lengthInMinutes": "15"},
    )
    assert taken.status_code == 400
    assert "already has an event type with this slug" in field_error(taken.text, "slug")
    assert 'value="Again"' in taken.text  # what was typed is kept
    listed = await client.get("/v2/event-types", headers={**host.headers, **V})
    assert [et["slug"] for et in listed.json()["data"]] == ["intro"]


async def test_hide_toggle_duplicate_and_delete(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    event_type_id = await make_event_type(
        client,
        host,
        minimumBookingNotice=60,
        seats={"seatsPerTimeSlot": 3, "showAttendeeInfo": True, "showAvailabilityCount": False},
        bookingFields=[{"type": "text", "slug": "company", "label": "Company", "required": True}],
    )
    hidden = await app_post(
        app_client,
        "/app/event-types",
        f"/app/event-types/{event_type_id}/hidden",
        {"hidden": "true"},
    )
    assert hidden.status_code == 303
    assert (await api_event_type(client, host, event_type_id))["hidden"] is True
    shown = await app_post(
        app_client,
        "/app/event-types",
        f"/app/event-types/{event_type_id}/hidden",
        {"hidden": "false"},
    )
    assert shown.status_code == 303
    assert (await api_event_type(client, host, event_type_id))["hidden"] is False

    copy = await app_post(
        app_client, "/app/event-types", f"/app/event-types/{event_type_id}/duplicate", {}
    )
    assert copy.status_code == 303, copy.text
    copy_id = int(re.findall(r"\d+", copy.headers["location"])[0])
    original = await api_event_type(client, host, event_type_id)
    duplicate = await api_event_type(client, host, copy_id)
    assert (duplicate["title"], duplicate["slug"]) == ("Intro call (copy)", "intro-copy")
    for key in ("lengthInMinutes", "minimumBookingNotice", "seats", "bookingFields", "locations"):
        assert duplicate[key] == original[key], key
    again = await app_post(
        app_client, "/app/event-types", f"/app/event-types/{event_type_id}/duplicate", {}
    )
    again_id = int(re.findall(r"\d+", again.headers["location"])[0])
    assert (await api_event_type(client, host, again_id))["slug"] == "intro-copy-2"

    deleted = await app_post(
        app_client, "/app/event-types", f"/app/event-types/{copy_id}/delete", {}
    )
    assert deleted.status_code == 303
    gone = await client.get(f"/v2/event-types/{copy_id}", headers={**host.headers, **V})
    assert gone.status_code == 404


async def test_csrf_refusal_changes_nothing(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    event_type_id = await make_event_type(client, host)
    posts = [
        ("/app/event-types", {"title": "X", "lengthInMinutes": "10"}),
        (f"/app/event-types/{event_type_id}?tab=details", {"title": "Changed"}),
        (f"/app/event-types/{event_type_id}/hidden", {"hidden": "true"}),
        (f"/app/event-types/{event_type_id}/delete", {}),
        (f"/app/event-types/{event_type_id}/duplicate", {}),
        (f"/app/event-types/{event_type_id}/private-links", {"maxUsageCount": "2"}),
    ]
    for action, data in posts:
        refused = await app_client.post(action, data={**data, "csrf_token": "wrong"})
        assert refused.status_code == 403, action
    listed = await client.get("/v2/event-types", headers={**host.headers, **V})
    assert [(et["title"], et["hidden"]) for et in listed.json()["data"]] == [("Intro call", False)]
    links = await client.get(f"/v2/event-types/{event_type_id}/private-links", headers=host.headers)
    assert links.json()["data"] == []


async def test_another_users_event_type_is_not_found(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, other_host: Host
) -> None:
    theirs = await make_event_type(client, other_host)
    page = await app_client.get(f"/app/event-types/{theirs}")
    assert page.status_code == 404
    token = csrf_of((await app_get(app_client, "/app/event-types")).text)
    for action, data in [
        (f"/app/event-types/{theirs}?tab=details", {"title": "Mine now"}),
        (f"/app/event-types/{theirs}/hidden", {"hidden": "true"}),
        (f"/app/event-types/{theirs}/duplicate", {}),
        (f"/app/event-types/{theirs}/delete", {}),
        (
            f"/app/event-types/{theirs}/questions",
            {"op": "add", "new.type": "text", "new.label": "A"},
        ),
        (f"/app/event-types/{theirs}/private-links", {"maxUsageCount": "2"}),
        (f"/app/event-types/{theirs}/webhooks", {"subscriberUrl": "https://example.com/h"}),
    ]:
        answer = await app_client.post(action, data={**data, "csrf_token": token})
        assert answer.status_code == 404, action
    data = await api_event_type(client, other_host, theirs)
    assert (data["title"], data["hidden"]) == ("Intro call", False)
    assert (await app_client.get("/app/event-types/99999999999")).status_code == 404
    assert (await app_client.get("/app/event-types/abc")).status_code == 404


async def test_every_tab_renders(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    event_type_id = await make_event_type(client, host)
    for tab in (
        "details", "availability", "limits", "advanced", "recurring", "seats", "questions",
        "private-links", "webhooks",
    ):  # fmt: skip
        page = await app_get(app_client, f"/app/event-types/{event_type_id}?tab={tab}")
        assert page.text.count("<h1") == 1
        assert f'?tab={tab}" aria-current="page"' in page.text
