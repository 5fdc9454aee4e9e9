"""The ``--demo`` seed: a demo user, a default schedule and two event types.

Idempotent: existing rows are reused. Each call issues a fresh demo API key and deletes the
earlier demo keys, so only the key printed by the latest ``serve --demo`` works.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.api_keys.service import issue_api_key, revoke_demo_keys
from slotwise.event_types.repository import add_owner_host
from slotwise.models import EventType, Schedule, User
from slotwise.users.service import create_user

DEMO_USERNAME = "demo"
DEMO_EVENT_TYPES = (
    ("30min", "30 Minute Meeting", 30, "A quick call."),
    ("60min", "60 Minute Meeting", 60, "A longer conversation."),
)


@dataclass
class DemoSeed:
    """What the demo seed made or found: the user, the key to use, the event type ids."""

    user_id: int
    username: str
    api_key: str
    event_type_ids: dict[str, int]


async def seed_demo(session: AsyncSession) -> DemoSeed:
    """Create (or reuse) the demo user, schedule and event types; issue a fresh demo key."""
    user = await session.scalar(select(User).where(User.username == DEMO_USERNAME))
    if user is None:
        created = await create_user(
            session, username=DEMO_USERNAME, email="demo@example.com", name="Demo Host"
        )
        user = created.user
    await revoke_demo_keys(session, user)
    # create_user issued a normal key; demo keys are marked so the next start revokes them.
    key = await issue_api_key(session, user, note="demo", demo=True)
    if user.default_schedule_id is None:
        schedule = Schedule(
            user_id=user.id,
            name="Working hours",
            time_zone=user.time_zone,
            availability=[
                {
                    "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
                    "startTime": "09:00",
                    "endTime": "17:00",
                }
            ],
            overrides=[],
        )
        session.add(schedule)
        await session.flush()
        user.default_schedule_id = schedule.id
    ids: dict[str, int] = {}
    for slug, title, length, description in DEMO_EVENT_TYPES:
        event_type = await session.scalar(
            select(EventType).where(EventType.user_id == user.id, EventType.slug == slug)
        )
        if event_type is None:
            event_type = EventType(
                user_id=user.id,
                slug=slug,
                title=title,
                length=length,
                hidden=False,
                config={"description": description, "minimumBookingNotice": 0},
            )
            session.add(event_type)
            await session.flush()
            await add_owner_host(session, event_type)
        ids[slug] = event_type.id
    await session.flush()
    return DemoSeed(user.id, user.username, key, ids)
