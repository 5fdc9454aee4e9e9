"""Booking emails as ``email.message.EmailMessage`` objects, one per recipient.

Each message has a plain-text and an HTML part rendered from the Jinja2 templates in
``templates/`` (in the recipient's language, times in the recipient's time zone) and the
booking's iCalendar file (``METHOD:REQUEST``, or ``METHOD:CANCEL`` for cancelled, declined and
reschedule-requested bookings and a cancelled seat's holder; see :func:`email_ics`). Who gets
what follows Cal.com: every attendee and the organizer for created, requested, confirmed,
rescheduled, cancelled and reschedule_requested; only the attendees for declined (the
organizer declined it); for a change about one seat, that seat's holder and the
organizer (:func:`recipients_for`). The organizer's "requested" email carries signed confirm
and decline links; the attendee's "reschedule_requested" email a link to book a new time; the
attendee's email about an upcoming booking Reschedule and Cancel links (``extras["manage"]``).
Locations are written by their human names with the join link where there is one
(:func:`slotwise.bookings.location.location_display`): Cal Video without a video provider is
"Cal Video" and a line that the host sends the link, never ``integrations:daily``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from functools import lru_cache
from typing import Any, get_args
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from slotwise.bookings.location import location_display
from slotwise.calendars.ics import booking_ics_filename, zone_or_utc
from slotwise.config import Settings
from slotwise.email.attachments import EmailKind, Role, email_ics, ics_method
from slotwise.email.i18n import N_, format_span, negotiate, translations
from slotwise.email.tokens import sign_booking_action
from slotwise.models import Attendee, Booking, User, utcnow

EMAIL_KINDS: frozenset[str] = frozenset(get_args(EmailKind))
MANAGEABLE: frozenset[str] = frozenset({"created", "requested", "confirmed", "rescheduled"})
"""Kinds whose attendee email offers Reschedule and Cancel (the booking is upcoming)."""
_LINK_PENDING = {
    "attendee": N_("The host will send you the meeting link."),
    "host": N_("No video provider is connected: send the attendees the meeting link."),
}

# (subject, headline, intro) per kind and role; "%(title)s", "%(host)s", "%(name)s" are filled in
# after translation.
_TEXTS: dict[tuple[str, str], tuple[str, str, str]] = {
    ("created", "attendee"): (
        N_("Confirmed: %(title)s"),
        N_("Your booking is confirmed"),
        N_("%(host)s has been sent a calendar invitation too. The details are below."),
    ),
    ("created", "host"): (
        N_("New booking: %(title)s"),
        N_("A new event has been scheduled"),
        N_("%(name)s booked time with you. The details are below."),
    ),
    ("requested", "attendee"): (
        N_("Booking request sent: %(title)s"),
        N_("Your booking request has been sent"),
        N_("%(host)s needs to confirm it. You will get another email once they have."),
    ),
    ("requested", "host"): (
        N_("Action needed: %(title)s"),
        N_("Someone has requested to book with you"),
        N_("%(name)s is waiting for you to confirm or decline this booking request."),
    ),
    ("confirmed", "attendee"): (
        N_("Confirmed: %(title)s"),
        N_("Your booking has been confirmed"),
        N_("%(host)s confirmed your booking. The details are below."),
    ),
    ("confirmed", "host"): (
        N_("Confirmed: %(title)s"),
        N_("You confirmed this booking"),
        N_("The event with %(name)s is now in your calendar."),
    ),
    ("rescheduled", "attendee"): (
        N_("Rescheduled: %(title)s"),
        N_("Your booking has been rescheduled"),
        N_("The event has moved to a new time. The details are below."),
    ),
    ("rescheduled", "host"): (
        N_("Rescheduled: %(title)s"),
        N_("A booking has been rescheduled"),
        N_("The event with %(name)s has moved to a new time."),
    ),
    ("cancelled", "attendee"): (
        N_("Cancelled: %(title)s"),
        N_("This event has been cancelled"),
        N_("The event below will not take place."),
    ),
    ("cancelled", "host"): (
        N_("Cancelled: %(title)s"),
        N_("This event has been cancelled"),
        N_("The event with %(name)s will not take place."),
    ),
    ("declined", "attendee"): (
        N_("Declined: %(title)s"),
        N_("Your booking request was declined"),
        N_("%(host)s could not accept your booking request."),
    ),
    ("reschedule_requested", "attendee"): (
        N_("Please pick a new time: %(title)s"),
        N_("%(host)s asks you to pick a new time"),
        N_("The booking below was cancelled so that you can book a new time that suits you."),
    ),
    ("reschedule_requested", "host"): (
        N_("Reschedule requested: %(title)s"),
        N_("You asked for a new time"),
        N_("%(name)s has been asked to book a new time. The booking below was cancelled."),
    ),
    ("seat_cancelled", "attendee"): (
        N_("No longer attending: %(title)s"),
        N_("Your seat has been cancelled"),
        N_("You no longer attend the event below. It takes place for the other attendees."),
    ),
    ("seat_cancelled", "host"): (
        N_("Seat cancelled: %(title)s"),
        N_("An attendee cancelled their seat"),
        N_("%(name)s no longer attends. The event takes place with the other attendees."),
    ),
}
_REASON_LABELS = {
    "cancelled": N_("Reason for cancellation"),
    "seat_cancelled": N_("Reason for cancellation"),
    "declined": N_("Reason for declining"),
    "rescheduled": N_("Reason for rescheduling"),
    "reschedule_requested": N_("Reason for rescheduling"),
}
# "every …" phrases of a recurring series, by (frequency, interval == 1).
_RULES = {
    ("weekly", True): N_("every week"),
    ("weekly", False): N_("every %(interval)s weeks"),
    ("monthly", True): N_("every month"),
    ("monthly", False): N_("every %(interval)s months"),
    ("yearly", True): N_("every year"),
    ("yearly", False): N_("every %(interval)s years"),
}


@dataclass(frozen=True)
class Recipient:
    """Who a message is for: ``role`` host or attendee; ``time_zone`` an IANA name;
    ``language`` a language tag (negotiated against the catalogs); ``time_format`` 12 or 24, or
    None for the language's usual clock."""

    email: str
    name: str
    role: Role
    time_zone: str
    language: str
    time_format: int | None = None


def emails_hosts(kind: EmailKind) -> bool:
    """Whether ``kind`` has a host version (every kind but ``declined``)."""
    return (kind, "host") in _TEXTS


def recipients_for(
    kind: EmailKind,
    attendees: Sequence[Attendee],
    organizer: User,
    *,
    seat_email: str | None = None,
) -> list[Recipient]:
    """The recipients of ``kind``: each attendee (in their zone and language), then the organizer
    (their zone, locale and 12/24-hour clock), except for ``declined`` (attendees only).

    ``seat_email``: the change concerns one seat of a seated booking, so of the attendees only
    that seat's holder is emailed (Cal.com's seat emails: the seat's attendee and the organizer).
    """
    wanted = seat_email.lower() if seat_email else None
    out = [
        Recipient(a.email, a.name or "", "attendee", a.time_zone, a.language or "en")
        for a in attendees
        if wanted is None or a.email.lower() == wanted
    ]
    if (kind, "host") in _TEXTS:
        out.append(
            Recipient(
                organizer.email,
                organizer.name or "",
                "host",
                organizer.time_zone,
                organizer.locale or "en",
                organizer.time_format if organizer.time_format in (12, 24) else None,
            )
        )
    return out


def recurrence_text(recurrence: dict[str, Any], language: str) -> str:
    """``recurrence`` (``{"frequency": weekly|monthly|yearly, "interval": n, "count": n}``) in
    words, e.g. "every 2 weeks, 4 times"; ``""`` for an unknown frequency."""
    interval = int(recurrence.get("interval") or 1)
    rule = _RULES.get((str(recurrence.get("frequency")), interval == 1))
    if rule is None:
        return ""
    tr = translations(language).gettext
    return tr(N_("%(rule)s, %(count)s times")) % {
        "rule": tr(rule) % {"interval": interval},
        "count": int(recurrence.get("count") or 1),
    }


@lru_cache(maxsize=16)
def _environment(language: str) -> Environment:
    env = Environment(
        loader=PackageLoader("slotwise.email", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2")),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    return env


def render_template(name: str, context: dict[str, Any]) -> str:
    """Render template ``name`` (in ``templates/``) with ``context``, in the language
    ``context["language"]`` (already negotiated)."""
    return _environment(str(context["language"])).get_template(name).render(**context)


def _same(a: str, b: str) -> bool:
    return a.strip().lower() == b.strip().lower()


def _label(name: str | None, email: str) -> str:
    name = (name or "").strip()
    return f"{name} <{email}>" if name else email


def _domain(settings: Settings) -> str:
    return urlsplit(settings.base_url).hostname or "localhost"


def sender(settings: Settings) -> str:
    """The From header: ``SLOTWISE_EMAIL_FROM``, or ``Slotwise <no-reply@<public host>>``."""
    return settings.email_from or formataddr(("Slotwise", f"no-reply@{_domain(settings)}"))


def action_links(
    booking: Booking, organizer: User, settings: Settings, key: bytes
) -> dict[str, str]:
    """Absolute signed confirm and decline URLs for a pending booking, valid until it ends:
    ``{base}/booking/{uid}/confirm?token=…`` and ``…/decline?token=…``."""
    base = f"{settings.base_url}/booking/{quote(booking.uid, safe='')}"
    links = {}
    for action in ("confirm", "decline"):
        token = sign_booking_action(
            key, action=action, uid=booking.uid, organizer_id=organizer.id, expires=booking.end_time
        )
        links[action] = f"{base}/{action}?token={quote(token, safe='')}"
    return links


def render_booking_email(
    kind: EmailKind,
    recipient: Recipient,
    booking: Booking,
    attendees: Sequence[Attendee],
    organizer: User,
    *,
    settings: Settings,
    ics: bytes,
    previous: tuple[datetime, datetime] | None = None,
    links: dict[str, str] | None = None,
    extras: dict[str, Any] | None = None,
) -> EmailMessage:
    """One message of ``kind`` for ``recipient``.

    ``ics``: the booking's iCalendar bytes (attached as ``invite.ics``/``cancel.ics``, content
    type ``text/calendar; method=…``). ``previous``: the old start and end (UTC instants) of a
    rescheduled booking. ``links``: the signed confirm/decline URLs, shown only to the organizer
    of a requested booking. ``extras`` (JSON, all keys optional): ``person`` (the name the
    organizer's email is about, for a seat: its holder; default the booker), ``reason``
    (overrides the booking's stored reason), ``recurrence`` (``{frequency, interval, count}``: a
    "Repeats" line), ``series`` (``{icalUid, cancelled: [ISO starts]}``: the cancelled
    occurrences are listed), ``rebookPath`` (path under the public URL of the page to book a
    new time, shown as a link to the attendee), ``manage`` (``{reschedule: path or None,
    cancel: bool}``: the attendee's Reschedule and Cancel links of an upcoming booking). Raises
    KeyError for a (kind, role) pair that has no message.
    """
    extras = extras or {}
    language = negotiate(recipient.language)
    tr = translations(language).gettext
    subject_t, headline_t, intro_t = _TEXTS[(kind, recipient.role)]
    booker = attendees[0] if attendees else None
    person = extras.get("person") or (
        ((booker.name or "").strip() or booker.email) if booker else ""
    )
    fill = {
        "title": booking.title,
        "host": (organizer.name or "").strip() or organizer.email,
        "name": person,
    }
    zone = zone_or_utc(recipient.time_zone)

    def span(start: datetime, end: datetime) -> str:
        return format_span(
            start.astimezone(zone), end.astimezone(zone), language, recipient.time_format
        )

    when = span(booking.start_time, booking.end_time)
    previous_when = span(*previous) if previous is not None else None
    reason = extras.get("reason") or {
        "cancelled": booking.cancellation_reason,
        "declined": booking.rejection_reason,
        "rescheduled": booking.reschedule_reason,
        "reschedule_requested": booking.cancellation_reason,
    }.get(kind)
    length = booking.end_time - booking.start_time
    series = extras.get("series") or {}
    occurrences = [
        span(start, start + length)
        for start in (datetime.fromisoformat(iso) for iso in series.get("cancelled") or [])
    ]
    rebook_path = extras.get("rebookPath")
    place = location_display(booking.location)
    booking_url = f"{settings.base_url}/booking/{quote(booking.uid, safe='')}"
    manage = extras.get("manage") if recipient.role == "attendee" and kind in MANAGEABLE else None
    reschedule_url = cancel_url = None
    if manage:
        if manage.get("reschedule"):
            reschedule_url = f"{settings.base_url}{manage['reschedule']}"
        if manage.get("cancel"):
            seat = next(
                (a.seat_uid for a in attendees if a.seat_uid and _same(a.email, recipient.email)),
                None,
            )
            cancel_url = f"{booking_url}?cancel=true" + (
                f"&seatReferenceUid={quote(seat, safe='')}" if seat else ""
            )
    subject = tr(subject_t) % fill
    context: dict[str, Any] = {
        "language": language,
        "subject": subject,
        "headline": tr(headline_t) % fill,
        "intro": tr(intro_t) % fill,
        "title": booking.title,
        "when": when,
        "time_zone": getattr(zone, "key", "UTC"),
        "previous_when": previous_when,
        "cancelled": ics_method(kind, recipient.role) == "CANCEL",
        "repeats": recurrence_text(extras["recurrence"], language)
        if extras.get("recurrence")
        else "",
        "occurrences": occurrences if len(occurrences) > 1 else [],
        "rebook_url": f"{settings.base_url}{rebook_path}"
        if rebook_path and recipient.role == "attendee"
        else None,
        "organizer": {"label": _label(organizer.name, organizer.email)},
        "attendees": [{"label": _label(a.name, a.email)} for a in attendees],
        "where": place.name if place else None,
        "where_link": place.link if place else None,
        "where_note": tr(_LINK_PENDING[recipient.role]) if place and place.link_pending else "",
        "reschedule_url": reschedule_url,
        "cancel_url": cancel_url,
        "description": booking.description,
        "reason": reason,
        "reason_label": tr(_REASON_LABELS[kind]) if kind in _REASON_LABELS else "",
        "booking_url": booking_url,
        "uid": booking.uid,
        "confirm_url": None,
        "decline_url": None,
    }
    if links and kind == "requested" and recipient.role == "host":
        context["confirm_url"] = links["confirm"]
        context["decline_url"] = links["decline"]

    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender(settings)
    message["To"] = Address(recipient.name or "", addr_spec=recipient.email)
    if recipient.role == "attendee":
        message["Reply-To"] = Address(organizer.name or "", addr_spec=organizer.email)
    elif booker is not None:
        message["Reply-To"] = Address(booker.name or "", addr_spec=booker.email)
    message["Date"] = format_datetime(utcnow())
    digest = hashlib.sha256(f"{booking.uid}|{kind}|{recipient.email}".encode()).hexdigest()
    message["Message-ID"] = make_msgid(idstring=digest[:16], domain=_domain(settings))
    message["X-Slotwise-Booking-Uid"] = booking.uid
    message["X-Slotwise-Email-Kind"] = kind
    message.set_content(render_template("booking.txt.j2", context))
    message.add_alternative(render_template("booking.html.j2", context), subtype="html")
    method = ics_method(kind, recipient.role)
    message.add_attachment(
        ics,
        maintype="text",
        subtype="calendar",
        filename=booking_ics_filename(method),
        params={"method": method, "charset": "utf-8"},
        cte="base64",
    )
    message["Content-Language"] = language  # after the parts: set_content drops Content-* headers
    return message


def booking_emails(
    kind: EmailKind,
    booking: Booking,
    attendees: Sequence[Attendee],
    organizer: User,
    *,
    settings: Settings,
    secret_key: bytes,
    previous: tuple[datetime, datetime] | None = None,
    extras: dict[str, Any] | None = None,
) -> list[EmailMessage]:
    """Every message of ``kind`` for ``booking`` (see :func:`recipients_for`), each with the
    iCalendar document of :func:`email_ics`.

    ``attendees``: booker first. ``secret_key``: signs the organizer's confirm/decline links
    (:func:`slotwise.email.tokens.resolve_secret_key`). ``previous``: old start/end of a
    rescheduled booking. ``extras``: see :func:`render_booking_email`. Pure apart from reading
    the clock.
    """
    links = action_links(booking, organizer, settings, secret_key) if kind == "requested" else None
    return [
        render_booking_email(
            kind,
            recipient,
            booking,
            attendees,
            organizer,
            settings=settings,
            ics=email_ics(
                kind,
                recipient.role,
                booking,
                attendees,
                organizer,
                public_url=settings.base_url,
                extras=extras,
            ),
            previous=previous,
            links=links,
            extras=extras,
        )
        for recipient in recipients_for(kind, attendees, organizer)
    ]


__all__ = [
    "EMAIL_KINDS",
    "MANAGEABLE",
    "EmailKind",
    "Recipient",
    "Role",
    "action_links",
    "booking_emails",
    "email_ics",
    "ics_method",
    "recipients_for",
    "recurrence_text",
    "render_booking_email",
    "render_template",
    "sender",
]
