"""Dynamic group pages, as Cal.com: ``GET /{user1}+{user2}`` and the group Booker at
``/{user1}+{user2}/{slug}`` (``GET``, ``POST``), for two or more users joined by ``+``.

- ``/{user1}+{user2}`` redirects (307, the query kept) to ``/{user1}+{user2}/dynamic``, as
  Cal.com's profile page does for a group.
- The Booker books Cal.com's dynamic group event whatever the slug (``getDefaultEvent``
  returns it for any slug): "Group Meeting", 30 minutes with 15/30/45/60/90 to choose from,
  120 minutes of notice, Cal Video; every user must be free (collective), each in their own
  time zone and schedule. The host label lists the users' names, with a badge for each.
  Slots come from the slot service with ``usernames`` (as ``GET /v2/slots?usernames=a,b``) and
  ``POST`` books through the booking service with the ``usernames`` extension field of
  ``POST /v2/bookings`` (docs/extensions.md). The Booker starts from the first user's
  settings; no slot reservation is made while the form is open (reservations need an event
  type id).

Unknown users (any of them), or fewer than two different users, get the HTML 404 page. Each
name follows the rules of ``{username}`` (never a reserved first segment), so these routes
cannot hide an API path or a personal page (``+`` is never part of a username).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.convertors import Convertor, register_url_convertor

from slotwise.event_types.output import CAL_VIDEO, DYNAMIC_LENGTHS, DYNAMIC_SLUG
from slotwise.event_types.repository import existing_users_by_usernames
from slotwise.kit.session import DbSession
from slotwise.models import EventType, User
from slotwise.pages.render import not_found, page_context
from slotwise.pages.routes import Loaded, UsernameConvertor, booker_view, submit_booking
from slotwise.pages.team import user_avatar
from slotwise.slots.service import DYNAMIC_LENGTH, DYNAMIC_NOTICE

# A username segment as in ``{username}``, also never a reserved name followed by ``+``.
_NAME = UsernameConvertor.regex.replace("(?:/|$)", "(?:[+/]|$)", 1)


class GroupConvertor(Convertor[str]):
    """Two or more username segments joined by ``+`` (``alice+bob``), each one a possible
    username that is not a reserved first segment (split by :func:`split_group`)."""

    regex = f"{_NAME}(?:\\+{_NAME})+"

    def convert(self, value: str) -> str:
        """The segment as given."""
        return value

    def to_string(self, value: str) -> str:
        """The segment as given."""
        return value


def split_group(segment: str) -> list[str]:
    """The usernames of ``alice+Bob`` in lower case, in the order given: ``["alice", "bob"]``."""
    return [v.lower() for v in segment.split("+")]


register_url_convertor("pagegroup", GroupConvertor())
router = APIRouter(include_in_schema=False)
_CLEAN_SLUG = re.compile(r"[^a-z0-9-]+")


def dynamic_event_type(slug: str) -> EventType:
    """Cal.com's dynamic group event (not stored, id 0) under ``slug``: "Group Meeting",
    :data:`~slotwise.slots.service.DYNAMIC_LENGTH` minutes with
    :data:`~slotwise.event_types.output.DYNAMIC_LENGTHS` to choose from, Cal Video,
    :data:`~slotwise.slots.service.DYNAMIC_NOTICE` minutes of notice."""
    return EventType(
        id=0,
        user_id=None,
        slug=slug,
        title="Group Meeting",
        length=DYNAMIC_LENGTH,
        hidden=False,
        schedule_id=None,
        config={
            "lengthInMinutesOptions": list(DYNAMIC_LENGTHS),
            "locations": [dict(CAL_VIDEO)],
            "minimumBookingNotice": DYNAMIC_NOTICE,
        },
    )


async def group_users(session: AsyncSession, usernames: list[str]) -> list[User] | None:
    """The users named (each once, in the order given), or None when one is unknown or fewer
    than two different users are named."""
    wanted = list(dict.fromkeys(usernames))
    users = await existing_users_by_usernames(session, wanted)
    if len(users) != len(wanted) or len(users) < 2:
        return None
    return users


@router.get("/{usernames:pagegroup}")
async def group_profile(usernames: str, request: Request, session: DbSession) -> Response:
    """307 to the group's Booker ``/{user1}+{user2}/dynamic`` (the query kept), as Cal.com."""
    users = await group_users(session, split_group(usernames))
    if users is None:
        return not_found(page_context(request), "user")
    path = "/" + quote("+".join(u.username for u in users), safe="+") + f"/{DYNAMIC_SLUG}"
    query = request.url.query
    return RedirectResponse(f"{path}?{query}" if query else path, status_code=307)


async def load_group(
    session: AsyncSession, request: Request, usernames: str, slug: str
) -> Loaded | Response:
    """Resolve ``/{user1}+{user2}/{slug}`` (``usernames``: the first segment) to the dynamic
    group event of those users, or the 404 page."""
    users = await group_users(session, split_group(usernames))
    if users is None:
        return not_found(page_context(request), "user")
    clean = _CLEAN_SLUG.sub("-", slug.lower()).strip("-")[:100] or DYNAMIC_SLUG
    ctx = page_context(request, users[0].locale)
    names = [u.username for u in users]
    return Loaded(
        users[0],
        dynamic_event_type(clean),
        ctx,
        f"/{'+'.join(names)}/{clean}",
        heading=", ".join(u.name or u.username for u in users),
        avatars=[user_avatar(u) for u in users],
        usernames=names,
    )


@router.get("/{usernames:pagegroup}/{event_slug}")
async def group_booker(
    usernames: str, event_slug: str, request: Request, session: DbSession
) -> Response:
    """The Booker of the group's dynamic event, with the personal Booker's deep links (the
    lengths 15/30/45/60/90 as ``duration``) and embed mode."""
    loaded = await load_group(session, request, usernames, event_slug)
    if isinstance(loaded, Response):
        return loaded
    return await booker_view(session, request, loaded)


@router.post("/{usernames:pagegroup}/{event_slug}")
async def group_book(usernames: str, event_slug: str, request: Request) -> Response:
    """Book the ``slot`` of the URL for every user of the group (``usernames`` of
    ``POST /v2/bookings``) or move ``rescheduleUid`` there; 303 to the booking page, else the
    Booker with the reasons."""

    async def load(session: AsyncSession) -> Loaded | Response:
        return await load_group(session, request, usernames, event_slug)

    return await submit_booking(request, load)
