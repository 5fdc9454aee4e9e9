"""The Booker of a private link: ``GET``/``POST /d/{linkId}/{eventSlug}``.

A private link (``/v2/event-types/{id}/private-links``,
:mod:`slotwise.event_types.private_links`) opens the Booker of its event type, hidden or not, at
its own path, so every link the page
builds (months, days, times, the form) stays on ``/d/{linkId}/{eventSlug}``. A booking made on
the page carries the link's id (``privateLinkId``), so the booking service counts one use in the
booking's own transaction, atomically: concurrent bookings never use a link more often than
allowed, and a refused booking uses nothing. Rescheduling from the page (``rescheduleUid``)
moves an existing booking and counts no use.

Errors, as HTML pages: an unknown link, or a slug that is not the link's event type's → 404;
an expired or used-up link → 410 (on ``GET``, and on ``POST`` also when another booking used
the last use in the meantime). Cal.com answers 404 for all of them; the page says which.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.event_types.private_links import EXPIRED, is_expired, link_by_id
from slotwise.kit import clock
from slotwise.kit.errors import SlotwiseError
from slotwise.kit.session import DbSession
from slotwise.models import EventType, User
from slotwise.pages.render import PageContext, page_context, render
from slotwise.pages.routes import Loaded, booker_view, submit_booking

router = APIRouter(include_in_schema=False)


def link_unavailable(ctx: PageContext, reason: str) -> Response:
    """The HTML page of a private link that cannot be used: ``reason`` ``"unknown"`` (404) or
    ``"expired"`` (410: past ``expiresAt`` or no uses left)."""
    status = 410 if reason == "expired" else 404
    return render(ctx, "link_unavailable.html", status_code=status, reason=reason)


async def load_link(
    session: AsyncSession, request: Request, link_id: str, slug: str
) -> Loaded | Response:
    """Resolve ``/d/{link_id}/{slug}`` to the link's event type and host, or the error page."""
    link = await link_by_id(session, link_id)
    event_type = await session.get(EventType, link.event_type_id) if link is not None else None
    if link is None or event_type is None or event_type.slug != slug:
        return link_unavailable(page_context(request), "unknown")
    user = await session.get(User, event_type.user_id)
    if user is None:
        return link_unavailable(page_context(request), "unknown")
    ctx = page_context(request, user.locale, user.metadata_)
    if is_expired(link, clock.now()):
        return link_unavailable(ctx, "expired")
    return Loaded(
        user, event_type, ctx, f"/d/{link.link_id}/{event_type.slug}", private_link_id=link.link_id
    )


@router.get("/d/{link_id}/{event_slug}")
async def private_booker(
    link_id: str, event_slug: str, request: Request, session: DbSession
) -> Response:
    """The Booker of the link's event type (the same page and deep-link parameters as
    ``/{username}/{eventSlug}``); 404/410 pages for an unknown or used-up link."""
    loaded = await load_link(session, request, link_id, event_slug)
    if isinstance(loaded, Response):
        return loaded
    return await booker_view(session, request, loaded)


def _refused(loaded: Loaded, exc: SlotwiseError) -> Response | None:
    if exc.message == EXPIRED:  # the last use went to another booking meanwhile
        return link_unavailable(loaded.ctx, "expired")
    return None


@router.post("/d/{link_id}/{event_slug}")
async def private_book(link_id: str, event_slug: str, request: Request) -> Response:
    """Book the ``slot`` of the URL through the link (one use counted with the booking); 303 to
    the booking page, the Booker again with the reasons, or the 404/410 link page."""

    async def load(session: AsyncSession) -> Loaded | Response:
        return await load_link(session, request, link_id, event_slug)

    return await submit_booking(request, load, _refused)
