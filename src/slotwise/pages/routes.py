"""HTTP routes of the profile page and the Booker (HTML; not part of the API schema).

- ``GET /{username}``: the host and their visible event types;
- ``GET /{username}/{eventSlug}``: the Booker (see :mod:`slotwise.pages.booker` for the URL
  state); ``POST`` to the same URL books the chosen ``slot`` (or moves ``rescheduleUid``) and
  redirects to the booking page (:mod:`slotwise.pages.booking_page`);
- ``GET /static/pages/{name}``: the pages' CSS and JavaScript.

``{username}`` only matches names that can be usernames and are not reserved first segments
(:data:`slotwise.users.service.RESERVED_USERNAMES`), so these routes never answer for an API
path; the router is included after every API router all the same. Unknown users, event types
and bookings get an HTML 404 page. Writes call the booking services in one transaction of their
own, so a refused booking rolls back and the page is rendered again with the reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.convertors import Convertor, register_url_convertor

from slotwise.bookings import create, reading
from slotwise.bookings.booker_limit import LIMIT_EXCEEDED, LIMIT_EXCEEDED_RESCHEDULE
from slotwise.bookings.location import event_locations
from slotwise.bookings.reschedule import reschedule_booking
from slotwise.bookings.schemas import (
    CreateBookingInput,
    RescheduleBookingInput,
)
from slotwise.event_types.repository import (
    user_by_username,
    user_event_type_by_slug,
    user_event_types,
)
from slotwise.event_types.settings import settings_of
from slotwise.kit import clock
from slotwise.kit.db import transaction
from slotwise.kit.errors import Conflict, NotFound, SlotwiseError
from slotwise.kit.session import DbSession, get_database
from slotwise.models import EventType, Team, User
from slotwise.pages import booker, forms, series
from slotwise.pages.i18n import Formatter
from slotwise.pages.render import (
    STATIC_FILES,
    Avatar,
    PageContext,
    not_found,
    page_context,
    render,
    static_bytes,
    static_version,
)
from slotwise.pages.zones import zone_options
from slotwise.policy.event_types import listable_event_types
from slotwise.slots import reservations
from slotwise.slots.service import length_options
from slotwise.users.avatars import local_avatar_path
from slotwise.users.service import RESERVED_USERNAMES


class UsernameConvertor(Convertor[str]):
    """A path segment that can be a username and is not a reserved first segment (in any
    letter case: ``/V2/...`` is no username either)."""

    regex = (
        "(?!(?i:"
        + "|".join(re.escape(n) for n in sorted(RESERVED_USERNAMES, key=len, reverse=True))
        + ")(?:/|$))[A-Za-z0-9][A-Za-z0-9._-]{0,99}"
    )

    def convert(self, value: str) -> str:
        """The segment as given."""
        return value

    def to_string(self, value: str) -> str:
        """The segment as given."""
        return value


register_url_convertor("pageuser", UsernameConvertor())
router = APIRouter(include_in_schema=False)


@router.get("/static/pages/{name}")
async def static_file(name: str, request: Request) -> Response:
    """A CSS/JS file of the pages. With ``?v=`` equal to its content hash it may be cached for
    a year (immutable); otherwise it must be revalidated (ETag)."""
    if name not in STATIC_FILES:
        return Response("Not found", status_code=404, media_type="text/plain")
    version = static_version(name)
    etag = f'"{version}"'
    media = "text/css" if name.endswith(".css") else "text/javascript"
    if request.query_params.get("v") == version:
        cache = "public, max-age=31536000, immutable"
    else:
        cache = "public, max-age=300, must-revalidate"
    headers = {"Cache-Control": cache, "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(static_bytes(name), media_type=f"{media}; charset=utf-8", headers=headers)


@router.get("/{username:pageuser}")
async def profile(username: str, request: Request, session: DbSession) -> Response:
    """The host's name and their visible event types (title, length, description)."""
    user = await user_by_username(session, username)
    if user is None:
        return not_found(page_context(request), "user")
    ctx = page_context(request, user.locale, user.metadata_)
    event_types = await user_event_types(session, listable_event_types(None, user.id))
    own_avatar = local_avatar_path(user.avatar_url)
    return render(ctx, "profile.html", user=user, event_types=event_types, own_avatar=own_avatar)


@dataclass
class Loaded:
    """What a Booker URL resolved to.

    - ``user``: whose settings the Booker starts from (time zone, 12h/24h, week start): the
      host of a personal event type, a team event type's first host, a dynamic group's first
      user;
    - ``event_type``: what is booked (a dynamic group's is not stored: id 0);
    - ``ctx``: the page's presentation; ``base_path``: the Booker's own path
      (``/{username}/{slug}``, ``/d/{linkId}/{slug}``, ``/team/{teamSlug}/{slug}`` or
      ``/{user1}+{user2}/{slug}``);
    - ``private_link_id``: for a private link, the id every booking made on the page carries
      (``privateLinkId``);
    - ``heading``: the host label above the title (None: the user's name); ``avatars``: the
      badges beside it (Cal.com's event members: the team and every host for a collective
      event type, the team alone for round robin, every user of a dynamic group);
    - ``usernames``: the users of a dynamic group (slots and bookings name them instead of an
      event type id); ``team``: the team of a team event type.
    """

    user: User
    event_type: EventType
    ctx: PageContext
    base_path: str
    private_link_id: str | None = None
    heading: str | None = None
    avatars: list[Avatar] = field(default_factory=list)
    usernames: list[str] | None = None
    team: Team | None = None

    @property
    def host_label(self) -> str:
        """The name shown above the event type's title."""
        return self.heading or self.user.name or self.user.username

    def books(self, booking: dict[str, Any]) -> bool:
        """Whether ``booking`` (an API booking output) is one this Booker can move: of its event
        type, or for a dynamic group a booking without one."""
        if self.usernames is not None:
            return booking.get("eventTypeId") in (None, 0)
        return booking.get("eventTypeId") == self.event_type.id


async def _load(
    session: AsyncSession, request: Request, username: str, slug: str
) -> Loaded | Response:
    user = await user_by_username(session, username)
    if user is None:
        return not_found(page_context(request), "user")
    ctx = page_context(request, user.locale, user.metadata_)
    event_type = await user_event_type_by_slug(session, user.id, slug)
    if event_type is None:
        return not_found(ctx, "event")
    return Loaded(user, event_type, ctx, f"/{user.username}/{event_type.slug}")


def _params(request: Request) -> dict[str, str]:
    return {k: request.query_params[k] for k in request.query_params}


async def booker_view(
    session: AsyncSession,
    request: Request,
    loaded: Loaded,
    *,
    form: forms.FormData | None = None,
    errors: dict[str, str] | None = None,
    form_error: str | None = None,
    status_code: int = 200,
    offer_url: str | None = None,
) -> Response:
    """Render the Booker for the request's URL state (and a submitted form, when given);
    ``offer_url``: a link offering to move the booker's existing booking to the chosen time
    (``bookerActiveBookingsLimit`` with ``offerReschedule``)."""
    ctx, user, event_type = loaded.ctx, loaded.user, loaded.event_type
    _ = ctx.gettext
    now = clock.now()
    state = booker.read_state(_params(request), event_type, user, now)
    fmt = Formatter(ctx.language, state.hour12)
    zone = ZoneInfo(state.tz)
    rescheduling: dict[str, Any] | None = None
    if state.reschedule_uid:
        try:
            rescheduling = await reading.get_booking(session, state.reschedule_uid)
        except NotFound:
            form_error = form_error or _("The booking to reschedule was not found.")
        if rescheduling is not None and not loaded.books(rescheduling):
            rescheduling = None
    slot_error: str | None = None
    seats_left: dict[datetime, int] = {}
    today = now.astimezone(zone).date()
    week_start = user.week_start or "Sunday"
    first, span = booker.layout_range(state, today, week_start)
    try:
        if state.layout == "month":
            by_day, seats_left = await booker.month_slots_and_seats(
                session, event_type, state, now, usernames=loaded.usernames
            )
        else:
            by_day, seats_left = await booker.range_slots(
                session, event_type, state, first, first + timedelta(days=span), now,
                usernames=loaded.usernames,
            )  # fmt: skip
    except SlotwiseError as exc:
        by_day, slot_error = {}, exc.message
    headers, weeks = booker.month_grid(state, by_day, fmt, today, week_start, _("available"))
    day_starts = by_day.get(state.day, []) if state.day else []
    chosen = state.slot if state.slot and any(s == state.slot for s in day_starts) else None
    query = request.query_params
    values = form if form is not None else {k: query.getlist(k) for k in query}
    held_uid = forms.first(values, "reservationUid")
    # The booker's own reservation makes the time busy for everyone else, not for them.
    if (
        state.slot
        and chosen is None
        and held_uid
        and state.day == state.slot.astimezone(zone).date()
        and await _holds(session, held_uid, event_type.id, state.slot, now)
    ):
        chosen = state.slot
        day_starts = sorted([*day_starts, state.slot.astimezone(zone)])
    if request.query_params.get("taken") == "1" and form_error is None:
        form_error = _("Someone else is booking this time. Please choose another time.")
    if state.slot and chosen is None and form_error is None:
        form_error = _("That time is not available any more. Please choose another time.")
    fields = (
        forms.build_fields(event_type, values, errors or {}, _, reschedule=rescheduling is not None)
        if chosen
        else []
    )
    shown = {f.slug for f in fields}
    recurrence: dict[str, Any] | None = None
    rule = series.series_of(event_type)
    if rule is not None and chosen and rescheduling is None:
        count, count_error = series.read_count(values, rule, _)
        recurrence = {
            "text": series.describe(rule, count, ctx), "max": rule.occurrences,
            "value": forms.first(values, "recurrenceCount") or count,
            "error": (errors or {}).get("recurrenceCount") or (count_error if form else None),
        }  # fmt: skip
        shown.add("recurrenceCount")
    unmatched = [m for slug, m in (errors or {}).items() if slug not in shown]
    if unmatched:
        form_error = " ".join([form_error or "", *unmatched]).strip()
    enabled_layouts, default_layout = booker.layouts(event_type)
    state_params: dict[str, Any] = {
        "month": state.month.strftime("%Y-%m"),
        "timeZone": state.tz if state.tz_from_url else None,
        "duration": state.duration if length_options(event_type) else None,
        "rescheduleUid": state.reschedule_uid,
        "clock": "12h" if state.hour12 else "24h",
        "layout": state.layout if state.layout != default_layout else None,
    }

    def seats_text(n: int) -> str:
        return ctx.ngettext("%(num)d seat left", "%(num)d seats left", n) % {"num": n}

    columns = [
        booker.DayColumn(
            day, fmt.weekday_short(day), fmt.day(day),
            booker.slot_buttons(by_day.get(day, []), fmt, None, seats_left, seats_text),
        )
        for day in (first + timedelta(days=i) for i in range(span))
    ] if state.layout != "month" else []  # fmt: skip
    base_path = loaded.base_path
    former = None
    if rescheduling is not None:
        start = datetime.fromisoformat(rescheduling["start"].replace("Z", "+00:00"))
        former = f"{fmt.day(start.astimezone(zone))}, {fmt.clock(start.astimezone(zone))}"
    embed_info = {"eventId": event_type.id, "eventSlug": event_type.slug}
    return render(
        ctx,
        "booker.html",
        status_code=status_code,
        user=user,
        host_label=loaded.host_label,
        avatars=loaded.avatars,
        reserves=loaded.usernames is None,
        event_type=event_type,
        state=state,
        fmt=fmt,
        weeks=weeks,
        weekday_headers=headers,
        month_title=fmt.month(state.month),
        prev_month=booker.previous_month(state.month).strftime("%Y-%m"),
        next_month=booker.next_month(state.month).strftime("%Y-%m"),
        can_go_back=state.month > today.replace(day=1),
        slots=booker.slot_buttons(day_starts, fmt, chosen, seats_left, seats_text),
        columns=columns,
        range_title=f"{fmt.day(first)} – {fmt.day(first + timedelta(days=span - 1))}",
        prev_start=first - timedelta(days=span),
        next_start=first + timedelta(days=span),
        can_go_back_range=first > today,
        layouts=enabled_layouts if len(enabled_layouts) > 1 else [],
        seats_left=seats_left.get(chosen) if chosen else None,
        day_title=fmt.day(state.day) if state.day else None,
        chosen=chosen,
        chosen_value=booker.iso_z(chosen) if chosen else None,
        reservation_uid=held_uid if chosen else None,
        month_has_slots=bool(by_day),
        chosen_text=(
            f"{fmt.day(chosen.astimezone(zone))}, {fmt.clock(chosen.astimezone(zone))}"
            if chosen
            else None
        ),
        fields=fields,
        form_error=form_error,
        slot_error=slot_error,
        state_params=state_params,
        base_path=base_path,
        zones=zone_options(state.tz, now, state.hour12),
        lengths=length_options(event_type) or [],
        rescheduling=rescheduling,
        former_time=former,
        location_text=_event_location_text(event_type, _),
        location_note=_event_location_note(event_type, _),
        embed_info=json.dumps(embed_info),
        offer_url=offer_url,
        recurrence=recurrence,
    )


async def _reschedules(session: AsyncSession, uid: str | None, loaded: Loaded) -> bool:
    """Whether booking ``uid`` exists and is one this Booker moves (:meth:`Loaded.books`)."""
    if uid is None:
        return False
    try:
        booking = await reading.get_booking(session, uid)
    except NotFound:
        return False
    return loaded.books(booking)


async def _holds(
    session: AsyncSession, uid: str, event_type_id: int, start: datetime, now: datetime
) -> bool:
    """Whether reservation ``uid`` holds ``start`` of ``event_type_id`` and has not expired."""
    try:
        held = await reservations.get_reservation(session, uid[:64])
    except NotFound:
        return False
    return (
        held.event_type_id == event_type_id
        and held.slot_start == start
        and held.reserved_until > now
    )


def _event_location_text(event_type: EventType, _: forms.Gettext) -> str:
    choices = forms.location_choices(event_type, _)
    return ", ".join(c.label for c in choices)


def _event_location_note(event_type: EventType, _: forms.Gettext) -> str | None:
    """The line under the location when a conferencing app has no link yet (Cal Video while
    no video provider is configured): the host sends it."""
    apps = [
        loc
        for loc in event_locations(event_type)
        if loc.get("type") in ("integration", "organizersDefaultApp")
    ]
    return _("The host will send you the meeting link.") if apps else None


@router.get("/{username:pageuser}/{event_slug}")
async def booker_page(
    username: str, event_slug: str, request: Request, session: DbSession
) -> Response:
    """The Booker of ``username``'s event type ``event_slug`` (hidden ones too, as in Cal.com:
    hidden only keeps them off the profile page)."""
    loaded = await _load(session, request, username, event_slug)
    if isinstance(loaded, Response):
        return loaded
    return await booker_view(session, request, loaded)


def _api_errors(exc: SlotwiseError, _: forms.Gettext) -> tuple[dict[str, str], str | None]:
    """Per-field messages from a service error's ``details``, and the rest as one message."""
    errors: dict[str, str] = {}
    if isinstance(exc.details, list):
        for item in exc.details:
            if isinstance(item, dict) and item.get("field"):
                errors[str(item["field"])] = str(item.get("message") or "")
    if errors:
        return errors, None
    if isinstance(exc, Conflict):
        return {}, _("Someone else is booking this time. Please choose another time.")
    if exc.message in (LIMIT_EXCEEDED, LIMIT_EXCEEDED_RESCHEDULE):
        return {}, _(
            "You have reached the maximum number of upcoming bookings for this event type."
        )
    return {}, exc.message


def _validation_errors(exc: ValidationError, _: forms.Gettext) -> tuple[dict[str, str], str]:
    errors: dict[str, str] = {}
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()))
        slug = forms.field_of(where)
        if slug:
            errors[slug] = str(err.get("msg", "")).removeprefix("Value error, ")
    return errors, _("Please correct the marked fields.")


@router.post("/{username:pageuser}/{event_slug}")
async def book(username: str, event_slug: str, request: Request) -> Response:
    """Book the ``slot`` of the URL with the submitted form (or move ``rescheduleUid`` there);
    303 to the booking page on success, the Booker again (400/409) with the reasons otherwise."""

    async def load(session: AsyncSession) -> Loaded | Response:
        return await _load(session, request, username, event_slug)

    return await submit_booking(request, load)


async def submit_booking(
    request: Request,
    load: Callable[[AsyncSession], Awaitable[Loaded | Response]],
    refused: Callable[[Loaded, SlotwiseError], Response | None] | None = None,
) -> Response:
    """Book (or reschedule) from the Booker's form: ``load`` resolves the URL in a read
    transaction (a Response is returned as is); the booking itself runs in a write transaction
    of its own and carries ``privateLinkId`` when the page is a private link's. ``refused``
    may turn a service error into its own page (None: the Booker again with the reasons)."""
    db = get_database(request)
    async with transaction(db, write=False) as session:
        loaded = await load(session)
        if isinstance(loaded, Response):
            return loaded
        ctx, event_type, user = loaded.ctx, loaded.event_type, loaded.user
        _ = ctx.gettext
        state = booker.read_state(_params(request), event_type, user, clock.now())
        data = await forms.read_form(request)
        if data is None:
            return Response("Form too large", status_code=413, media_type="text/plain")
        reschedule = state.reschedule_uid is not None
        sub, errors = forms.check_form(event_type, data, _, reschedule=reschedule)
        rule = None if reschedule else series.series_of(event_type)
        recurrence_count = None
        if rule is not None:
            recurrence_count, count_error = series.read_count(data, rule, _)
            if count_error:
                errors["recurrenceCount"] = count_error
        if state.slot is None:
            return await booker_view(
                session, request, loaded, form=data, form_error=_("Choose a time first."),
                status_code=400,
            )  # fmt: skip
        if reschedule and not await _reschedules(session, state.reschedule_uid, loaded):
            return await booker_view(
                session, request, loaded, form=data, status_code=404,
                form_error=_("The booking to reschedule was not found."),
            )  # fmt: skip
        if errors:
            return await booker_view(
                session, request, loaded, form=data, errors=errors,
                form_error=_("Please correct the marked fields."), status_code=400,
            )  # fmt: skip
    start = booker.iso_z(state.slot)
    try:
        async with transaction(db, write=True) as session:
            if state.reschedule_uid is not None:
                body: Any = RescheduleBookingInput.model_validate(
                    {"start": start, "reschedulingReason": sub.reschedule_reason}
                )
                done = await reschedule_booking(session, state.reschedule_uid, body, caller=None)
            else:
                payload = forms.booking_body(
                    sub, event_type, start=start, time_zone=state.tz, language=ctx.language,
                    duration=state.duration if length_options(event_type) else None,
                    reservation_uid=forms.first(data, "reservationUid"),
                )  # fmt: skip
                if recurrence_count is not None:
                    payload["recurrenceCount"] = recurrence_count
                if loaded.private_link_id is not None:
                    payload["privateLinkId"] = loaded.private_link_id
                if loaded.usernames is not None:
                    del payload["eventTypeId"]
                    payload["usernames"] = loaded.usernames
                body = CreateBookingInput.model_validate(payload)
                done = await create.create_booking(session, body, caller=None)
    except ValidationError as exc:
        field_errors, summary = _validation_errors(exc, _)
        return await _again(request, loaded, data, field_errors, summary, 400)
    except SlotwiseError as exc:
        page = refused(loaded, exc) if refused is not None else None
        if page is not None:
            return page
        field_errors, message = _api_errors(exc, _)
        offer = None
        if exc.message == LIMIT_EXCEEDED_RESCHEDULE and isinstance(exc.details, dict):
            offer = ctx.url(
                loaded.base_path, month=state.month.strftime("%Y-%m"), date=start[:10],
                slot=start, rescheduleUid=str(exc.details.get("rescheduleUid") or "") or None,
            )  # fmt: skip
        return await _again(request, loaded, data, field_errors, message, exc.status_code, offer)
    redirect = success_redirect(event_type, done) if not ctx.embed else None
    if redirect:
        return RedirectResponse(redirect, status_code=303)
    flags: dict[str, Any] = {"isSuccessBookingPage": "true"}
    if done.get("seatUid"):
        flags["seatReferenceUid"] = done["seatUid"]
    if reschedule:
        flags["rescheduled"] = "true"
    return RedirectResponse(ctx.url(f"/booking/{done['uid']}", **flags), status_code=303)


def success_redirect(event_type: EventType, booking: dict[str, Any]) -> str | None:
    """The event type's ``successRedirectUrl`` (http/https only) with the booking's details
    added to its query as Cal.com forwards them (``forwardParamsSuccessRedirect``): ``title``,
    ``description``, ``startTime``, ``endTime`` (UTC ISO), ``location``, ``attendeeName``,
    ``hostName`` (the booking's organizer, ``hosts[0]``: for a team event type the host who was
    booked); None without one."""
    url = settings_of(event_type).page.success_redirect_url
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return None
    attendees = booking.get("attendees") or []
    organizer = (booking.get("hosts") or [{}])[0]
    extra = {
        "title": booking.get("title"),
        "description": booking.get("description") or None,
        "startTime": booking.get("start"),
        "endTime": booking.get("end"),
        "location": booking.get("location") or None,
        "attendeeName": attendees[0].get("name") if attendees else None,
        "hostName": organizer.get("name") or organizer.get("username"),
    }
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [(k, str(v)) for k, v in extra.items() if v]
    return urlunsplit(parts._replace(query=urlencode(query)))


async def _again(
    request: Request,
    loaded: Loaded,
    data: forms.FormData,
    errors: dict[str, str],
    message: str | None,
    status_code: int,
    offer_url: str | None = None,
) -> Response:
    db = get_database(request)
    async with transaction(db, write=False) as session:
        return await booker_view(
            session, request, loaded, form=data, errors=errors,
            form_error=message or loaded.ctx.gettext("Please correct the marked fields."),
            status_code=status_code, offer_url=offer_url,
        )  # fmt: skip
