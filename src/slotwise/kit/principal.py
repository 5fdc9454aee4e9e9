"""Who is calling: the :class:`Principal` of a request and its FastAPI dependencies.

Authentication produces a principal; authorization (``slotwise.policy``) asks questions about
it. Today the only kind is a user authenticated by API key (``kit/auth.py`` parses and checks the
key). The shape is ready for the callers to come: an OAuth client acting for a managed user, or
an access token limited to some scopes. The principal carries the user's accepted team
memberships, read once per request, so that ``slotwise.policy`` can answer team rules without
another query.

Dependencies, one way to authenticate:

- ``CurrentPrincipal`` / ``MaybePrincipal``: the principal (401 without or with a bad key /
  None without a key, 401 with a bad one);
- ``CurrentUser`` / ``MaybeUser``: the principal's user, for services that act as that user. They
  go through the principal dependencies, so ``kit/openapi.py`` sees the same security.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.auth import bearer_token, key_owner
from slotwise.kit.errors import Forbidden, Unauthorized
from slotwise.kit.session import DbSession
from slotwise.kit.websession import (
    CSRF_HEADER,
    SESSION_COOKIE,
    load_session,
    same_origin,
    tokens_match,
)
from slotwise.models import User

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

PrincipalKind = Literal["api_key", "session"]
"""How the principal authenticated: an API key, or the web app's session cookie (same-origin
requests only, ``kit/websession.py``). Later: ``"oauth_client"``, ``"access_token"``."""

NO_TOKEN = "No authorization token provided: send 'Authorization: Bearer <api key>'"


@dataclass(frozen=True)
class Membership:
    """The principal's accepted membership of a team (``role``: MEMBER, ADMIN or OWNER)."""

    team_id: int
    role: str


@dataclass(frozen=True)
class Principal:
    """An authenticated caller.

    ``user`` is the user the caller acts as (the key's owner today; the managed user of an OAuth
    client tomorrow). ``scopes`` None means unrestricted (an API key); a set limits the caller
    to those scopes. ``memberships`` are the teams the user belongs to.
    """

    user: User
    kind: PrincipalKind = "api_key"
    scopes: frozenset[str] | None = None
    memberships: tuple[Membership, ...] = ()

    @property
    def user_id(self) -> int:
        """The id of the user the principal acts as."""
        return self.user.id

    def is_user(self, user_id: int | None) -> bool:
        """True when the principal acts as the user ``user_id``."""
        return user_id is not None and self.user.id == user_id

    def team_role(self, team_id: int | None) -> str | None:
        """The principal's role in team ``team_id`` (accepted memberships only), or None."""
        for membership in self.memberships:
            if membership.team_id == team_id:
                return membership.role
        return None

    def has_scope(self, scope: str) -> bool:
        """True when the principal may use ``scope`` (always, for an API key)."""
        return self.scopes is None or scope in self.scopes


Actor = Principal | User
"""What policy functions accept while services still pass the acting user: either is read
through :func:`principal_of`."""


def principal_of(actor: Actor | None) -> Principal | None:
    """The principal of ``actor``: itself, or an API-key principal for a plain user."""
    if actor is None or isinstance(actor, Principal):
        return actor
    return Principal(user=actor)


async def optional_principal(request: Request, session: DbSession) -> Principal | None:
    """The request's principal, None when no credentials are sent; 401 for a bad key.

    Without a bearer token, the web app's session cookie authenticates same-origin requests
    (``Sec-Fetch-Site`` / ``Origin`` checked; a cross-site request is treated as anonymous);
    a write with it also needs the session's token in ``X-CSRF-Token`` (403 otherwise).
    """
    token = bearer_token(request)
    if token is None:
        return await _session_principal(request, session)
    found = await key_owner(session, token)
    if found is None:
        raise Unauthorized("Invalid API Key")
    user, teams = found
    principal = Principal(
        user=user, memberships=tuple(Membership(team_id, role) for team_id, role in teams)
    )
    request.state.user_id = user.id
    request.state.principal = principal
    return principal


async def _session_principal(request: Request, session: AsyncSession) -> Principal | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    host_url = f"{request.url.scheme}://{request.url.netloc}"
    site, origin = request.headers.get("sec-fetch-site"), request.headers.get("origin")
    if not same_origin(site, origin, host_url):
        return None
    found = await load_session(session, cookie)
    if found is None:
        return None
    user, web_session, teams = found
    if request.method not in _SAFE_METHODS and not tokens_match(
        web_session.csrf_secret, request.headers.get(CSRF_HEADER)
    ):
        raise Forbidden(f"Missing or invalid {CSRF_HEADER} header for a session-cookie request")
    principal = Principal(
        user=user,
        kind="session",
        memberships=tuple(Membership(team_id, role) for team_id, role in teams),
    )
    request.state.user_id = user.id
    request.state.principal = principal
    return principal


async def required_principal(
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    """The request's principal; 401 when no or an invalid key is sent."""
    if principal is None:
        raise Unauthorized(NO_TOKEN)
    return principal


async def _required_user(principal: Annotated[Principal, Depends(required_principal)]) -> User:
    return principal.user


async def _optional_user(
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> User | None:
    return None if principal is None else principal.user


CurrentPrincipal = Annotated[Principal, Depends(required_principal)]
MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]
CurrentUser = Annotated[User, Depends(_required_user)]
MaybeUser = Annotated[User | None, Depends(_optional_user)]
