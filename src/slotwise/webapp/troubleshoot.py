"""The availability troubleshooter: one day of the host's time, and why it is or is not free.

``GET /app/availability/troubleshoot?date=YYYY-MM-DD[&eventTypeId=]`` shows, in the user's
time zone: the bookings, the date overrides, the out-of-office entries, the busy times of
connected calendars, the free slots of the chosen event type (the slots service, as GET
/v2/slots answers them) and a timeline of the day saying why each piece is not free
(:func:`slotwise.availability.explain.explain_day`, built from the inputs slot listing uses).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response

from slotwise.availability.explain import BusyReason, explain_day
from slotwise.event_types import service as event_types
from slotwise.kit import clock
from slotwise.kit.errors import NotFound
from slotwise.kit.session import DbSession
from slotwise.models import EventType
from slotwise.pages.i18n import N_, Formatter
from slotwise.slots.service import SlotQuery, available_slots
from slotwise.webapp.context import AppSession, app_context, render_app
from slotwise.webapp.forms import FormErrors

router = APIRouter(include_in_schema=False)

PATH = "/app/availability/troubleshoot"
REASON_TEXT = {
    "past": N_("In the past"),
    "minimum_notice": N_("Minimum booking notice"),
    "booking_window": N_("Outside the booking window"),
    "outside_hours": N_("Outside working hours"),
    "override": N_("Date override"),
    "out_of_office": N_("Out of office"),
    "booking": N_("Booking"),
    "buffer": N_("Buffer around a booking"),
    "reservation": N_("Held by a booker (reservation)"),
    "calendar": N_("Busy in a connected calendar"),
    "booking_limit": N_("Booking limit reached"),
}
BAD_DATE = N_("Enter a date as YYYY-MM-DD")
UNKNOWN_EVENT_TYPE = N_("Choose one of your event types")


def _clock(fmt: Formatter, zone: ZoneInfo, moment: datetime, day_end: datetime) -> str:
    if moment >= day_end:
        return "24:00" if not fmt.hour12 else fmt.clock(moment.astimezone(zone))
    return fmt.clock(moment.astimezone(zone))


@router.get(PATH)
async def troubleshooter(request: Request, session: DbSession, app_user: AppSession) -> Response:
    """One day: bookings, overrides, out of office, calendar busy times, free slots, and why."""
    ctx = app_context(request, app_user, section="availability")
    user = app_user.user
    zone = ZoneInfo(user.time_zone)
    now = clock.now()
    errors = FormErrors()
    raw_date = request.query_params.get("date", "")
    try:
        day = date.fromisoformat(raw_date) if raw_date else now.astimezone(zone).date()
        if not 1900 <= day.year <= 2999:
            raise ValueError
    except ValueError:
        errors.add("date", ctx.page.gettext(BAD_DATE))
        day = now.astimezone(zone).date()
    listing = await event_types.list_event_types(session, user)
    choices = list(listing.event_types)
    event_type: EventType | None = None
    raw_type = request.query_params.get("eventTypeId", "")
    if raw_type:
        try:
            if not raw_type.isdigit() or len(raw_type) > 11:
                raise NotFound("")
            event_type = await event_types.get_event_type(session, user, int(raw_type))
        except NotFound:
            errors.add("eventTypeId", ctx.page.gettext(UNKNOWN_EVENT_TYPE))
    elif choices:
        event_type = choices[0]
    explained = await explain_day(session, user, event_type, day, time_zone=user.time_zone, now=now)
    fmt = Formatter(ctx.page.language, user.time_format == 12)
    slots: list[str] = []
    if event_type is not None:
        found = await available_slots(
            session,
            SlotQuery(
                start=explained.start,
                end=explained.end - timedelta(seconds=1),
                event_type_id=event_type.id,
                time_zone=user.time_zone,
            ),
            now=now,
        )
        slots = [fmt.clock(datetime.fromtimestamp(m * 60, zone)) for m in found.starts]

    def span(item: Any) -> str:
        start = _clock(fmt, zone, item.start, explained.end)
        return f"{start}–{_clock(fmt, zone, item.end, explained.end)}"

    def why(reason: BusyReason) -> str:
        text = ctx.page.gettext(REASON_TEXT.get(reason.reason, reason.reason))
        if reason.title or reason.uid:
            text += f": {reason.title or ''} ({reason.uid})"
        return text

    def picked(kind: str) -> list[BusyReason]:
        return [r for r in explained.reasons if r.reason == kind]

    return render_app(
        request,
        ctx,
        "app/availability/troubleshoot.html",
        status_code=400 if errors else 200,
        errors=errors,
        day=day,
        day_text=fmt.day(day),
        prev_day=(day - timedelta(days=1)).isoformat(),
        next_day=(day + timedelta(days=1)).isoformat(),
        zone=user.time_zone,
        schedule_zone=explained.schedule_zone,
        event_type=event_type,
        choices=[(str(e.id), e.title) for e in choices],
        bookings=picked("booking"),
        out_of_office=picked("out_of_office"),
        calendar=picked("calendar"),
        overrides=[
            None if s == e else f"{s // 60:02d}:{s % 60:02d}–{e // 60:02d}:{e % 60:02d}"
            for s, e in explained.overrides
        ],
        slots=slots,
        timeline=[
            {"time": span(piece), "free": not piece.reasons, "why": [why(r) for r in piece.reasons]}
            for piece in explained.timeline
        ],
        span=span,
    )
