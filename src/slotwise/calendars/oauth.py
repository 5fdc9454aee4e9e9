"""OAuth connections (Google, Outlook / Office 365): GET /v2/calendars/{calendar}/connect and
the callback GET /v2/calendars/{calendar}/save.

- ``connect`` answers ``{authUrl}``: the provider's consent page with a **signed state**
  (``<payload>.<signature>``: URL-safe base64 JSON ``{u: user id, c: calendar, r: redir, e:
  expiry}`` and an HMAC-SHA256 with a key derived from the installation secret key; valid 15
  minutes), and the redirect URI ``{SLOTWISE_PUBLIC_URL}/v2/calendars/{calendar}/save``.
  Without the provider's client id and secret it answers 400 naming the settings.
  Outlook's connect and save work the same way with Microsoft's endpoints.
- ``save`` checks the state, exchanges the code, lists the calendars once (refused: 400,
  nothing stored), stores the tokens encrypted (one connection per Google account: the same
  account connected again gets new tokens), selects the primary calendar (as Cal.com does on
  Google connect), then redirects (301, Cal.com's) to ``redir`` or answers ``{"status":
  "success"}``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.calendars import google, outlook
from slotwise.calendars.base import APP_IDS, GOOGLE, OFFICE365, CalendarError
from slotwise.calendars.connections import credential_key, dump_key
from slotwise.config import Settings
from slotwise.email.tokens import resolve_secret_key
from slotwise.kit.errors import BadRequest
from slotwise.models import CalendarCredential, SelectedCalendar, User

STATE_SECONDS = 15 * 60
_PURPOSE = b"slotwise/calendars/oauth-state/v1"
OAUTH_CALENDARS = ("google", "office365")


def _key(settings: Settings) -> bytes:
    return hmac.new(resolve_secret_key(settings), _PURPOSE, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def sign_state(settings: Settings, user_id: int, calendar: str, redir: str | None) -> str:
    """A state for ``user_id`` connecting ``calendar`` (then redirected to ``redir``)."""
    payload = _b64(
        json.dumps(
            {"u": user_id, "c": calendar, "r": redir, "e": int(time.time()) + STATE_SECONDS},
            separators=(",", ":"),
        ).encode()
    )
    signature = _b64(hmac.new(_key(settings), payload.encode(), hashlib.sha256).digest())
    return f"{payload}.{signature}"


def verify_state(settings: Settings, state: str, calendar: str) -> dict[str, Any]:
    """The payload of a state :func:`sign_state` wrote for ``calendar``; 400 otherwise."""
    payload, _, signature = state.partition(".")
    expected = _b64(hmac.new(_key(settings), payload.encode(), hashlib.sha256).digest())
    if not signature or not hmac.compare_digest(signature, expected):
        raise BadRequest("Invalid OAuth state: start again from /v2/calendars/{calendar}/connect")
    try:
        data: dict[str, Any] = json.loads(
            base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        )
    except ValueError:
        raise BadRequest("Invalid OAuth state") from None
    if data.get("c") != calendar or int(data.get("e", 0)) < time.time():
        raise BadRequest("Expired OAuth state: start again from /v2/calendars/{calendar}/connect")
    return data


def redirect_uri(settings: Settings, base_url: str, calendar: str) -> str:
    """``{SLOTWISE_PUBLIC_URL or this server}/v2/calendars/{calendar}/save``."""
    root = (settings.public_url or base_url).rstrip("/")
    return f"{root}/v2/calendars/{calendar}/save"


def _google_client(settings: Settings) -> tuple[str, str]:
    secret = settings.google_client_secret
    if not settings.google_client_id or secret is None:
        raise BadRequest(
            "Google Calendar is not configured on this server: set SLOTWISE_GOOGLE_CLIENT_ID "
            "and SLOTWISE_GOOGLE_CLIENT_SECRET"
        )
    return settings.google_client_id, secret.get_secret_value()


def _microsoft_client(settings: Settings) -> tuple[str, str]:
    secret = settings.microsoft_client_secret
    if not settings.microsoft_client_id or secret is None:
        raise BadRequest(
            "Outlook is not configured on this server: set SLOTWISE_MICROSOFT_CLIENT_ID "
            "and SLOTWISE_MICROSOFT_CLIENT_SECRET"
        )
    return settings.microsoft_client_id, secret.get_secret_value()


def connect_url(
    settings: Settings, user: User, calendar: str, redir: str | None, base_url: str
) -> str:
    """The consent page URL for ``calendar`` (``google`` or ``office365``). 400 naming the
    settings when the provider is not configured, or for a ``redir`` that is not http(s)."""
    if calendar not in OAUTH_CALENDARS:
        raise BadRequest("Invalid calendar type, available calendars are: google, office365")
    if redir and not redir.startswith(("http://", "https://")):
        raise BadRequest("redir must be an http(s) URL")
    state = sign_state(settings, user.id, calendar, redir or None)
    back = redirect_uri(settings, base_url, calendar)
    if calendar == "office365":
        client_id, _secret = _microsoft_client(settings)
        return outlook.authorization_url(client_id, back, state)
    client_id, _secret = _google_client(settings)
    return google.authorization_url(client_id, back, state)


async def save_oauth(
    session: AsyncSession,
    settings: Settings,
    calendar: str,
    *,
    state: str,
    code: str | None,
    error: str | None,
    base_url: str,
) -> str | None:
    """Finish a Google or Outlook connection (module docstring); returns ``redir`` (None: none
    given)."""
    if calendar not in OAUTH_CALENDARS:
        raise BadRequest("Invalid calendar type, available calendars are: google, office365")
    data = verify_state(settings, state, calendar)
    name = "Google" if calendar == "google" else "Microsoft"
    if error or not code:
        raise BadRequest(f"{name} did not grant access: {error or 'no code'}")
    user = await session.get(User, int(data["u"]))
    if user is None:
        raise BadRequest("Invalid OAuth state: the user is gone")
    type_ = GOOGLE if calendar == "google" else OFFICE365
    module: Any = google if calendar == "google" else outlook
    client_id, secret = (
        _google_client(settings) if calendar == "google" else _microsoft_client(settings)
    )
    try:
        tokens = await module.exchange_code(
            code,
            client_id=client_id,
            client_secret=secret,
            redirect_uri=redirect_uri(settings, base_url, calendar),
            timeout=settings.calendar_timeout_seconds,
        )
        provider_class = google.GoogleProvider if calendar == "google" else outlook.OutlookProvider
        probe = provider_class(
            tokens,
            credential_id=0,
            client_id=client_id,
            client_secret=secret,
            timeout=settings.calendar_timeout_seconds,
        )
        listed = await probe.list_calendars()
    except CalendarError as exc:
        raise BadRequest(f"Could not add this {name} calendar account: {exc}") from None
    finally:
        module.TOKENS.pop(0, None)
    primary = next((c for c in listed if c.primary), listed[0] if listed else None)
    account = primary.external_id if primary else None
    existing = await session.scalars(
        select(CalendarCredential).where(
            CalendarCredential.user_id == user.id, CalendarCredential.type == type_
        )
    )
    credential = next((c for c in existing if credential_key(c).get("account") == account), None)
    key = dump_key({**tokens, "account": account})
    if credential is None:
        credential = CalendarCredential(
            user_id=user.id, type=type_, app_id=APP_IDS[type_], key=key, invalid=False
        )
        session.add(credential)
    else:
        if not tokens.get("refresh_token"):  # Google sends one only on the first consent
            old = credential_key(credential).get("refresh_token")
            key = dump_key({**tokens, "refresh_token": old, "account": account})
        credential.key = key
        credential.invalid = False
    await session.flush()
    module.TOKENS.pop(credential.id, None)
    if primary is not None:
        taken = await session.scalar(
            select(SelectedCalendar.id).where(
                SelectedCalendar.user_id == user.id,
                SelectedCalendar.integration == type_,
                SelectedCalendar.external_id == primary.external_id,
            )
        )
        if taken is None:
            session.add(
                SelectedCalendar(
                    user_id=user.id,
                    credential_id=credential.id,
                    integration=type_,
                    external_id=primary.external_id,
                )
            )
            await session.flush()
    redir = data.get("r")
    return str(redir) if redir else None
