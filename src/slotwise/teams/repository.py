"""Team and membership queries."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.models import Membership, Team, User


async def teams_of_user(session: AsyncSession, user_id: int) -> Sequence[Team]:
    """The teams ``user_id`` has a membership of (accepted or pending), by id."""
    query = (
        select(Team)
        .join(Membership, Membership.team_id == Team.id)
        .where(Membership.user_id == user_id)
        .order_by(Team.id)
    )
    return (await session.scalars(query)).all()


async def slug_taken(session: AsyncSession, slug: str, exclude_team_id: int | None = None) -> bool:
    """Whether another team already has ``slug``."""
    query = select(func.count()).select_from(Team).where(Team.slug == slug)
    if exclude_team_id is not None:
        query = query.where(Team.id != exclude_team_id)
    return bool(await session.scalar(query))


async def has_team_named(session: AsyncSession, user_id: int, name: str) -> bool:
    """Whether ``user_id`` is a member of a team called ``name``."""
    query = (
        select(func.count())
        .select_from(Membership)
        .join(Team, Team.id == Membership.team_id)
        .where(Membership.user_id == user_id, Team.name == name)
    )
    return bool(await session.scalar(query))


async def membership_with_user(
    session: AsyncSession, team_id: int, membership_id: int
) -> tuple[Membership, User] | None:
    """Membership ``membership_id`` of team ``team_id`` with its user, or None."""
    row = (
        await session.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.id == membership_id, Membership.team_id == team_id)
        )
    ).first()
    return None if row is None else (row[0], row[1])


async def memberships_with_users(
    session: AsyncSession,
    team_id: int,
    *,
    emails: Sequence[str] = (),
    skip: int = 0,
    take: int = 250,
) -> Sequence[tuple[Membership, User]]:
    """Team ``team_id``'s memberships with their users, by membership id, ``skip``/``take``
    paged; only those users' when ``emails`` is given (case-insensitive)."""
    query = (
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.team_id == team_id)
    )
    if emails:
        query = query.where(func.lower(User.email).in_([e.lower() for e in emails]))
    query = query.order_by(Membership.id).offset(skip).limit(take)
    return [(m, u) for m, u in (await session.execute(query)).all()]


async def lock_team(session: AsyncSession, team_id: int) -> None:
    """Lock team ``team_id``'s row until the transaction ends (``FOR UPDATE`` on PostgreSQL;
    SQLite's ``BEGIN IMMEDIATE`` already serialises writers), so that membership changes of one
    team that re-check its owners run one after the other."""
    await session.execute(select(Team.id).where(Team.id == team_id).with_for_update())


async def accepted_owner_count(session: AsyncSession, team_id: int) -> int:
    """How many accepted OWNER memberships team ``team_id`` has."""
    query = (
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.team_id == team_id,
            Membership.role == "OWNER",
            Membership.accepted.is_(True),
        )
    )
    return int(await session.scalar(query) or 0)


async def membership_of(session: AsyncSession, team_id: int, user_id: int) -> Membership | None:
    """``user_id``'s membership of ``team_id`` (accepted or not), or None."""
    return await session.scalar(
        select(Membership).where(Membership.team_id == team_id, Membership.user_id == user_id)
    )


async def memberships_of_user(
    session: AsyncSession, user_id: int
) -> Sequence[tuple[Membership, Team]]:
    """``user_id``'s memberships with their teams, by team id."""
    rows = await session.execute(
        select(Membership, Team)
        .join(Team, Team.id == Membership.team_id)
        .where(Membership.user_id == user_id)
        .order_by(Team.id)
    )
    return [(row[0], row[1]) for row in rows]
