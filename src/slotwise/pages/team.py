"""Team booking pages: ``GET /team/{teamSlug}`` and the team Booker at
``/team/{teamSlug}/{eventSlug}`` (``GET``, ``POST``).

- The profile shows the team's name, initials badge and bio, its public event types (not
  hidden, not a managed template: Cal.com's team view) each with the badges of its hosts, and
  its accepted members (none for a team whose profile sets ``isPrivate``, as Cal.com hides
  them).
- The Booker is the personal Booker (:func:`slotwise.pages.routes.booker_view`) on the team's
  event type: the host label is the team's name; beside it the team's badge and, for a
  collective event type, every host's (Cal.com's event members; round robin shows the team
  alone, since who hosts is chosen when booking). Slots come from the slot service for the
  event type (every host free for collective, one of each round-robin group for round robin);
  ``POST`` books through the booking service exactly as ``POST /v2/bookings`` with the
  ``eventTypeId`` does, so the service picks the round-robin host.
- Both pages use the team profile's ``theme``, ``brandColor`` and ``darkBrandColor`` unless
  the query sets them (Cal.com's team branding).
- The Booker starts from the first host's settings (time zone until the browser's is known,
  12h/24h, week start); without hosts from the team profile's ``timeZone`` (else UTC).

404 pages: an unknown team slug, an organization or a sub-team of one (organizations come
later; Cal.com answers 404 for them without an organization domain), an unknown event type
slug and a managed template (not bookable).
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.session import DbSession
from slotwise.models import EventType, Host, Membership, Team, User
from slotwise.pages.render import Avatar, avatar_of, not_found, page_context, render
from slotwise.pages.routes import Loaded, booker_view, submit_booking
from slotwise.users.avatars import local_avatar_path

router = APIRouter(include_in_schema=False)

MANAGED = "managed"
COLLECTIVE = "collective"


async def team_by_slug(session: AsyncSession, slug: str) -> Team | None:
    """The team whose ``slug`` is ``slug`` (as given or in lower case), or None; organizations
    and teams inside one are None too (their pages come with organizations)."""
    wanted = slug.strip()[:200]
    team = await session.scalar(
        select(Team).where(Team.slug.in_({wanted, wanted.lower()})).order_by(Team.id).limit(1)
    )
    if team is None or team.is_organization or team.parent_id is not None:
        return None
    return team


async def public_event_types(session: AsyncSession, team_id: int) -> Sequence[EventType]:
    """The event types the team's page lists: not hidden and not a managed template, by
    ``position`` (highest first) then creation."""
    return (
        await session.scalars(
            select(EventType)
            .where(
                EventType.team_id == team_id,
                EventType.hidden.is_(False),
                or_(EventType.scheduling_type.is_(None), EventType.scheduling_type != MANAGED),
            )
            .order_by(EventType.position.desc(), EventType.id)
        )
    ).all()


async def hosts_of(session: AsyncSession, event_type_ids: Sequence[int]) -> dict[int, list[User]]:
    """The host users of each event type (in the order they were added), in one query."""
    out: dict[int, list[User]] = {i: [] for i in event_type_ids}
    if not event_type_ids:
        return out
    rows = await session.execute(
        select(Host.event_type_id, User)
        .join(User, User.id == Host.user_id)
        .where(Host.event_type_id.in_(list(event_type_ids)))
        .order_by(Host.id)
    )
    for event_type_id, user in rows.all():
        out[event_type_id].append(user)
    return out


async def accepted_members(session: AsyncSession, team_id: int) -> Sequence[User]:
    """The users with an accepted membership of the team, in the order they joined."""
    return (
        await session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.team_id == team_id, Membership.accepted.is_(True))
            .order_by(Membership.id)
        )
    ).all()


def user_avatar(user: User) -> Avatar:
    """The badge of ``user`` (their name, else their username; their uploaded picture when
    they have one)."""
    return avatar_of(user.name or user.username, image=local_avatar_path(user.avatar_url))


def team_avatar(team: Team) -> Avatar:
    """The badge of ``team``."""
    return avatar_of(team.name, "team")


def _profile_text(team: Team, key: str) -> str | None:
    value = (team.profile or {}).get(key)
    return value if isinstance(value, str) and value.strip() else None


@router.get("/team/{team_slug}")
async def team_profile(team_slug: str, request: Request, session: DbSession) -> Response:
    """The team's name, bio, public event types (with their hosts' badges) and members."""
    team = await team_by_slug(session, team_slug)
    if team is None:
        return not_found(page_context(request), "team")
    members = await accepted_members(session, team.id)
    ctx = page_context(request, members[0].locale if members else None, team.profile)
    event_types = await public_event_types(session, team.id)
    hosts = await hosts_of(session, [et.id for et in event_types])
    private = bool((team.profile or {}).get("isPrivate"))
    return render(
        ctx,
        "team.html",
        team=team,
        team_avatar=team_avatar(team),
        bio=_profile_text(team, "bio"),
        event_types=event_types,
        host_avatars={
            et.id: [] if private else [user_avatar(u) for u in hosts[et.id]] for et in event_types
        },
        members=[] if private else [(user_avatar(u), u) for u in members],
    )


async def load_team_event(
    session: AsyncSession, request: Request, team_slug: str, slug: str
) -> Loaded | Response:
    """Resolve ``/team/{team_slug}/{slug}`` to the team event type and its hosts, or a 404
    page (see the module docstring)."""
    team = await team_by_slug(session, team_slug)
    if team is None:
        return not_found(page_context(request), "team")
    event_type = await session.scalar(
        select(EventType).where(EventType.team_id == team.id, EventType.slug == slug)
    )
    hosts = (await hosts_of(session, [event_type.id]))[event_type.id] if event_type else []
    ctx = page_context(request, hosts[0].locale if hosts else None, team.profile)
    if event_type is None or event_type.scheduling_type == MANAGED:
        return not_found(ctx, "event")
    starts_from = hosts[0] if hosts else _placeholder_user(team)
    avatars = [team_avatar(team)]
    if event_type.scheduling_type == COLLECTIVE:
        avatars += [user_avatar(u) for u in hosts]
    return Loaded(
        starts_from,
        event_type,
        ctx,
        f"/team/{team.slug}/{event_type.slug}",
        heading=team.name,
        avatars=avatars,
        team=team,
    )


def _placeholder_user(team: Team) -> User:
    """An unsaved user carrying the team's time zone, for a team event type without hosts
    (the Booker then shows no times)."""
    zone = _profile_text(team, "timeZone") or "UTC"
    return User(username="", name=team.name, time_zone=zone, time_format=12, week_start="Sunday")


@router.get("/team/{team_slug}/{event_slug}")
async def team_booker(
    team_slug: str, event_slug: str, request: Request, session: DbSession
) -> Response:
    """The Booker of the team's event type ``event_slug`` (hidden ones too: hidden only keeps
    them off the team's page), with the personal Booker's deep links and embed mode."""
    loaded = await load_team_event(session, request, team_slug, event_slug)
    if isinstance(loaded, Response):
        return loaded
    return await booker_view(session, request, loaded)


@router.post("/team/{team_slug}/{event_slug}")
async def team_book(team_slug: str, event_slug: str, request: Request) -> Response:
    """Book the ``slot`` of the URL with the submitted form (or move ``rescheduleUid`` there)
    through the booking service; 303 to the booking page, else the Booker with the reasons."""

    async def load(session: AsyncSession) -> Loaded | Response:
        return await load_team_event(session, request, team_slug, event_slug)

    return await submit_booking(request, load)
