"""Wiring emails to booking changes through the jobs table.

:func:`enqueue_booking_emails` is a :mod:`slotwise.bookings.history` hook (installed by
:func:`slotwise.hooks.install_hooks`): in the change's
own transaction it adds one ``email.send`` job per recipient, carrying a snapshot of the
booking at that moment (so a committed change always has its emails and a rolled-back one
never does). The handler renders the message with the worker's settings (public URL, sender,
secret key) and sends it (SMTP or outbox).

A recurring series cancelled in one request (by its uid, or ``cancelSubsequentBookings``)
records one ``cancelled`` event per occurrence: the first enqueues the emails and the later ones
of the same transaction add their occurrence to those jobs, so each recipient gets one email
listing every cancelled occurrence (as Cal.com sends one per series).

Before sending, the handler re-reads the booking's status: an email announcing a booking
(created, requested, confirmed, rescheduled) is dropped once the booking has been cancelled
or declined, since that later email supersedes it. Delivery is at least once: a worker that
dies after the SMTP server accepted a message sends it again, with the same Message-ID.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any
from weakref import WeakKeyDictionary

import aiosmtplib
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.email.messages import EMAIL_KINDS, EmailKind, Recipient
from slotwise.email.service import planned_emails, render_planned
from slotwise.email.tokens import resolve_secret_key
from slotwise.email.transport import send_message
from slotwise.jobs import JobContext, PermanentJobError, enqueue, job_handler
from slotwise.kit.db import transaction
from slotwise.models import Booking, BookingEvent, Job

log = logging.getLogger("slotwise.email")

EMAIL_SEND = "email.send"
_ANNOUNCING = frozenset({"created", "requested", "confirmed", "rescheduled"})
_SERIES_JOBS = "slotwise.email.series_cancel_jobs"

# per transaction: recurring uid -> the cancellation jobs enqueued for that series
_SeriesJobs = WeakKeyDictionary[Any, dict[str, list[Job]]]


def _series_jobs(session: AsyncSession) -> dict[str, list[Job]]:
    """The series-cancellation jobs enqueued in ``session``'s current transaction."""
    registry: _SeriesJobs = session.info.setdefault(_SERIES_JOBS, WeakKeyDictionary())
    transaction = session.sync_session.get_transaction()
    assert transaction is not None  # hooks run inside the change's transaction
    return registry.setdefault(transaction, {})


def _add_occurrence(job: Job, start_iso: str) -> None:
    """Add a cancelled occurrence to a series-cancellation job (a new payload object, so the
    change is written)."""
    payload = dict(job.payload)
    extras = dict(payload["extras"])
    series = dict(extras["series"])
    series["cancelled"] = sorted({*series["cancelled"], start_iso})
    extras["series"] = series
    payload["extras"] = extras
    job.payload = payload


async def enqueue_booking_emails(
    session: AsyncSession, booking: Booking, event: BookingEvent
) -> None:
    """Enqueue the ``email.send`` jobs of ``event`` (one per recipient, see
    :func:`slotwise.email.service.planned_emails`; none for actions that send no email), in
    the caller's transaction. Later occurrences of a series cancelled in the same transaction
    join the first one's jobs instead."""
    series_uid = booking.recurring_booking_uid if event.action == "cancelled" else None
    if series_uid is not None:
        earlier = _series_jobs(session).get(series_uid)
        if earlier:
            for job in earlier:
                _add_occurrence(job, booking.start_time.isoformat())
            await session.flush()
            return
    jobs = []
    # The keys name ``event``, created in this transaction: no other job can hold one, so
    # repeats (one recipient planned twice) are caught here without a lookup per job.
    queued: dict[str, Job] = {}
    for planned in await planned_emails(session, booking, event):
        key = f"email:{event.id}:{planned.recipient.email.lower()}"
        if key not in queued:
            queued[key] = await enqueue(
                session,
                EMAIL_SEND,
                {"kind": planned.kind, "recipient": asdict(planned.recipient), **planned.snapshot},
                dedupe_key=key,
                check_existing=False,
            )
        jobs.append(queued[key])
    if series_uid is not None and jobs and jobs[0].payload.get("extras", {}).get("series"):
        _series_jobs(session)[series_uid] = jobs


async def _superseded(ctx: JobContext, kind: str, uid: str) -> bool:
    if kind not in _ANNOUNCING:
        return False
    async with transaction(ctx.db, write=False) as session:
        status = await session.scalar(select(Booking.status).where(Booking.uid == uid))
    return status in ("cancelled", "rejected")


@job_handler(EMAIL_SEND)
async def send_booking_email(payload: dict[str, Any], ctx: JobContext) -> None:
    """Render and send one booking email (payload from :func:`enqueue_booking_emails`).

    Raises PermanentJobError for a malformed payload or when the server refuses the recipient
    or the message for good (5xx other than a failed login); other SMTP and network errors,
    and login failures, are retried.
    """
    try:
        kind = payload["kind"]
        if kind not in EMAIL_KINDS:
            raise ValueError(f"unknown email kind {kind!r}")
        email_kind: EmailKind = kind
        recipient = Recipient(**payload["recipient"])
        uid = str(payload["booking"]["uid"])
    except (KeyError, TypeError, ValueError) as exc:
        raise PermanentJobError(f"malformed email job: {exc}") from exc
    if await _superseded(ctx, email_kind, uid):
        log.info("email %s for booking %s dropped: booking since cancelled", kind, uid)
        return
    settings = ctx.settings
    try:
        message = render_planned(
            email_kind,
            recipient,
            payload,
            settings=settings,
            secret_key=resolve_secret_key(settings),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise PermanentJobError(f"malformed email job: {exc}") from exc
    try:
        await send_message(message, settings)
    except (aiosmtplib.SMTPRecipientsRefused, aiosmtplib.SMTPSenderRefused) as exc:
        raise PermanentJobError(f"refused by the mail server: {exc}") from exc
    except aiosmtplib.SMTPAuthenticationError:
        raise  # a configuration error: retried, so fixing the credentials recovers the email
    except aiosmtplib.SMTPResponseException as exc:
        if 500 <= exc.code < 600:
            raise PermanentJobError(f"refused by the mail server: {exc}") from exc
        raise
