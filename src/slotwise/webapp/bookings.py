"""The Bookings section of the web app (section key ``bookings``).

- ``GET /app/bookings/{tab}``: the host's bookings by Cal.com's status filters (``upcoming``,
  ``unconfirmed``, ``recurring``, ``past``, ``cancelled``), read through the list service of
  GET /v2/bookings (:func:`slotwise.bookings.reading.list_bookings`: the bookings the user
  organizes or attends) with its filters (event type, attendee email, attendee name, a date
  range in the user's time zone) and offset pagination (10 or 25 a page). Past and cancelled
  bookings come newest first, as in Cal.com.
- ``GET /app/bookings/detail/{uid}``: one booking (times, attendees, answers to the booking
  questions, location, status, history) with its actions; another user's booking is a 404.
- ``POST /app/bookings/detail/{uid}/{action}``: confirm, decline, cancel, request-reschedule,
  no-show, guests, location, each calling the same service as the API endpoint with the same
  input model (the same rules and messages). A refusal renders the detail page again (400) with
  the service's message; success redirects (303) to the form's ``next`` page (an app path) with
  a flash message.
- ``GET /app/bookings/detail/{uid}/reschedule``: 303 to the public Booker with
  ``rescheduleUid``, as the booking page's "Reschedule" link.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData

from slotwise.bookings import access, attendees, cancel, confirm, no_show, reading
from slotwise.bookings import location as booking_location
from slotwise.bookings import request_reschedule as reschedule_request
from slotwise.bookings.history import history_of
from slotwise.bookings.location import location_display
from slotwise.bookings.location_schemas import UpdateLocationInput
from slotwise.bookings.output import is_seated
from slotwise.bookings.schemas import (
    AddGuestsInput,
    CancelBookingInput,
    DeclineBookingInput,
    ListBookingsQuery,
    MarkAbsentInput,
    RequestRescheduleInput,
)
from slotwise.event_types.booking_fields import effective_booking_fields
from slotwise.event_types.repository import user_event_types
from slotwise.event_types.settings import settings_of
from slotwise.kit import clock
from slotwise.kit.errors import NotFound
from slotwise.kit.session import DbSession
from slotwise.kit.timezones import is_valid_time_zone
from slotwise.models import User
from slotwise.pages.booking_page import booker_path_of
from slotwise.pages.forms import DEFAULT_LABELS
from slotwise.pages.i18n import N_, Formatter
from slotwise.policy.bookings import is_organizer
from slotwise.policy.event_types import manageable_event_types
from slotwise.webapp.context import FLASH, AppContext, AppSession, AppUser, app_context, render_app
from slotwise.webapp.forms import (
    FormErrors,
    as_dict,
    attempt,
    checked_form,
    text,
    validation_errors,
)
from slotwise.webapp.urls import safe_next

router = APIRouter(include_in_schema=False)

TABS: tuple[tuple[str, str], ...] = (
    ("upcoming", N_("Upcoming")),
    ("unconfirmed", N_("Unconfirmed")),
    ("recurring", N_("Recurring")),
    ("past", N_("Past")),
    ("cancelled", N_("Cancelled")),
)
"""The tabs: (``status`` filter of the list service, label)."""
TAB_KEYS = frozenset(key for key, _ in TABS)
NEWEST_FIRST = frozenset({"past", "cancelled"})
PAGE_SIZES = (10, 25)
ACTIVE = ("accepted", "pending")

STATUS_LABELS = {
    "accepted": N_("Accepted"),
    "pending": N_("Unconfirmed"),
    "cancelled": N_("Cancelled"),
    "rejected": N_("Declined"),
}
HISTORY_LABELS = {
    "created": N_("Booked"),
    "requested": N_("Requested"),
    "confirmed": N_("Confirmed"),
    "rejected": N_("Declined"),
    "rescheduled": N_("Rescheduled"),
    "cancelled": N_("Cancelled"),
    "no_show": N_("No-show marked"),
    "location_changed": N_("Location changed"),
    "attendee_added": N_("Attendee added"),
    "guests_added": N_("Guests added"),
    "reassigned": N_("Reassigned"),
}
LOCATION_KINDS: tuple[tuple[str, str, str], ...] = (
    ("link", N_("Meeting link"), "link"),
    ("address", N_("Address"), "address"),
    ("phone", N_("Organizer's phone number"), "phone"),
    ("attendeePhone", N_("Attendee's phone number"), "phone"),
    ("attendeeAddress", N_("Attendee's address"), "address"),
    ("attendeeDefined", N_("Other location"), "location"),
)
"""The location kinds of PATCH /v2/bookings/{uid}/location: (type, label, value property)."""

FLASH.update(
    {
        "booking-confirmed": N_("Booking confirmed"),
        "booking-declined": N_("Booking declined"),
        "booking-cancelled": N_("Booking cancelled"),
        "reschedule-requested": N_("Reschedule requested: the attendee was sent a link"),
        "no-show-saved": N_("No-show saved"),
        "guests-added": N_("Guests added"),
        "location-saved": N_("Location saved"),
    }
)

ORGANIZER_ACTIONS = frozenset({"confirm", "decline", "request-reschedule", "no-show", "location"})
"""Actions only the organizer may take (the API answers 403/404 to anyone else)."""
ACTION_FLASH = {
    "confirm": "booking-confirmed",
    "decline": "booking-declined",
    "cancel": "booking-cancelled",
    "request-reschedule": "reschedule-requested",
    "no-show": "no-show-saved",
    "guests": "guests-added",
    "location": "location-saved",
}


def _not_found(request: Request, app_user: AppUser) -> Response:
    ctx = app_context(request, app_user, section="bookings")
    return render_app(request, ctx, "app/not_found.html", status_code=404)


def _zone(user: User) -> ZoneInfo:
    return ZoneInfo(user.time_zone if is_valid_time_zone(user.time_zone or "") else "UTC")


def _formatter(ctx: AppContext, user: User) -> Formatter:
    return Formatter(ctx.page.language, user.time_format != 24)


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _view(
    booking: dict[str, Any],
    ctx: AppContext,
    user: User,
    event_type_titles: dict[int, str],
) -> dict[str, Any]:
    """What a page shows of one booking (an output of the bookings services)."""
    _ = ctx.page.gettext
    zone = _zone(user)
    fmt = _formatter(ctx, user)
    start = _instant(booking["start"]).astimezone(zone)
    end = _instant(booking["end"]).astimezone(zone)
    status = str(booking["status"])
    event_type_id = booking.get("eventTypeId")
    slug = (booking.get("eventType") or {}).get("slug")
    hosts = booking.get("hosts") or []
    return {
        "uid": booking["uid"],
        "title": booking["title"],
        "description": booking.get("description") or "",
        "day": fmt.day(start),
        "time": f"{fmt.clock(start)} – {fmt.clock(end)}",
        "start": start,
        "time_zone": str(zone),
        "status": status,
        "status_text": _(STATUS_LABELS.get(status, status)),
        "event_type": event_type_titles.get(event_type_id or 0) or slug or "",
        "place": location_display(booking.get("location")),
        "organizer": hosts[0] if hosts else None,
        "is_organizer": bool(hosts) and hosts[0].get("id") == user.id,
        "attendees": booking.get("attendees") or [],
        "absent_host": bool(booking.get("absentHost")),
        "active": status in ACTIVE and _instant(booking["end"]) > clock.now(),
        "started": _instant(booking["start"]) <= clock.now(),
        "recurring": bool(booking.get("recurringBookingUid")),
        "rescheduled_to": booking.get("rescheduledToUid"),
        "cancellation_reason": booking.get("cancellationReason") or "",
        # as the booking page's Reschedule link: upcoming, of a stored event type, not seated
        "can_reschedule": status in ACTIVE
        and _instant(booking["end"]) > clock.now()
        and event_type_id is not None
        and not any(a.get("seatUid") for a in booking.get("attendees") or []),
    }


async def _event_type_titles(session: AsyncSession, app_user: AppUser) -> dict[int, str]:
    rows = await user_event_types(session, manageable_event_types(app_user.principal))
    return {et.id: et.title for et in rows}


def _day(value: str, name: str, errors: FormErrors, message: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.add(name, message)
        return None


def _page_url(tab: str, params: dict[str, str], **changes: Any) -> str:
    merged = {**params, **{k: str(v) for k, v in changes.items()}}
    query = urlencode({k: v for k, v in merged.items() if v})
    return f"/app/bookings/{tab}" + (f"?{query}" if query else "")


@router.get("/app/bookings")
async def bookings_home(request: Request, app_user: AppSession) -> Response:
    """The Upcoming tab."""
    return RedirectResponse("/app/bookings/upcoming", status_code=303)


@router.get("/app/bookings/{tab}")
async def bookings_list(
    tab: str, request: Request, session: DbSession, app_user: AppSession
) -> Response:
    """One tab of the bookings list, filtered and paginated (see the module docstring)."""
    if tab not in TAB_KEYS:
        return _not_found(request, app_user)
    ctx = app_context(request, app_user, section="bookings")
    _ = ctx.page.gettext
    q = request.query_params
    names = ("eventTypeId", "attendeeEmail", "attendeeName", "from", "to")
    filters = {name: (q.get(name) or "").strip()[:200] for name in names}
    take = int(q["take"]) if q.get("take") in ("10", "25") else PAGE_SIZES[0]
    raw_page = q.get("page") or "1"
    page = int(raw_page) if raw_page.isdigit() and 0 < int(raw_page) < 1_000_000 else 1
    errors = FormErrors()
    bad_date = _("Enter a date such as 2050-09-05")
    after = _day(filters["from"], "from", errors, bad_date)
    before = _day(filters["to"], "to", errors, bad_date)
    zone = _zone(app_user.user)
    params: dict[str, Any] = {"status": tab, "take": take, "skip": (page - 1) * take}
    if tab in NEWEST_FIRST:
        params["sortStart"] = "desc"
    for name in ("eventTypeId", "attendeeEmail", "attendeeName"):
        if filters[name]:
            params[name] = filters[name]
    if after is not None:
        params["afterStart"] = datetime.combine(after, time(0), zone).astimezone(UTC)
    if before is not None:
        end_day = datetime.combine(before + timedelta(days=1), time(0), zone)
        params["beforeEnd"] = end_day.astimezone(UTC)
    rows: list[dict[str, Any]] = []
    meta: dict[str, Any] = {}
    titles = await _event_type_titles(session, app_user)
    if not errors:
        try:
            query = ListBookingsQuery.model_validate(params)
        except ValidationError as exc:
            errors = validation_errors(exc, {"afterStart": "from", "beforeEnd": "to"})
        else:
            data, meta = await reading.list_bookings(session, app_user.user, query)
            rows = [_view(b, ctx, app_user.user, titles) for b in data]
    kept = {k: v for k, v in filters.items() if v}
    if take != PAGE_SIZES[0]:
        kept["take"] = str(take)
    here = _page_url(tab, kept, page=page if page > 1 else "")
    return render_app(
        request,
        ctx,
        "app/bookings/list.html",
        status_code=400 if errors else 200,
        tabs=[(key, label, _page_url(key, kept)) for key, label in TABS],
        tab=tab,
        rows=rows,
        meta=meta,
        errors=errors,
        filters=filters,
        take=take,
        page_sizes=PAGE_SIZES,
        event_types=[("", _("All event types"))] + [(str(k), v) for k, v in titles.items()],
        previous_url=_page_url(tab, kept, page=page - 1 if page > 2 else "")
        if meta.get("hasPreviousPage")
        else None,
        next_url=_page_url(tab, kept, page=page + 1) if meta.get("hasNextPage") else None,
        filtered=bool({k: v for k, v in filters.items() if v}),
        time_zone=str(zone),
        here=here,
    )


async def _detail(
    request: Request,
    session: DbSession,
    app_user: AppUser,
    uid: str,
    *,
    errors: FormErrors | None = None,
    values: dict[str, Any] | None = None,
    action: str | None = None,
    status_code: int = 200,
) -> Response:
    try:
        loaded = await access.participant(session, uid, app_user.user, lock=False)
    except NotFound:
        return _not_found(request, app_user)
    ctx = app_context(request, app_user, section="bookings")
    _ = ctx.page.gettext
    booking = await reading.output_for(session, loaded, viewer=app_user.user)
    titles = {loaded.event_type.id: loaded.event_type.title} if loaded.event_type else {}
    view = _view(booking, ctx, app_user.user, titles)
    fields = effective_booking_fields(settings_of(loaded.event_type))
    labels = {
        str(f.get("slug") or f.get("name")): str(f.get("label") or f.get("slug") or "")
        for f in fields
    }
    responses = [
        (
            _(labels.get(key, key)) if labels.get(key) in DEFAULT_LABELS else labels.get(key, key),
            value if not isinstance(value, list) else ", ".join(str(v) for v in value),
        )
        for key, value in (booking.get("bookingFieldsResponses") or {}).items()
        if key not in ("name", "email", "guests", "location") and value not in (None, "", [])
    ]
    zone = _zone(app_user.user)
    fmt = _formatter(ctx, app_user.user)
    history = [
        {
            "when": f"{fmt.day(e.created_at.astimezone(zone))}, "
            f"{fmt.clock(e.created_at.astimezone(zone))}",
            "action": _(HISTORY_LABELS.get(e.action, e.action)),
            "actor": e.actor or "",
            "reason": (e.data or {}).get("reason") or "",
        }
        for e in await history_of(session, loaded.booking.id)
    ]
    view["can_reschedule"] = view["can_reschedule"] and not is_seated(loaded.event_type, [])
    view["rejection_reason"] = loaded.booking.rejection_reason or ""
    return render_app(
        request,
        ctx,
        "app/bookings/detail.html",
        status_code=status_code,
        b=view,
        responses=responses,
        history=history,
        errors=errors or FormErrors(),
        values=values or {},
        action=action,
        location_kinds=[(kind, _(label)) for kind, label, _prop in LOCATION_KINDS],
        here=f"/app/bookings/detail/{uid}",
    )


@router.get("/app/bookings/detail/{uid}")
async def booking_detail(
    uid: str, request: Request, session: DbSession, app_user: AppSession
) -> Response:
    """One booking with its actions (404 when the user neither organizes nor attends it)."""
    return await _detail(request, session, app_user, uid[:200])


@router.get("/app/bookings/detail/{uid}/reschedule")
async def reschedule_link(
    uid: str, request: Request, session: DbSession, app_user: AppSession
) -> Response:
    """303 to the public Booker of the booking's event type with ``rescheduleUid`` (as the
    booking page's Reschedule link), in the user's time zone."""
    uid = uid[:200]
    try:
        loaded = await access.participant(session, uid, app_user.user, lock=False)
    except NotFound:
        return _not_found(request, app_user)
    booking = loaded.booking
    path = await booker_path_of(session, loaded, [loaded.organizer.username])
    active = booking.status in ACTIVE and booking.end_time > clock.now()
    if path is None or not active or is_seated(loaded.event_type, []):
        ctx = app_context(request, app_user, section="bookings")
        errors = FormErrors()
        errors.add(
            None, ctx.page.gettext("This booking can't be rescheduled from the booking page.")
        )
        return await _detail(request, session, app_user, uid, errors=errors, status_code=400)
    zone = _zone(app_user.user)
    query = urlencode(
        {
            "rescheduleUid": booking.uid,
            "month": booking.start_time.astimezone(zone).strftime("%Y-%m"),
            "timeZone": str(zone),
        }
    )
    return RedirectResponse(f"{path}?{query}", status_code=303)


def _guest_emails(value: str) -> list[str]:
    return [part for part in value.replace(";", ",").replace("\n", ",").split(",") if part.strip()]


def _service_call(
    action: str, session: AsyncSession, uid: str, form: FormData, user: User
) -> tuple[Callable[[], Awaitable[Any]], dict[str, str]] | None:
    """The service call of ``action`` with its input built from ``form`` (validated inside the
    call, so a ValidationError goes beside the fields), and the aliases of its error locations
    (input property → form field)."""
    if action == "confirm":
        return (lambda: confirm.confirm_booking(session, uid, user)), {}
    if action == "decline":

        async def decline() -> Any:
            body = DeclineBookingInput.model_validate({"reason": text(form, "decline_reason")})
            return await confirm.decline_booking(session, uid, body, user)

        return decline, {"reason": "decline_reason"}
    if action == "cancel":

        async def cancel_it() -> Any:
            body = CancelBookingInput.model_validate(
                {"cancellationReason": text(form, "cancel_reason")}
            )
            return await cancel.cancel_booking(session, uid, body, caller=user)

        return cancel_it, {"cancellationReason": "cancel_reason"}
    if action == "request-reschedule":

        async def ask() -> Any:
            body = RequestRescheduleInput.model_validate(
                {"rescheduleReason": text(form, "reschedule_reason")}
            )
            return await reschedule_request.request_reschedule(session, uid, body, user)

        return ask, {"rescheduleReason": "reschedule_reason"}
    if action == "no-show":

        async def mark() -> Any:
            absent = {v.lower() for v in form.getlist("absent") if isinstance(v, str)}
            emails = [v for v in form.getlist("attendee") if isinstance(v, str)]
            body = MarkAbsentInput.model_validate(
                {
                    "host": text(form, "host_absent") == "true",
                    "attendees": [{"email": e, "absent": e.lower() in absent} for e in emails],
                }
            )
            return await no_show.mark_absent(session, uid, body, user)

        return mark, {"host": "host_absent", "attendees": "no_show"}
    if action == "guests":

        async def add() -> Any:
            emails = _guest_emails(text(form, "guests"))
            body = AddGuestsInput.model_validate({"guests": [{"email": e} for e in emails]})
            return await attendees.add_guests(session, uid, body, user)

        return add, {"guests": "guests"}
    if action == "location":

        async def move() -> Any:
            kind = text(form, "location_type")
            prop = next((p for k, _l, p in LOCATION_KINDS if k == kind), "location")
            body = UpdateLocationInput.model_validate(
                {"location": {"type": kind, prop: text(form, "location_value")}}
            )
            return await booking_location.update_location(session, uid, body, user)

        return move, {"location": "location_value"}
    return None


def _flashed(target: str, key: str) -> str:
    parts = urlsplit(target)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "flash"] + [("flash", key)]
    return f"{parts.path}?{urlencode(query)}"


@router.post("/app/bookings/detail/{uid}/{action}")
async def booking_action(
    uid: str, action: str, request: Request, session: DbSession, app_user: AppSession
) -> Response:
    """Run ``action`` on booking ``uid`` through its service; 303 to ``next`` with a flash
    message, or the detail page again (400) with the service's message."""
    form = await checked_form(request, app_user.csrf)
    uid = uid[:200]
    user = app_user.user
    call = _service_call(action, session, uid, form, user)
    if call is None:
        return _not_found(request, app_user)
    try:
        loaded = await access.participant(session, uid, user, lock=False)
    except NotFound:
        return _not_found(request, app_user)
    if action in ORGANIZER_ACTIONS and not is_organizer(app_user.principal, loaded.booking):
        return _not_found(request, app_user)
    run, aliases = call
    _result, errors = await attempt(session, run, aliases)
    if errors:
        return await _detail(
            request,
            session,
            app_user,
            uid,
            errors=errors,
            values=as_dict(form),
            action=action,
            status_code=400,
        )
    target = safe_next(text(form, "next") or f"/app/bookings/detail/{uid}")
    return RedirectResponse(_flashed(target, ACTION_FLASH[action]), status_code=303)
