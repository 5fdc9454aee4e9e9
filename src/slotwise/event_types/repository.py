"""Event-type queries shared by event types, slots and bookings."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.errors import NotFound
from slotwise.models import EventType, Host, Team, User


async def event_type_with_owner(
    session: AsyncSession, event_type_id: int
) -> tuple[EventType, User]:
    """The event type ``event_type_id`` and its owner; 404 NotFoundException when missing."""
    row = (
        await session.execute(
            select(EventType, User)
            .join(User, User.id == EventType.user_id)
            .where(EventType.id == event_type_id)
        )
    ).first()
    if row is None:
        raise NotFound(f"Event type with id {event_type_id} not found.")
    return row[0], row[1]


async def event_type_by_id(
    session: AsyncSession, event_type_id: int
) -> tuple[EventType, User | None]:
    """The event type ``event_type_id`` and its owner (None for a team event type, which has
    ``team_id`` set and no owner); 404 NotFoundException when missing. One query."""
    row = (
        await session.execute(
            select(EventType, User)
            .outerjoin(User, User.id == EventType.user_id)
            .where(EventType.id == event_type_id)
        )
    ).first()
    if row is None:
        raise NotFound(f"Event type with id {event_type_id} not found.")
    return row[0], row[1]


async def team_event_type_by_slug(session: AsyncSession, team_slug: str, slug: str) -> EventType:
    """The event type ``slug`` of the team ``team_slug``; 404 "Team with slug X not found" or
    "Event type with slug Y belonging to team X not found." One query."""
    row = (
        await session.execute(
            select(Team.id, EventType)
            .outerjoin(EventType, (EventType.team_id == Team.id) & (EventType.slug == slug))
            .where(Team.slug == team_slug.strip())
        )
    ).first()
    if row is None:
        raise NotFound(f"Team with slug {team_slug} not found")
    if row[1] is None:
        raise NotFound(f"Event type with slug {slug} belonging to team {team_slug} not found.")
    event_type: EventType = row[1]
    return event_type


async def event_type_by_slug(
    session: AsyncSession, username: str, slug: str
) -> tuple[EventType, User]:
    """The event type ``slug`` of user ``username``; 404 when the user or slug is unknown."""
    user = await session.scalar(select(User).where(User.username == username.lower()))
    if user is None:
        raise NotFound(f"User with username {username} not found")
    event_type = await session.scalar(
        select(EventType).where(EventType.user_id == user.id, EventType.slug == slug)
    )
    if event_type is None:
        raise NotFound(f"Event type with slug {slug} belonging to user {username} not found.")
    return event_type, user


async def users_by_usernames(session: AsyncSession, usernames: Sequence[str]) -> list[User]:
    """The users named, in the order given; 404 naming the first unknown username."""
    wanted = [u.strip().lower() for u in usernames if u.strip()]
    found = {
        u.username: u for u in await session.scalars(select(User).where(User.username.in_(wanted)))
    }
    missing = [u for u in wanted if u not in found]
    if missing:
        raise NotFound(f"User with username {missing[0]} not found")
    return [found[u] for u in wanted]


async def user_event_types(
    session: AsyncSession, visible: ColumnElement[bool], *, newest_first: bool = False
) -> Sequence[EventType]:
    """The event types selected by ``visible`` (``policy.event_types.listable_event_types``),
    ordered by creation (id)."""
    query = select(EventType).where(visible)
    order = EventType.id.desc() if newest_first else EventType.id.asc()
    return (await session.scalars(query.order_by(order))).all()


async def user_event_type_by_slug(
    session: AsyncSession, user_id: int, slug: str
) -> EventType | None:
    """The event type ``slug`` of ``user_id``, or None."""
    return await session.scalar(
        select(EventType).where(EventType.user_id == user_id, EventType.slug == slug)
    )


async def slug_taken(
    session: AsyncSession, user_id: int, slug: str, *, excluding_id: int | None = None
) -> bool:
    """True when ``user_id`` already has an event type with ``slug`` (other than
    ``excluding_id``)."""
    query = select(EventType.id).where(EventType.user_id == user_id, EventType.slug == slug)
    if excluding_id is not None:
        query = query.where(EventType.id != excluding_id)
    return (await session.scalar(query.limit(1))) is not None


async def user_by_username(session: AsyncSession, username: str) -> User | None:
    """The user ``username`` (case-insensitive), or None."""
    return await session.scalar(select(User).where(User.username == username.strip().lower()))


async def existing_users_by_usernames(
    session: AsyncSession, usernames: Sequence[str]
) -> list[User]:
    """The users among ``usernames`` that exist, in the order given (unknown ones skipped)."""
    wanted = [u.strip().lower() for u in usernames if u.strip()]
    found = {
        u.username: u for u in await session.scalars(select(User).where(User.username.in_(wanted)))
    }
    return [found[u] for u in dict.fromkeys(wanted) if u in found]


async def add_owner_host(session: AsyncSession, event_type: EventType) -> Host:
    """Make the owner of the (flushed) personal ``event_type`` its one host: mandatory, the
    default priority and weight, no schedule of their own (the event type's applies)."""
    host = Host(event_type_id=event_type.id, user_id=event_type.user_id, mandatory=True)
    session.add(host)
    await session.flush()
    return host
