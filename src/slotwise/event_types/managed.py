"""Managed event types: a team's template (the *parent*) and one *child* per assigned member.

As Cal.com's ``handleChildrenEventTypes``:

- the parent has ``team_id`` set and ``scheduling_type = "managed"``; it has no hosts and cannot
  be booked (:func:`is_managed_parent`, :data:`PARENT_NOT_BOOKABLE`: Cal.com's 400);
- each assigned member gets a child: ``parent_id`` = the parent, ``user_id`` = the member,
  ``team_id`` NULL, ``scheduling_type`` NULL, the member its one host: an ordinary event type in
  the member's namespace (their booking page, GET /v2/event-types, slots, bookings). A member's
  own event type with the same slug is replaced (deleted; its bookings stay), as Cal.com does;
- when the parent changes, every *locked* field is copied to the children; *unlocked* fields
  (the parent's ``managedEventConfig.unlockedFields``, a Slotwise extension body field with
  Cal.com's metadata shape, keyed by API field names) keep what each member set through
  PATCH /v2/event-types/{id}. ``hidden`` and ``scheduleId`` are never copied: each member
  hides their child and uses their own schedule (their default unless they set one);
- a member no longer assigned loses their child (deleted; its bookings stay, with
  ``event_type_id`` NULL).

Services flush, never commit.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.models import EventType, Host

MANAGED = "managed"
PARENT_NOT_BOOKABLE = (
    "Event type with id={id} is the parent managed event type that can't be booked. You have to "
    "provide the child event type id aka id of event type that has been assigned to one of the "
    "users."
)
"""Cal.com's 400 for booking a managed parent (format with ``id``)."""
TEAM_ONLY = frozenset(
    {
        "assignAllTeamMembers",
        "rescheduleWithSameRoundRobinHost",
        "isRRWeightsEnabled",
        "includeNoShowInRRCalculation",
        "managedEventConfig",
    }
)
"""Config keys of the parent that never go to its children."""
NEVER_SYNCED = frozenset({"hidden", "scheduleId"})
"""API fields each member keeps for their child."""
_COLUMNS = {"title": "title", "slug": "slug", "lengthInMinutes": "length"}


def is_managed_parent(event_type: EventType | None) -> bool:
    """True for a managed event type's team template (not bookable; its children are)."""
    return (
        event_type is not None
        and event_type.team_id is not None
        and event_type.scheduling_type == MANAGED
    )


def parent_not_bookable_message(event_type_id: int) -> str:
    """Cal.com's 400 message for booking the managed parent ``event_type_id``."""
    return PARENT_NOT_BOOKABLE.format(id=event_type_id)


def unlocked_fields(parent: EventType) -> frozenset[str]:
    """The API field names the parent leaves to each member (``managedEventConfig``)."""
    config = (parent.config or {}).get("managedEventConfig") or {}
    fields = config.get("unlockedFields") or {}
    return frozenset(name for name, on in fields.items() if on) | NEVER_SYNCED


def _copy_locked(parent: EventType, child: EventType, *, creating: bool) -> None:
    """Copy the parent's fields to ``child``: all of them when ``creating``, else the locked
    ones only."""
    unlocked = frozenset() if creating else unlocked_fields(parent)
    unlocked = unlocked | NEVER_SYNCED
    for field, column in _COLUMNS.items():
        if field not in unlocked:
            setattr(child, column, getattr(parent, column))
    source = {k: v for k, v in (parent.config or {}).items() if k not in TEAM_ONLY}
    config = dict(child.config or {}) if not creating else {}
    for key in set(source) | set(config):
        if key in unlocked or key in TEAM_ONLY:
            continue
        if key in source:
            config[key] = copy.deepcopy(source[key])
        else:
            config.pop(key, None)
    child.config = config


async def children_of(session: AsyncSession, parent_id: int) -> list[EventType]:
    """The children of a managed parent, by id."""
    return list(
        await session.scalars(
            select(EventType).where(EventType.parent_id == parent_id).order_by(EventType.id)
        )
    )


async def _replace_homonyms(
    session: AsyncSession, parent: EventType, user_ids: Sequence[int]
) -> None:
    """Delete the members' own event types (not managed children) that have the parent's
    slug: Cal.com replaces them with the managed one."""
    if not user_ids:
        return
    await session.execute(
        delete(EventType).where(
            EventType.user_id.in_(list(user_ids)),
            EventType.slug == parent.slug,
            EventType.parent_id.is_(None),
        )
    )


async def sync_children(
    session: AsyncSession, parent: EventType, assigned: Sequence[int] | None
) -> list[EventType]:
    """Bring the parent's children in line: one per user of ``assigned`` (None: the current
    children's users), created from the parent, updated with its locked fields, others deleted.
    Returns the children by id."""
    await session.flush()
    existing = {
        child.user_id: child
        for child in await children_of(session, parent.id)
        if child.user_id is not None
    }
    wanted = list(dict.fromkeys(assigned)) if assigned is not None else list(existing)
    removed = [child for user_id, child in existing.items() if user_id not in wanted]
    for child in removed:
        await session.delete(child)
    await session.flush()
    slug_locked = "slug" not in unlocked_fields(parent)
    renamed = [
        user_id
        for user_id in wanted
        if user_id not in existing or (slug_locked and existing[user_id].slug != parent.slug)
    ]
    await _replace_homonyms(session, parent, renamed)
    for user_id in wanted:
        present = existing.get(user_id)
        if present is None:
            child = EventType(
                user_id=user_id,
                team_id=None,
                parent_id=parent.id,
                scheduling_type=None,
                hidden=False,
                schedule_id=None,
                position=0,
            )
            _copy_locked(parent, child, creating=True)
            session.add(child)
            await session.flush()
            session.add(Host(event_type_id=child.id, user_id=user_id, mandatory=True))
        else:
            _copy_locked(parent, present, creating=False)
    await session.flush()
    return await children_of(session, parent.id)


async def add_child(session: AsyncSession, parent: EventType, user_id: int) -> None:
    """Give ``user_id`` (a newly accepted member) a child of ``parent`` unless they have one."""
    current = [child.user_id for child in await children_of(session, parent.id)]
    if user_id not in current:
        await sync_children(session, parent, [*[u for u in current if u is not None], user_id])


async def delete_children(session: AsyncSession, parent: EventType) -> None:
    """Delete every child of ``parent`` (their bookings stay)."""
    await session.execute(delete(EventType).where(EventType.parent_id == parent.id))
    await session.flush()


def managed_config_output(parent: EventType) -> dict[str, Any] | None:
    """The stored ``managedEventConfig`` of a managed parent (None for other event types)."""
    if not is_managed_parent(parent):
        return None
    stored = (parent.config or {}).get("managedEventConfig")
    return dict(stored) if isinstance(stored, dict) else {}
