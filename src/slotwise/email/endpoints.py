"""The pages behind the signed links of the organizer's "booking requested" email (a Slotwise
extension: HTML, no login).

``GET /booking/{uid}/confirm?token=…`` and ``GET /booking/{uid}/decline?token=…`` show the
booking and a button; the button POSTs the token back to the same URL, which confirms or
declines through :mod:`slotwise.bookings.confirm` (the same rules, lock, history and hooks as
``POST /v2/bookings/{uid}/confirm|decline``). The change needs that second step on purpose:
mail scanners and link previews open links in emails, and a GET must not decide a booking.
Answers are small HTML pages: 200 on success, 403 for a bad or expired token, 404 for an unknown
booking, and the service's status (400, 409) when the booking can no longer be changed.
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings import repository
from slotwise.bookings.confirm import confirm_booking, decline_booking
from slotwise.bookings.schemas import DeclineBookingInput
from slotwise.calendars.ics import zone_or_utc
from slotwise.config import Settings
from slotwise.email.i18n import N_, format_span, negotiate, translations
from slotwise.email.messages import render_template
from slotwise.email.tokens import InvalidToken, resolve_secret_key, verify_booking_action
from slotwise.kit import clock
from slotwise.kit.db import Database, transaction
from slotwise.kit.errors import SlotwiseError
from slotwise.models import Attendee, User

router = APIRouter(include_in_schema=False)

Action = Literal["confirm", "decline"]
MAX_FORM_BYTES = 16_384

_TEXT: dict[str, str] = {
    "ask_confirm": N_("Confirm this booking?"),
    "ask_decline": N_("Decline this booking?"),
    "button_confirm": N_("Confirm booking"),
    "button_decline": N_("Decline booking"),
    "done_confirm": N_("Booking confirmed"),
    "done_decline": N_("Booking declined"),
    "done_confirm_text": N_("The attendees will receive an email with the details."),
    "done_decline_text": N_("The attendees will be told by email."),
    "bad_token": N_("This link is not valid"),
    "bad_token_text": N_(
        "It may have been changed or it has expired. You can still confirm or decline the "
        "booking through the API."
    ),
    "not_found": N_("Booking not found"),
    "cannot": N_("This booking cannot be changed"),
    "status_accepted": N_("This booking is already confirmed."),
    "status_rejected": N_("This booking has already been declined."),
    "status_cancelled": N_("This booking has been cancelled."),
}


class _PageError(Exception):
    def __init__(self, status: int, heading: str, message: str | None = None) -> None:
        super().__init__(heading)
        self.status, self.heading, self.message = status, heading, message


def _page(language: str, status: int, heading: str, **context: Any) -> HTMLResponse:
    context = {"booking": None, "form": None, "message": None, **context}
    html = render_template("page.html.j2", {"language": language, "heading": heading, **context})
    return HTMLResponse(
        html,
        status_code=status,
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


async def _load_checked(
    session: AsyncSession, settings: Settings, uid: str, action: Action, token: str
) -> tuple[repository.LoadedBooking, list[Attendee], str]:
    """The booking with its attendees and the organizer's language; _PageError 404/403."""
    try:
        loaded = await repository.load_booking(session, uid)
    except SlotwiseError:
        raise _PageError(404, _TEXT["not_found"]) from None
    language = negotiate(loaded.organizer.locale)
    try:
        verify_booking_action(
            resolve_secret_key(settings),
            token,
            action=action,
            uid=uid,
            organizer_id=loaded.organizer.id,
            now=clock.now(),
        )
    except InvalidToken:
        raise _PageError(403, _TEXT["bad_token"], _TEXT["bad_token_text"]) from None
    attendees = (await repository.attendees_by_booking(session, [loaded.booking.id]))[
        loaded.booking.id
    ]
    return loaded, attendees, language


def _summary(
    loaded: repository.LoadedBooking, attendees: list[Attendee], language: str
) -> dict[str, Any]:
    organizer: User = loaded.organizer
    zone = zone_or_utc(organizer.time_zone)
    booking = loaded.booking
    when = format_span(
        booking.start_time.astimezone(zone),
        booking.end_time.astimezone(zone),
        language,
        organizer.time_format if organizer.time_format in (12, 24) else None,
    )
    return {
        "title": booking.title,
        "when": when,
        "time_zone": getattr(zone, "key", "UTC"),
        "attendees": [f"{a.name} <{a.email}>" if a.name else a.email for a in attendees],
    }


def _error_page(error: _PageError, language: str) -> HTMLResponse:
    tr = translations(language).gettext
    message = error.message
    if message is not None and message in _TEXT.values():
        message = tr(message)
    return _page(language, error.status, tr(error.heading), message=message)


async def _show(request: Request, uid: str, action: Action, token: str) -> HTMLResponse:
    db: Database = request.app.state.db
    settings: Settings = request.app.state.settings
    language = "en"
    try:
        async with transaction(db, write=False) as session:
            loaded, attendees, language = await _load_checked(session, settings, uid, action, token)
    except _PageError as error:
        return _error_page(error, language)
    tr = translations(language).gettext
    summary = _summary(loaded, attendees, language)
    status = loaded.booking.status
    if status != "pending":
        return _page(
            language,
            200,
            tr(_TEXT[f"status_{status}"]) if f"status_{status}" in _TEXT else tr(_TEXT["cannot"]),
            booking=summary,
        )
    form = {
        "action": f"/booking/{quote(uid, safe='')}/{action}",
        "token": token,
        "button": tr(_TEXT[f"button_{action}"]),
        "ask_reason": action == "decline",
    }
    return _page(language, 200, tr(_TEXT[f"ask_{action}"]), booking=summary, form=form)


async def _form(request: Request) -> dict[str, str]:
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return {}
    fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {key: values[0] for key, values in fields.items() if values}


async def _act(request: Request, uid: str, action: Action) -> HTMLResponse:
    db: Database = request.app.state.db
    settings: Settings = request.app.state.settings
    form = await _form(request)
    token = form.get("token") or request.query_params.get("token") or ""
    language = "en"
    try:
        async with transaction(db, write=True) as session:
            loaded, attendees, language = await _load_checked(session, settings, uid, action, token)
            if action == "confirm":
                await confirm_booking(session, uid, loaded.organizer)
            else:
                reason = (form.get("reason") or "").strip()[:2000] or None
                await decline_booking(
                    session, uid, DeclineBookingInput(reason=reason), loaded.organizer
                )
    except _PageError as error:
        return _error_page(error, language)
    except SlotwiseError as error:
        tr = translations(language).gettext
        return _page(language, error.status_code, tr(_TEXT["cannot"]), message=error.message)
    tr = translations(language).gettext
    return _page(
        language,
        200,
        tr(_TEXT[f"done_{action}"]),
        message=tr(_TEXT[f"done_{action}_text"]),
        booking=_summary(loaded, attendees, language),
    )


@router.get("/booking/{uid}/confirm", response_class=HTMLResponse)
async def confirm_page(request: Request, uid: str, token: str = "") -> HTMLResponse:
    """The page an organizer's signed confirm link opens: the booking and a Confirm button."""
    return await _show(request, uid, "confirm", token)


@router.post("/booking/{uid}/confirm", response_class=HTMLResponse)
async def confirm_submit(request: Request, uid: str) -> HTMLResponse:
    """Confirm the pending booking ``uid`` (form field ``token``)."""
    return await _act(request, uid, "confirm")


@router.get("/booking/{uid}/decline", response_class=HTMLResponse)
async def decline_page(request: Request, uid: str, token: str = "") -> HTMLResponse:
    """The page an organizer's signed decline link opens: the booking, a reason box and a button."""
    return await _show(request, uid, "decline", token)


@router.post("/booking/{uid}/decline", response_class=HTMLResponse)
async def decline_submit(request: Request, uid: str) -> HTMLResponse:
    """Decline the pending booking ``uid`` (form fields ``token`` and optional ``reason``)."""
    return await _act(request, uid, "decline")
