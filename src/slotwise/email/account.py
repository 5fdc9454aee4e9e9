"""Account emails of the web app: the password reset link and the email verification link.

:func:`enqueue_account_email` adds an ``email.account`` job in the caller's transaction (the
request that asked for it); the handler signs the link when it sends
(:mod:`slotwise.users.links`: the link carries the account's state at that moment), renders
``account.txt.j2``/``account.html.j2`` in the user's language and sends it (SMTP or the outbox,
:mod:`slotwise.email.transport`). The job's payload holds no link: the jobs table never stores
a working secret.
"""

from __future__ import annotations

import hashlib
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any, get_args

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.config import Settings
from slotwise.email.i18n import N_, negotiate, translations
from slotwise.email.messages import render_template, sender
from slotwise.email.tokens import resolve_secret_key
from slotwise.email.transport import send_message
from slotwise.jobs import JobContext, PermanentJobError, enqueue, job_handler
from slotwise.kit.db import transaction
from slotwise.models import User, utcnow
from slotwise.users.links import LINK_LIFETIME, LinkPurpose, sign_link

ACCOUNT_EMAIL = "email.account"

_TEXTS: dict[str, dict[str, str]] = {
    "reset-password": {
        "subject": N_("Reset your Slotwise password"),
        "headline": N_("Reset your password"),
        "intro": N_(
            "Someone asked to reset the password of your Slotwise account %(username)s. "
            "Choose a new password with the link below; it works once, for one hour."
        ),
        "button": N_("Choose a new password"),
        "ignore": N_("If you did not ask for this, ignore this email: your password stays."),
    },
    "verify-email": {
        "subject": N_("Confirm your email address for Slotwise"),
        "headline": N_("Confirm your email address"),
        "intro": N_(
            "Welcome to Slotwise, %(username)s. Confirm that this is your email address to "
            "start using your account; the link works for two days."
        ),
        "button": N_("Confirm my email address"),
        "ignore": N_("If you did not create this account, ignore this email."),
    },
}
_PATHS: dict[str, str] = {
    "reset-password": "/app/reset-password/",
    "verify-email": "/app/verify-email/",
}


def account_link(settings: Settings, purpose: LinkPurpose, token: str) -> str:
    """The absolute URL of an account link."""
    return f"{settings.base_url}{_PATHS[purpose]}{token}"


def render_account_email(
    purpose: LinkPurpose, user: User, url: str, settings: Settings, language: str | None
) -> EmailMessage:
    """The message carrying ``url`` (a signed link for ``purpose``) to ``user``, in
    ``language`` (negotiated; the user's locale when None)."""
    lang = negotiate(language or user.locale)
    tr = translations(lang).gettext
    texts = _TEXTS[purpose]
    context: dict[str, Any] = {
        "language": lang,
        "subject": tr(texts["subject"]),
        "headline": tr(texts["headline"]),
        "intro": tr(texts["intro"]) % {"username": user.username},
        "button": tr(texts["button"]),
        "ignore": tr(texts["ignore"]),
        "url": url,
    }
    message = EmailMessage()
    message["Subject"] = context["subject"]
    message["From"] = sender(settings)
    message["To"] = Address(user.name or "", addr_spec=user.email)
    message["Date"] = format_datetime(utcnow())
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    domain = settings.base_url.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    message["Message-ID"] = make_msgid(idstring=digest, domain=domain or "localhost")
    message["X-Slotwise-Email-Kind"] = purpose
    message.set_content(render_template("account.txt.j2", context))
    message.add_alternative(render_template("account.html.j2", context), subtype="html")
    message["Content-Language"] = lang
    return message


async def enqueue_account_email(
    session: AsyncSession, user: User, purpose: LinkPurpose, language: str | None = None
) -> None:
    """Add the job that emails ``user`` a ``purpose`` link (in the caller's transaction)."""
    await enqueue(
        session,
        ACCOUNT_EMAIL,
        {"purpose": purpose, "userId": user.id, "language": language},
        max_attempts=5,
    )


@job_handler(ACCOUNT_EMAIL)
async def send_account_email(payload: dict[str, Any], ctx: JobContext) -> None:
    """Sign the link now, render the email and send it; a deleted user is skipped."""
    given = payload.get("purpose")
    if given not in get_args(LinkPurpose) or not isinstance(payload.get("userId"), int):
        raise PermanentJobError(f"malformed account email job: {payload!r}")
    purpose: LinkPurpose = "reset-password" if given == "reset-password" else "verify-email"
    async with transaction(ctx.db, write=False) as session:
        user = await session.get(User, payload["userId"])
        if user is None:
            return
        key = resolve_secret_key(ctx.settings)
        token = sign_link(key, purpose, user, utcnow())
        message = render_account_email(
            purpose,
            user,
            account_link(ctx.settings, purpose, token),
            ctx.settings,
            payload.get("language"),
        )
    await send_message(message, ctx.settings)


__all__ = [
    "ACCOUNT_EMAIL",
    "LINK_LIFETIME",
    "account_link",
    "enqueue_account_email",
    "render_account_email",
]
