"""Team pages (``/team/{teamSlug}``, ``/team/{teamSlug}/{eventSlug}``) and dynamic groups
(``/{user1}+{user2}``, ``/{user1}+{user2}/{slug}``) over HTTP, on both databases."""

from __future__ import annotations

import re
from typing import Any

import httpx2

from tests.api.booking_fixtures import V, make_event_type
from tests.pages.page_fixtures import available_days, slot_values
from tests.pages.team_page_fixtures import (
    AFTERNOON,
    MONDAY,
    MORNING,
    make_team,
    make_team_event_type,
    url,
)

AFTERNOON_STARTS = [f"{MONDAY}T{h:02d}:{m:02d}:00.000Z" for h in range(13, 17) for m in (0, 30)]


def avatars(html: str) -> list[str]:
    """The initials of the badges in the page, in order."""
    return re.findall(r'class="avatar[^"]*"[^>]*>([^<]+)</span>', html)


def host_label(html: str) -> str:
    """The host label above the Booker's title."""
    match = re.search(r'<p class="host-name">([^<]*)</p>', html)
    assert match, html
    return match.group(1)


async def test_team_profile_lists_the_public_event_types_with_their_hosts(
    app: Any, client: httpx2.AsyncClient
) -> None:
    world = await make_team(app, bio="We sell things.")
    both = [world.alice, world.bob]
    await make_team_event_type(
        app, world.team_id, both, slug="panel", scheduling_type="collective", title="Panel",
        description="All of us at once",
    )  # fmt: skip
    await make_team_event_type(
        app, world.team_id, both, slug="demo", scheduling_type="roundRobin", title="Demo"
    )
    await make_team_event_type(
        app, world.team_id, both, slug="secret", scheduling_type="roundRobin",
        title="Secret call", hidden=True,
    )  # fmt: skip
    await make_team_event_type(
        app, world.team_id, [], slug="template", scheduling_type="managed", title="Template"
    )
    r = await client.get("/team/sales")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    html = r.text
    assert "<title>Sales Team</title>" in html
    assert "We sell things." in html
    assert 'href="/team/sales/panel"' in html and 'href="/team/sales/demo"' in html
    assert "All of us at once" in html
    # hidden ones are bookable by link but not listed; a managed template is not bookable
    assert "Secret call" not in html and "Template" not in html
    # the team's badge, each event type's hosts, then the members with their names
    assert avatars(html) == ["ST", "AH", "BH", "AH", "BH", "AH", "BH"]
    assert "Alice Host" in html and "Bob Host" in html
    assert "Carol" not in html
    # the profile keeps the presentation parameters on its links
    themed = await client.get("/team/sales?theme=dark&lng=de")
    assert 'href="/team/sales/panel?theme=dark&amp;lng=de"' in themed.text
    assert "Mitglieder" in themed.text


async def test_private_team_hides_its_members(app: Any, client: httpx2.AsyncClient) -> None:
    world = await make_team(app, isPrivate=True)
    await make_team_event_type(
        app, world.team_id, [world.alice], slug="demo", scheduling_type="roundRobin"
    )
    html = (await client.get("/team/sales")).text
    assert 'href="/team/sales/demo"' in html
    assert avatars(html) == ["ST"]
    assert "Alice Host" not in html


async def test_team_without_event_types(app: Any, client: httpx2.AsyncClient) -> None:
    await make_team(app)
    r = await client.get("/team/SALES")
    assert r.status_code == 200
    assert "No event types to book yet." in r.text


async def test_unknown_team_event_type_or_template_is_an_html_404(
    app: Any, client: httpx2.AsyncClient
) -> None:
    world = await make_team(app)
    await make_team_event_type(
        app, world.team_id, [], slug="template", scheduling_type="managed", title="Template"
    )
    missing = await client.get("/team/nobody")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "There is no team with this name here." in missing.text
    de = await client.get("/team/nobody?lng=de")
    assert de.status_code == 404 and "Hier gibt es kein Team mit diesem Namen." in de.text
    for path in ("/team/nobody/demo", "/team/sales/nothing", "/team/sales/template"):
        r = await client.get(path)
        assert r.status_code == 404, path
        assert "Page not found" in r.text
    assert (await client.post("/team/sales/nothing", data={"name": "A"})).status_code == 404


async def test_organizations_and_their_teams_have_no_team_page(
    app: Any, client: httpx2.AsyncClient
) -> None:
    from slotwise.models import Team

    async with app.state.db.write_sessions() as session, session.begin():
        org = Team(name="Acme", slug="acme", is_organization=True, profile={})
        session.add(org)
        await session.flush()
        session.add(Team(name="Acme Support", slug="acme-support", parent_id=org.id, profile={}))
    assert (await client.get("/team/acme")).status_code == 404
    assert (await client.get("/team/acme-support")).status_code == 404


async def test_group_profile_redirects_to_the_dynamic_booker(
    app: Any, client: httpx2.AsyncClient
) -> None:
    world = await make_team(app)
    await make_event_type(app, world.alice, slug="intro", title="Intro", with_schedule=False)
    r = await client.get("/alice+Bob?theme=dark")
    assert r.status_code == 307
    assert r.headers["location"] == "/alice+bob/dynamic?theme=dark"
    assert (await client.get("/alice%2Bbob")).headers["location"] == "/alice+bob/dynamic"
    # unknown users, or one user twice: no group
    for path in ("/alice+nobody", "/alice+alice", "/alice+nobody/dynamic", "/alice+alice/x"):
        r = await client.get(path)
        assert r.status_code == 404, path
        assert "There is no one with this name here." in r.text
    # the personal pages are untouched
    assert (await client.get("/alice")).status_code == 200
    assert (await client.get("/alice/intro")).status_code == 200
    # a reserved first segment is never a group member
    assert (await client.get("/v2+alice", headers={"accept": "text/html"})).status_code == 404


async def test_dynamic_group_booker_needs_every_user_free(
    app: Any, client: httpx2.AsyncClient
) -> None:
    await make_team(app)
    r = await client.get(url("/alice+bob/dynamic", date=MONDAY))
    assert r.status_code == 200, r.text
    html = r.text
    assert host_label(html) == "Alice Host, Bob Host"
    assert avatars(html) == ["AH", "BH"]
    assert "<title>Group Meeting | Alice Host, Bob Host</title>" in html
    # bob works afternoons only: the group's times are the afternoon's
    assert slot_values(html) == AFTERNOON_STARTS
    assert MONDAY in available_days(html)
    # Cal.com's dynamic lengths, links staying on the group's path
    for n in (15, 30, 45, 60, 90):
        assert f"duration={n}" in html
    assert 'action="/alice+bob/dynamic"' in html
    longer = await client.get(url("/alice+bob/dynamic", date=MONDAY, duration="60"))
    assert slot_values(longer.text)[-1] == f"{MONDAY}T16:00:00.000Z"
    # the form opens without a reservation (no event type id to reserve)
    form = await client.get(url("/alice+bob/dynamic", date=MONDAY, slot=AFTERNOON_STARTS[0]))
    assert "data-booking-form" in form.text and "data-event-type" not in form.text


async def test_team_booker_shows_the_team_and_its_hosts(
    app: Any, client: httpx2.AsyncClient
) -> None:
    world = await make_team(app)
    both = [world.alice, world.bob]
    await make_team_event_type(
        app, world.team_id, both, slug="panel", scheduling_type="collective", title="Panel"
    )
    await make_team_event_type(
        app, world.team_id, both, slug="demo", scheduling_type="roundRobin", title="Demo",
        hidden=True,
    )  # fmt: skip
    collective = await client.get(url("/team/sales/panel", embed="true"))
    assert collective.status_code == 200, collective.text
    html = collective.text
    assert host_label(html) == "Sales Team"
    # collective: the team's badge and every host's
    assert avatars(html) == ["ST", "AH", "BH"]
    assert "<title>Panel | Sales Team</title>" in html
    assert 'data-embed=""' in html and "&#34;eventSlug&#34;: &#34;panel&#34;" in html
    assert 'href="/team/sales/panel?' in html and "embed=true" in html
    # round robin: the team alone (the host is chosen when booking); hidden ones are bookable
    robin = await client.get(url("/team/sales/demo"))
    assert robin.status_code == 200
    assert host_label(robin.text) == "Sales Team"
    assert avatars(robin.text) == ["ST"]


async def test_team_event_type_without_hosts_starts_in_the_team_zone(
    app: Any, client: httpx2.AsyncClient
) -> None:
    world = await make_team(app, timeZone="Asia/Tokyo")
    await make_team_event_type(
        app, world.team_id, [], slug="empty", scheduling_type="roundRobin", title="Empty"
    )
    r = await client.get("/team/sales/empty")
    assert r.status_code == 200
    assert 'data-tz="Asia/Tokyo"' in r.text
    assert slot_values(r.text) == []


async def test_team_booker_times_follow_the_scheduling_type(
    app: Any, client: httpx2.AsyncClient
) -> None:
    world = await make_team(app)
    both = [world.alice, world.bob]
    await make_team_event_type(
        app, world.team_id, both, slug="panel", scheduling_type="collective", title="Panel"
    )
    await make_team_event_type(
        app, world.team_id, both, slug="demo", scheduling_type="roundRobin", title="Demo"
    )
    # collective: every host free, so only bob's afternoons
    panel = await client.get(url("/team/sales/panel", date=MONDAY))
    assert slot_values(panel.text) == AFTERNOON_STARTS
    # round robin: one free host is enough, so alice's mornings count too
    demo = await client.get(url("/team/sales/demo", date=MONDAY))
    starts = slot_values(demo.text)
    assert starts[0] == f"{MONDAY}T09:00:00.000Z" and starts[-1] == f"{MONDAY}T16:30:00.000Z"
    assert len(starts) == 16


async def test_team_pages_use_the_team_branding(app: Any, client: httpx2.AsyncClient) -> None:
    world = await make_team(app, brandColor="#0e7490", theme="dark")
    await make_team_event_type(
        app, world.team_id, [world.alice], slug="demo", scheduling_type="roundRobin"
    )
    for path in ("/team/sales", "/team/sales/demo"):
        html = (await client.get(path)).text
        assert "--cal-brand:#0e7490" in html, path
        assert 'data-theme="dark"' in html, path
    chosen = (await client.get("/team/sales/demo?brandColor=%23aa0000&theme=light")).text
    assert "--cal-brand:#aa0000" in chosen and 'data-theme="light"' in chosen


def booking_uid(response: httpx2.Response) -> str:
    """The uid in a 303 to the booking page."""
    assert response.status_code == 303, response.text
    match = re.match(r"^/booking/([^?]+)\?", response.headers["location"])
    assert match, response.headers["location"]
    return match.group(1)


async def api_booking(client: httpx2.AsyncClient, uid: str) -> dict[str, Any]:
    r = await client.get(f"/v2/bookings/{uid}", headers=V)
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()["data"]
    return data


def people(booking: dict[str, Any]) -> set[str]:
    """The emails of a booking's hosts and attendees."""
    return {p["email"] for p in [*booking["hosts"], *booking["attendees"]]}


async def book_on_page(
    client: httpx2.AsyncClient, path: str, slot: str, email: str = "ann@example.com", **params: str
) -> httpx2.Response:
    form = {"name": "Ann Booker", "email": email}
    return await client.post(url(path, date=slot[:10], slot=slot, **params), data=form)


async def test_book_a_collective_team_event_then_reschedule_and_cancel(
    app: Any, client: httpx2.AsyncClient
) -> None:
    world = await make_team(app)
    event_type_id = await make_team_event_type(
        app, world.team_id, [world.alice, world.bob], slug="panel",
        scheduling_type="collective", title="Panel",
    )  # fmt: skip
    day = await client.get(url("/team/sales/panel", date=MONDAY))
    assert slot_values(day.text) == AFTERNOON_STARTS
    uid = booking_uid(await book_on_page(client, "/team/sales/panel", AFTERNOON))
    data = await api_booking(client, uid)
    assert data["eventTypeId"] == event_type_id and data["start"] == AFTERNOON
    # every host is booked: the organizer first, the other host among the attendees
    assert {"alice@example.com", "bob@example.com", "ann@example.com"} <= people(data)
    page = await client.get(f"/booking/{uid}?isSuccessBookingPage=true")
    assert page.status_code == 200
    assert "This meeting is scheduled" in page.text
    # both booked hosts are marked as hosts, the booker is not
    assert page.text.count('<span class="badge">Host</span>') == 2
    assert f'href="/team/sales/panel?rescheduleUid={uid}' in page.text
    # the time is gone for the next visitor
    again = await client.get(url("/team/sales/panel", date=MONDAY))
    assert AFTERNOON not in slot_values(again.text)
    # reschedule from the confirmation page's link, then cancel
    later = f"{MONDAY}T15:00:00.000Z"
    moved = await client.post(
        url("/team/sales/panel", date=MONDAY, slot=later, rescheduleUid=uid),
        data={"rescheduleReason": "Clash"},
    )
    new_uid = booking_uid(moved)
    assert new_uid != uid
    assert (await api_booking(client, new_uid))["start"] == later
    cancelled = await client.post(f"/booking/{new_uid}/cancel", data={"cancellationReason": "x"})
    assert cancelled.status_code == 303
    gone = await client.get(f"/booking/{new_uid}")
    assert "This event is cancelled" in gone.text
    assert 'href="/team/sales/panel"' in gone.text  # book again


async def test_round_robin_team_page_gives_each_booking_a_free_host(
    app: Any, client: httpx2.AsyncClient
) -> None:
    world = await make_team(app)
    await make_team_event_type(
        app, world.team_id, [world.alice, world.bob], slug="demo",
        scheduling_type="roundRobin", title="Demo",
    )  # fmt: skip
    day = await client.get(url("/team/sales/demo", date=MONDAY))
    # one free host is enough: alice's mornings count too
    starts = slot_values(day.text)
    assert starts[0] == f"{MONDAY}T09:00:00.000Z" and starts[-1] == f"{MONDAY}T16:30:00.000Z"
    assert len(starts) == 16
    morning = await api_booking(
        client, booking_uid(await book_on_page(client, "/team/sales/demo", MORNING))
    )
    assert morning["hosts"][0]["username"] == "alice"
    first = await api_booking(
        client, booking_uid(await book_on_page(client, "/team/sales/demo", AFTERNOON, "a@x.io"))
    )
    second = await api_booking(
        client, booking_uid(await book_on_page(client, "/team/sales/demo", AFTERNOON, "b@x.io"))
    )
    assert {first["hosts"][0]["username"], second["hosts"][0]["username"]} == {"alice", "bob"}
    page = await client.get(f"/booking/{second['uid']}")
    assert f"/team/sales/demo?rescheduleUid={second['uid']}" in page.text
    # nobody is left at that time: the page says so instead of booking
    third = await book_on_page(client, "/team/sales/demo", AFTERNOON, "c@x.io")
    assert third.status_code in (400, 409), third.text
    assert 'role="alert"' in third.text


async def test_book_a_dynamic_group_from_its_page(app: Any, client: httpx2.AsyncClient) -> None:
    await make_team(app)
    r = await book_on_page(client, "/alice+bob/dynamic", AFTERNOON, duration="60")
    uid = booking_uid(r)
    data = await api_booking(client, uid)
    assert data["start"] == AFTERNOON
    assert data["end"] == f"{MONDAY}T15:00:00.000Z"
    assert {"alice@example.com", "bob@example.com", "ann@example.com"} <= people(data)
    page = await client.get(r.headers["location"])
    assert page.status_code == 200 and "This meeting is scheduled" in page.text
    # the booking service cannot move a dynamic group booking yet: no reschedule link
    assert "rescheduleUid=" not in page.text
    assert f'href="/booking/{uid}?' in page.text and "cancel=true" in page.text
    assert page.text.count('<span class="badge">Host</span>') == 2
    # both users are now busy then
    again = await client.get(url("/alice+bob/dynamic", date=MONDAY))
    assert AFTERNOON not in slot_values(again.text)
    # cancel from the booking page; "Book again" leads back to the group's Booker
    assert (await client.post(f"/booking/{uid}/cancel", data={})).status_code == 303
    gone = await client.get(f"/booking/{uid}")
    assert "This event is cancelled" in gone.text
    assert 'href="/alice+bob/dynamic"' in gone.text
    free = await client.get(url("/alice+bob/dynamic", date=MONDAY))
    assert AFTERNOON in slot_values(free.text)
