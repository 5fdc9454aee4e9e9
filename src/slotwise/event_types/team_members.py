"""Keeping a team's event types in step with its accepted members.

Called by the team membership services in the same transaction as the membership change:

- :func:`join_team_event_types` when a membership becomes accepted: the member becomes a host
  (not mandatory, default priority and weight) of every event type of the team that has
  ``assignAllTeamMembers``; managed parents give them a child event type instead;
- :func:`leave_team_event_types` when a membership is deleted (or no longer accepted): the user
  stops being a host of the team's event types and their managed children are deleted (their
  bookings stay: ``bookings.event_type_id`` is set to NULL).

Services flush, never commit.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.event_types import managed
from slotwise.models import EventType, Host

MANAGED = managed.MANAGED


async def join_team_event_types(session: AsyncSession, team_id: int, user_id: int) -> None:
    """Make ``user_id`` (now an accepted member of ``team_id``) a host of the team's event
    types with ``assignAllTeamMembers``; skipped where they already are one."""
    event_types = (
        await session.scalars(select(EventType).where(EventType.team_id == team_id))
    ).all()
    assigning = [et for et in event_types if (et.config or {}).get("assignAllTeamMembers")]
    for parent in assigning:
        if parent.scheduling_type == MANAGED:
            await managed.add_child(session, parent, user_id)
    wanted = [et.id for et in assigning if et.scheduling_type != MANAGED]
    if not wanted:
        return
    present = set(
        await session.scalars(
            select(Host.event_type_id).where(
                Host.user_id == user_id, Host.event_type_id.in_(wanted)
            )
        )
    )
    for event_type_id in wanted:
        if event_type_id not in present:
            session.add(Host(event_type_id=event_type_id, user_id=user_id, mandatory=False))
    await session.flush()


async def leave_team_event_types(session: AsyncSession, team_id: int, user_id: int) -> None:
    """``user_id`` leaves ``team_id``: no longer a host of its event types; their managed
    children of the team's managed event types are deleted."""
    team_event_types = select(EventType.id).where(EventType.team_id == team_id)
    await session.execute(
        delete(Host).where(Host.user_id == user_id, Host.event_type_id.in_(team_event_types))
    )
    await session.execute(
        delete(EventType).where(
            EventType.user_id == user_id, EventType.parent_id.in_(team_event_types)
        )
    )
    await session.flush()
