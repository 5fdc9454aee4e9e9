"""The event types section of the web app: list, create, the editor's tabs (checked through the
API), validation messages beside the fields, duplicate, delete, hide, CSRF and ownership."""

from __future__ import annotations

import re
from html.parser import HTMLParser
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


class _FormReader(HTMLParser):
    """The fields a browser would submit from the form whose action is ``action``."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.fields = action, False, {}
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action and not self.fields
        if not self.inside:
            return
        name = a.get("name", "")
        if tag == "input" and name and a.get("type") != "submit":
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.setdefault(name, []).append(a.get("value", "on"))
            else:
                self.fields[name] = [a.get("value", "")]
        elif tag == "select":
            self.select = name
            self.fields.setdefault(name, [])
        elif tag == "option" and self.select and ("selected" in a or not self.fields[self.select]):
            self.fields[self.select] = [a.get("value", "")]
        elif tag == "textarea":
            self.textarea = name
            self.fields[name] = [""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.inside and self.textarea:
            self.fields[self.textarea] = [self.fields[self.textarea][0] + data]


async def submit_tab(
    client: httpx2.AsyncClient, event_type_id: int, tab: str, changes: dict[str, Any]
) -> httpx2.Response:
    """Submit the editor's ``tab`` form as a browser would, with ``changes`` (None unticks a
    checkbox, a list sets repeated values)."""
    path = f"/app/event-types/{event_type_id}?tab={tab}"
    page = await app_get(client, path)
    reader = _FormReader(path)
    reader.feed(page.text)
    fields = dict(reader.fields)
    for name, value in changes.items():
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value if isinstance(value, list) else [value]
    return await client.post(path, data=fields)


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


async def test_details_and_availability_tabs_save_through_the_update_service(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    event_type_id = await make_event_type(client, host)
    schedule = await client.post(
        "/v2/schedules",
        json={"name": "Evenings", "timeZone": "UTC", "isDefault": False},
        headers={**host.headers, "cal-api-version": "2024-06-11"},
    )
    schedule_id = schedule.json()["data"]["id"]
    saved = await submit_tab(
        app_client,
        event_type_id,
        "details",
        {
            "title": "Deep dive",
            "slug": "Deep Dive",
            "description": "Bring questions",
            "lengthInMinutes": "45",
            "lengthInMinutesOptions": "30, 45, 60",
            "locations.0.type": "address",
            "locations.0.value": "1 Main St",
            "locations.0.public": "true",
            "locations.1.type": "link",
            "locations.1.value": "https://meet.example.com/x",
        },
    )
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"].endswith("tab=details&flash=saved")
    data = await api_event_type(client, host, event_type_id)
    assert (data["title"], data["slug"], data["lengthInMinutes"]) == ("Deep dive", "deep-dive", 45)
    assert data["description"] == "Bring questions"
    assert data["lengthInMinutesOptions"] == [30, 45, 60]
    assert data["locations"] == [
        {"type": "address", "address": "1 Main St", "public": True},
        {"type": "link", "link": "https://meet.example.com/x", "public": False},
    ]
    # Saving the tab again unchanged sends nothing and keeps everything.
    again = await submit_tab(app_client, event_type_id, "details", {})
    assert again.status_code == 303
    assert await api_event_type(client, host, event_type_id) == data

    chosen = await submit_tab(
        app_client, event_type_id, "availability", {"scheduleId": str(schedule_id)}
    )
    assert chosen.status_code == 303
    assert (await api_event_type(client, host, event_type_id))["scheduleId"] == schedule_id


async def test_limits_advanced_recurring_and_seats_tabs(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    event_type_id = await make_event_type(client, host)
    limits = await submit_tab(
        app_client,
        event_type_id,
        "limits",
        {
            "beforeEventBuffer": "10",
            "afterEventBuffer": "5",
            "minimumBookingNotice": "240",
            "slotInterval": "15",
            "onlyShowFirstAvailableSlot": "true",
            "bookingLimitsCount.enabled": "true",
            "bookingLimitsCount.day": "2",
            "bookingLimitsCount.week": "5",
            "bookingLimitsDuration.enabled": "true",
            "bookingLimitsDuration.week": "120",
            "bookingWindow.enabled": "true",
            "bookingWindow.type": "calendarDays",
            "bookingWindow.value": "30",
            "bookingWindow.rolling": "true",
            "bookerActiveBookingsLimit.enabled": "true",
            "bookerActiveBookingsLimit.maximumActiveBookings": "2",
        },
    )
    assert limits.status_code == 303, limits.text
    data = await api_event_type(client, host, event_type_id)
    assert (data["beforeEventBuffer"], data["afterEventBuffer"]) == (10, 5)
    assert (data["minimumBookingNotice"], data["slotInterval"]) == (240, 15)
    assert data["onlyShowFirstAvailableSlot"] is True
    assert data["bookingLimitsCount"] == {"day": 2, "week": 5}
    assert data["bookingLimitsDuration"] == {"week": 120}
    assert data["bookingWindow"] == {"type": "calendarDays", "value": 30, "rolling": True}
    assert data["bookerActiveBookingsLimit"]["maximumActiveBookings"] == 2

    off = await submit_tab(
        app_client,
        event_type_id,
        "limits",
        {"bookerActiveBookingsLimit.enabled": None, "bookingWindow.enabled": None},
    )
    assert off.status_code == 303
    data = await api_event_type(client, host, event_type_id)
    assert data["bookerActiveBookingsLimit"] == {"disabled": True}
    assert data["bookingWindow"] == {"disabled": True}

    advanced = await submit_tab(
        app_client,
        event_type_id,
        "advanced",
        {
            "confirmationPolicy.enabled": "true",
            "confirmationPolicy.type": "time",
            "confirmationPolicy.noticeThreshold.count": "2",
            "confirmationPolicy.noticeThreshold.unit": "hours",
            "confirmationPolicy.blockUnconfirmedBookingsInBooker": "true",
            "disableGuests": "true",
            "hideCalendarNotes": "true",
            "lockTimeZoneToggleOnBookingPage": "true",
            "customName": "{Event type title} with {Scheduler}",
            "successRedirectUrl": "https://example.com/thanks",
            "color.enabled": "true",
            "color.lightThemeHex": "#112233",
            "color.darkThemeHex": "#ddeeff",
            "disableCancelling.disabled": "true",
            "disableRescheduling.minutesBefore": "60",
            "bookerLayouts.enabled": "true",
            "bookerLayouts.enabledLayouts": ["month", "week"],
            "bookerLayouts.defaultLayout": "week",
            "interfaceLanguage": "de",
            "calVideoSettings": '{"disableRecordingForGuests": true}',
        },
    )
    assert advanced.status_code == 303, advanced.text
    data = await api_event_type(client, host, event_type_id)
    assert data["confirmationPolicy"] == {
        "type": "time",
        "noticeThreshold": {"count": 2, "unit": "hours"},
        "blockUnconfirmedBookingsInBooker": True,
    }
    assert data["disableGuests"] is True and data["hideCalendarNotes"] is True
    assert data["lockTimeZoneToggleOnBookingPage"] is True
    assert data["customName"] == "{Event type title} with {Scheduler}"
    assert data["successRedirectUrl"] == "https://example.com/thanks"
    assert data["color"] == {"lightThemeHex": "#112233", "darkThemeHex": "#ddeeff"}
    assert data["disableCancelling"] == {"disabled": True}
    assert data["disableRescheduling"] == {"disabled": False, "minutesBefore": 60}
    assert data["bookerLayouts"] == {"enabledLayouts": ["month", "week"], "defaultLayout": "week"}
    assert data["interfaceLanguage"] == "de"
    assert data["calVideoSettings"] == {"disableRecordingForGuests": True}

    # Seats and a confirmation policy exclude each other: the API's message, beside seats.
    refused = await submit_tab(
        app_client,
        event_type_id,
        "seats",
        {
            "seats.enabled": "true",
            "seats.seatsPerTimeSlot": "4",
            "seats.showAvailabilityCount": "true",
        },
    )
    assert refused.status_code == 400
    assert "requiresConfirmation" in field_error(refused.text, "seats")
    assert (await api_event_type(client, host, event_type_id))["seats"] == {"disabled": True}
    await submit_tab(app_client, event_type_id, "advanced", {"confirmationPolicy.enabled": None})
    seats = await submit_tab(
        app_client,
        event_type_id,
        "seats",
        {
            "seats.enabled": "true",
            "seats.seatsPerTimeSlot": "4",
            "seats.showAvailabilityCount": "true",
        },
    )
    assert seats.status_code == 303, seats.text
    data = await api_event_type(client, host, event_type_id)
    assert data["seats"] == {
        "seatsPerTimeSlot": 4, "showAttendeeInfo": False, "showAvailabilityCount": True
    }  # fmt: skip
    await submit_tab(app_client, event_type_id, "seats", {"seats.enabled": None})

    recurring = await submit_tab(
        app_client,
        event_type_id,
        "recurring",
        {
            "recurrence.enabled": "true",
            "recurrence.frequency": "monthly",
            "recurrence.interval": "1",
            "recurrence.occurrences": "6",
        },
    )
    assert recurring.status_code == 303, recurring.text
    data = await api_event_type(client, host, event_type_id)
    assert data["recurrence"] == {"frequency": "monthly", "interval": 1, "occurrences": 6}


async def test_editor_shows_the_api_messages_beside_the_fields_and_changes_nothing(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    event_type_id = await make_event_type(client, host)
    await make_event_type(client, host, title="Other", slug="other")
    before = await api_event_type(client, host, event_type_id)
    zero = await submit_tab(
        app_client, event_type_id, "details", {"lengthInMinutes": "0", "title": "New title"}
    )
    assert zero.status_code == 400
    assert field_error(zero.text, "lengthInMinutes")
    assert 'value="New title"' in zero.text  # the typed values are shown again
    taken = await submit_tab(app_client, event_type_id, "details", {"slug": "other"})
    assert taken.status_code == 400
    assert "already has an event type with this slug" in field_error(taken.text, "slug")
    bad_slug = await submit_tab(app_client, event_type_id, "details", {"slug": "!!!"})
    assert bad_slug.status_code == 400
    assert "letters or digits" in field_error(bad_slug.text, "slug")
    options = await submit_tab(
        app_client, event_type_id, "details", {"lengthInMinutesOptions": "15, 60"}
    )
    assert options.status_code == 400
    assert "must include lengthInMinutes" in field_error(options.text, "lengthInMinutesOptions")
    link = await submit_tab(
        app_client,
        event_type_id,
        "details",
        {"locations.1.type": "link", "locations.1.value": "not a url"},
    )
    assert link.status_code == 400
    assert "not a valid http(s) URL" in field_error(link.text, "locations.1")
    window = await submit_tab(
        app_client,
        event_type_id,
        "limits",
        {
            "bookingLimitsDuration.enabled": "true",
            "bookingLimitsDuration.day": "20",
            "bookingLimitsCount.enabled": "true",
            "bookingLimitsCount.day": "5",
            "bookingLimitsCount.week": "2",
        },
    )
    assert window.status_code == 400
    assert "multiple of 15" in field_error(window.text, "bookingLimitsDuration.day")
    assert "cannot exceed" in field_error(window.text, "bookingLimitsCount")
    color = await submit_tab(
        app_client,
        event_type_id,
        "advanced",
        {"color.enabled": "true", "color.lightThemeHex": "red", "color.darkThemeHex": "#000"},
    )
    assert color.status_code == 400
    assert "hex colour" in field_error(color.text, "color.lightThemeHex")
    assert await api_event_type(client, host, event_type_id) == before


async def test_booking_questions_add_edit_and_remove(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    event_type_id = await make_event_type(client, host)
    path = f"/app/event-types/{event_type_id}?tab=questions"
    action = f"/app/event-types/{event_type_id}/questions"
    added = await app_post(
        app_client,
        path,
        action,
        {
            "op": "add",
            "new.type": "select",
            "new.label": "Team size",
            "new.options": "1-10\n11-50\n",
            "new.required": "true",
        },
    )
    assert added.status_code == 303, added.text
    fields = (await api_event_type(client, host, event_type_id))["bookingFields"]
    custom = [f for f in fields if not f["isDefault"]]
    assert custom == [
        {
            "isDefault": False, "type": "select", "slug": "team-size", "label": "Team size",
            "required": True, "placeholder": "", "options": ["1-10", "11-50"],
            "disableOnPrefill": False,
            "hidden": False,
        }
    ]  # fmt: skip
    # The API's message for a select without options, beside the new question's field.
    refused = await app_post(
        app_client, path, action, {"op": "add", "new.type": "radio", "new.label": "Pick"}
    )
    assert refused.status_code == 400
    assert "options are required" in field_error(refused.text, "new.options")

    # Edit: relabel the notes, make them required, hide the guests question.
    page = await app_get(app_client, path)
    reader = _FormReader(action)
    reader.feed(page.text)
    form = dict(reader.fields)
    slugs = {v[0]: k.split(".")[1] for k, v in form.items() if k.endswith(".slug")}
    notes, guests = slugs["notes"], slugs["guests"]
    form[f"bf.{notes}.label"] = ["Agenda"]
    form[f"bf.{notes}.required"] = ["true"]
    form[f"bf.{guests}.hidden"] = ["true"]
    team = slugs["team-size"]
    form[f"bf.{team}.options"] = ["1-10\n11-50\n51+"]
    saved = await app_client.post(action, data=form)
    assert saved.status_code == 303, saved.text
    by_slug = {
        f["slug"]: f for f in (await api_event_type(client, host, event_type_id))["bookingFields"]
    }
    assert (by_slug["notes"]["label"], by_slug["notes"]["required"]) == ("Agenda", True)
    assert by_slug["guests"]["hidden"] is True
    assert by_slug["team-size"]["label"] == "Team size"
    assert by_slug["team-size"]["options"] == ["1-10", "11-50", "51+"]
    no_options = await app_client.post(action, data={**form, f"bf.{team}.options": [""]})
    assert no_options.status_code == 400
    assert "options are required" in field_error(no_options.text, f"bf.{team}.options")
    # The email question must stay required: the API's refusal, nothing changed.
    email = slugs["email"]
    form.pop(f"bf.{email}.required", None)
    kept = await app_client.post(action, data=form)
    assert kept.status_code == 400
    assert "Email booking field must be required" in kept.text
    assert {
        f["slug"]: f for f in (await api_event_type(client, host, event_type_id))["bookingFields"]
    }["email"]["required"]
    # Remove the custom question.
    removed = await app_post(
        app_client,
        path,
        action,
        {**{k: v[0] for k, v in reader.fields.items() if k != "csrf_token"}, "remove": "team-size"},
    )
    assert removed.status_code == 303
    fields = (await api_event_type(client, host, event_type_id))["bookingFields"]
    assert [f for f in fields if not f["isDefault"]] == []


async def test_private_links_and_webhooks_tabs(
    app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    event_type_id = await make_event_type(client, host)
    path = f"/app/event-types/{event_type_id}?tab=private-links"
    made = await app_post(
        app_client,
        path,
        f"/app/event-types/{event_type_id}/private-links",
        {"kind": "usage", "maxUsageCount": "3"},
    )
    assert made.status_code == 303, made.text
    timed = await app_post(
        app_client,
        path,
        f"/app/event-types/{event_type_id}/private-links",
        {"kind": "time", "expiresAt": "2099-01-31T12:00"},
    )
    assert timed.status_code == 303, timed.text
    past = await app_post(
        app_client,
        path,
        f"/app/event-types/{event_type_id}/private-links",
        {"kind": "time", "expiresAt": "2001-01-01T12:00"},
    )
    assert past.status_code == 400
    assert "expiresAt must be in the future" in field_error(past.text, "expiresAt")
    links = (
        await client.get(f"/v2/event-types/{event_type_id}/private-links", headers=host.headers)
    ).json()["data"]
    assert [link.get("maxUsageCount") for link in links] == [3, None]
    assert links[1]["expiresAt"] == "2099-01-31T12:00:00.000Z"
    page = await app_get(app_client, path)
    assert links[0]["bookingUrl"] in page.text
    deleted = await app_post(
        app_client,
        path,
        f"/app/event-types/{event_type_id}/private-links/{links[0]['linkId']}/delete",
        {},
    )
    assert deleted.status_code == 303
    left = (
        await client.get(f"/v2/event-types/{event_type_id}/private-links", headers=host.headers)
    ).json()["data"]
    assert [link["linkId"] for link in left] == [links[1]["linkId"]]

    hooks_path = f"/app/event-types/{event_type_id}?tab=webhooks"
    hooks_action = f"/app/event-types/{event_type_id}/webhooks"
    bad = await app_post(
        app_client,
        hooks_path,
        hooks_action,
        {"subscriberUrl": "ftp://x", "triggers": "BOOKING_CREATED"},
    )
    assert bad.status_code == 400
    created = await app_post(
        app_client,
        hooks_path,
        hooks_action,
        {
            "subscriberUrl": "https://hooks.example.com/in",
            "triggers": ["BOOKING_CREATED", "BOOKING_CANCELLED"],
            "active": "true",
        },
    )
    assert created.status_code == 303, created.text
    hooks = (
        await client.get(f"/v2/event-types/{event_type_id}/webhooks", headers=host.headers)
    ).json()["data"]
    assert [(h["subscriberUrl"], sorted(h["triggers"]), h["active"]) for h in hooks] == [
        ("https://hooks.example.com/in", ["BOOKING_CANCELLED", "BOOKING_CREATED"], True)
    ]
    page = await app_get(app_client, hooks_path)
    assert "https://hooks.example.com/in" in page.text
    gone = await app_post(app_client, hooks_path, f"{hooks_action}/{hooks[0]['id']}/delete", {})
    assert gone.status_code == 303
    hooks = (
        await client.get(f"/v2/event-types/{event_type_id}/webhooks", headers=host.headers)
    ).json()["data"]
    assert hooks == []


async def test_team_event_types_are_listed_read_only(
    app: Any, app_client: httpx2.AsyncClient, client: httpx2.AsyncClient, host: Host
) -> None:
    from tests.api.teams_fixtures import create_team_event_type, insert_team

    team_id = await insert_team(app, host, name="Sales team", slug="sales")
    await create_team_event_type(client, host, team_id, title="Team demo", slug="demo")
    page = await app_get(app_client, "/app/event-types")
    assert "Sales team" in page.text and "Team demo" in page.text
    assert 'data-copy="http://slotwise.test/team/sales/demo"' in page.text
