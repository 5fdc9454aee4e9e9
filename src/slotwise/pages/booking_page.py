"""The booking page: ``GET /booking/{uid}`` (also the confirmation page after booking),
``?cancel=true`` for the cancel form, ``POST /booking/{uid}/cancel``, and
``GET /booking/{uid}/ics``.

What it shows: the status (scheduled, awaiting the host's confirmation, cancelled, declined,
rescheduled to another booking), what, when (in the booker's zone: ``timeZone`` when given,
else the first attendee's), who (the organizer and, for a collective team booking, the other
booked hosts marked as hosts), where, add-to-calendar links and, while the booking is upcoming
and active, links to reschedule (the Booker with ``rescheduleUid``) or cancel; once cancelled
or declined, a link to book the event type again. Locations are shown by their human names
(:func:`slotwise.bookings.location.location_display`): Cal Video with the line that the host
sends the link. In embed mode it
posts ``bookingSuccessfulV2``/``rescheduleBookingSuccessfulV2`` (after ``isSuccessBookingPage``)
or ``bookingCancelled`` (after ``cancelled=true``) to the parent window.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings import reading, repository
from slotwise.bookings.calendar_links import calendar_links
from slotwise.bookings.cancel import cancel_booking
from slotwise.bookings.location import location_display
from slotwise.bookings.output import is_seated
from slotwise.bookings.schemas import CancelBookingInput
from slotwise.calendars.ics import booking_ics, booking_ics_filename
from slotwise.event_types.repository import user_by_username
from slotwise.event_types.settings import settings_of
from slotwise.kit import clock
from slotwise.kit.db import transaction
from slotwise.kit.errors import NotFound, SlotwiseError
from slotwise.kit.session import AppSettings, DbSession, get_database
from slotwise.kit.timezones import is_valid_time_zone
from slotwise.models import BookingHost, Team, User
from slotwise.pages import forms
from slotwise.pages.i18n import N_, Formatter
from slotwise.pages.render import not_found, page_context, render
from slotwise.pages.zones import canonical_zone

router = APIRouter(include_in_schema=False)


STATUS_TITLES = {
    "accepted": N_("This meeting is scheduled"),
    "pending": N_("Your booking awaits the host's confirmation"),
    "cancelled": N_("This event is cancelled"),
    "rejected": N_("This booking was declined"),
}


async def _booking_page(
    session: AsyncSession,
    request: Request,
    uid: str,
    *,
    cancel_error: str | None = None,
    status_code: int = 200,
) -> Response:
    seat_uid = (request.query_params.get("seatReferenceUid") or "")[:64] or None
    try:
        loaded = await repository.load_booking(session, uid)
    except NotFound:
        return not_found(page_context(request), "booking")
    booking = await reading.output_for(session, loaded, seat_uid=seat_uid)
    seated = is_seated(loaded.event_type, [])
    if (
        seat_uid is not None
        and seated
        and not any(a.get("seatUid") == seat_uid for a in booking.get("attendees") or [])
    ):
        seat_uid = None  # a seat that is not this booking's (or was cancelled)
    attendees = booking.get("attendees") or []
    ctx = page_context(request, attendees[0].get("language") if attendees else None)
    _ = ctx.gettext
    host = booking["hosts"][0]
    user = await user_by_username(session, host["username"])
    raw_tz = request.query_params.get("timeZone") or ""
    if raw_tz and is_valid_time_zone(raw_tz):
        tz = canonical_zone(raw_tz)
    else:
        tz = (attendees[0].get("timeZone") if attendees else None) or host["timeZone"] or "UTC"
    clock_param = request.query_params.get("clock")
    if clock_param in ("12h", "24h"):
        hour12 = clock_param == "12h"
    else:
        hour12 = (user.time_format if user else 12) != 24
    fmt = Formatter(ctx.language, hour12)
    zone = ZoneInfo(tz)
    start = datetime.fromisoformat(booking["start"].replace("Z", "+00:00")).astimezone(zone)
    end = datetime.fromisoformat(booking["end"].replace("Z", "+00:00")).astimezone(zone)
    status = booking["status"]
    moved_to = booking.get("rescheduledToUid")
    active = status in ("accepted", "pending") and end > clock.now()
    slug = (booking.get("eventType") or {}).get("slug")
    co_host_rows = (
        await session.execute(
            select(User.email, User.username)
            .join(BookingHost, BookingHost.user_id == User.id)
            .where(BookingHost.booking_id == loaded.booking.id)
        )
    ).all()
    co_hosts = {email for email, _ in co_host_rows}
    # the other hosts in the order they are listed among the attendees (the group's order)
    listed = [a.get("email") for a in attendees]
    group = [host["username"]] + [
        name
        for email, name in sorted(
            co_host_rows, key=lambda r: listed.index(r[0]) if r[0] in listed else len(listed)
        )
    ]
    booker_path = await booker_path_of(session, loaded, group)
    embed_event = None
    q = request.query_params
    summary = {
        "uid": booking["uid"], "title": booking["title"], "startTime": booking["start"],
        "endTime": booking["end"], "eventTypeId": booking.get("eventTypeId"),
        "status": status.upper(), "paymentRequired": False, "isRecurring": False,
    }  # fmt: skip
    if q.get("isSuccessBookingPage") == "true":
        kind = "rescheduleBookingSuccessfulV2" if q.get("rescheduled") else "bookingSuccessfulV2"
        embed_event = {"type": kind, "data": summary}
    elif q.get("cancelled") == "true" and status == "cancelled":
        organizer = {"name": host["name"], "email": host["email"], "timeZone": host["timeZone"]}
        embed_event = {
            "type": "bookingCancelled",
            "data": {"booking": summary, "organizer": organizer, "eventType": {"slug": slug}},
        }
    occurrences: list[dict[str, Any]] = []
    recurring_uid = booking.get("recurringBookingUid")
    if recurring_uid:
        found = await reading.get_booking_or_series(session, str(recurring_uid))
        for item in found if isinstance(found, list) else [found]:
            at = datetime.fromisoformat(item["start"].replace("Z", "+00:00")).astimezone(zone)
            occurrences.append(
                {
                    "text": f"{fmt.day(at)}, {fmt.clock(at)}",
                    "cancelled": item["status"] in ("cancelled", "rejected"),
                    "current": item["uid"] == booking["uid"],
                }
            )
    summary["isRecurring"] = bool(recurring_uid)
    place = location_display(booking.get("location"))
    add_links: list[dict[str, Any]] = []
    if active:
        add_links = [
            link
            for link in calendar_links(
                title=booking["title"],
                start=start,
                end=end,
                description=booking.get("description") or None,
                location=(place.link if place and place.kind == "link" else None)
                or (place.name if place else None),
                ics=b"",
            )
            if link["id"] != "ics"
        ]
        add_links.append(
            {"label": _("Apple Calendar (.ics)"), "link": f"/booking/{booking['uid']}/ics"}
        )
    return render(
        ctx,
        "booking.html",
        add_links=add_links,
        status_code=status_code,
        booking=booking,
        host=host,
        co_hosts=co_hosts,
        status=status,
        title_text=_(STATUS_TITLES.get(status, status))
        if not moved_to
        else _("This booking was rescheduled"),
        when=f"{fmt.day(start)}, {fmt.clock(start)} – {fmt.clock(end)}",
        tz=tz,
        where=place,
        where_note=_("The host will send you the meeting link.")
        if place and place.link_pending
        else None,
        active=active,
        show_cancel=active and q.get("cancel") == "true" or cancel_error is not None,
        cancel_error=cancel_error,
        reschedule_url=(
            ctx.url(
                booker_path,
                rescheduleUid=booking["uid"],
                month=start.strftime("%Y-%m"),
                timeZone=tz,
            )
            # the reschedule service moves bookings of a stored event type only (not a
            # dynamic group's yet)
            if active and booker_path and not seated and loaded.event_type is not None
            else None
        ),
        moved_to=moved_to,
        book_again_url=(
            ctx.url(booker_path)
            if status in ("cancelled", "rejected") and booker_path and not moved_to
            else None
        ),
        embed_event=json.dumps(embed_event) if embed_event else None,
        success=q.get("isSuccessBookingPage") == "true",
        seated=seated,
        occurrences=occurrences,
        seat_uid=seat_uid,
        seats_total=settings_of(loaded.event_type).seats.per_time_slot,
    )


async def booker_path_of(
    session: AsyncSession, loaded: repository.LoadedBooking, hosts: list[str]
) -> str | None:
    """The Booker that books (and reschedules) ``loaded``'s event type again, given the
    booking's host usernames (``hosts``: the organizer first, then the other booked hosts):
    ``/team/{teamSlug}/{slug}`` for a team event type, ``/{username}/{slug}`` for a personal one
    (the organizer's), ``/{user1}+{user2}/dynamic`` for a dynamic group booking (no event type,
    several hosts: Slotwise stores no group reference, so a collective team booking whose event
    type was deleted reads as one too); None when the event type is gone or its team has no
    page."""
    event_type = loaded.event_type
    if event_type is None:
        if loaded.booking.event_type_id is None and len(hosts) > 1:
            return "/" + "+".join(hosts) + "/dynamic"
        return None
    if event_type.team_id is not None:
        team = await session.get(Team, event_type.team_id)
        if team is None or not team.slug:
            return None
        return f"/team/{team.slug}/{event_type.slug}"
    return f"/{hosts[0]}/{event_type.slug}"


@router.get("/booking/{uid}")
async def booking_page(uid: str, request: Request, session: DbSession) -> Response:
    """A booking: what, when (in the booker's zone), who, where; links to reschedule or cancel
    while it is upcoming; ``?cancel=true`` shows the cancel form."""
    return await _booking_page(session, request, uid[:200])


@router.get("/booking/{uid}/ics")
async def booking_ics_file(
    uid: str, request: Request, session: DbSession, settings: AppSettings
) -> Response:
    """The booking as an iCalendar file to download (``METHOD:PUBLISH``; ``METHOD:CANCEL`` once
    cancelled or declined)."""
    try:
        loaded = await repository.load_booking(session, uid[:200])
    except NotFound:
        return not_found(page_context(request), "booking")
    booking = loaded.booking
    attendees = (await repository.attendees_by_booking(session, [booking.id]))[booking.id]
    method: Literal["PUBLISH", "CANCEL"] = (
        "CANCEL" if booking.status in ("cancelled", "rejected") else "PUBLISH"
    )
    body = booking_ics(
        booking, attendees, loaded.organizer, method=method, public_url=settings.base_url
    )
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{booking_ics_filename(method)}"'},
    )


@router.post("/booking/{uid}/cancel")
async def cancel(uid: str, request: Request) -> Response:
    """Cancel booking ``uid`` with the submitted ``cancellationReason``; 303 to its page."""
    db = get_database(request)
    data = await forms.read_form(request)
    if data is None:
        return Response("Form too large", status_code=413, media_type="text/plain")
    reason = forms.first(data, "cancellationReason") or None
    seat_uid = (forms.first(data, "seatUid") or "")[:64] or None
    try:
        async with transaction(db, write=True) as session:
            body = CancelBookingInput(
                cancellationReason=reason[:2000] if reason else None, seatUid=seat_uid
            )
            await cancel_booking(session, uid[:200], body, caller=None)
    except NotFound:
        return not_found(page_context(request), "booking")
    except SlotwiseError as exc:
        async with transaction(db, write=False) as session:
            return await _booking_page(
                session, request, uid[:200], cancel_error=exc.message,
                status_code=exc.status_code,
            )  # fmt: skip
    ctx = page_context(request)
    return RedirectResponse(ctx.url(f"/booking/{uid}", cancelled="true"), status_code=303)
