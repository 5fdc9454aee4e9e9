"""The principal carries the caller's accepted team memberships, read with the API key in one
statement (kit/auth.key_owner), on both databases."""

from __future__ import annotations

from typing import Any

from slotwise.kit.auth import key_owner
from slotwise.kit.db import Database
from slotwise.models import Membership, Team
from tests.conftest import make_host


async def test_key_owner_reads_accepted_memberships_only(app: Any) -> None:
    alice = await make_host(app, "alice")
    db: Database = app.state.db
    async with db.write_sessions() as session, session.begin():
        teams = [Team(name=f"Team {n}", slug=f"team-{n}") for n in range(3)]
        session.add_all(teams)
        await session.flush()
        session.add_all(
            [
                Membership(team_id=teams[0].id, user_id=alice.id, role="OWNER", accepted=True),
                Membership(team_id=teams[1].id, user_id=alice.id, role="MEMBER", accepted=True),
                Membership(team_id=teams[2].id, user_id=alice.id, role="ADMIN", accepted=False),
            ]
        )
        ids = [t.id for t in teams]
    async with db.read_sessions() as session:
        found = await key_owner(session, alice.api_key)
        assert found is not None
        user, memberships = found
        assert user.id == alice.id
        assert sorted(memberships) == sorted([(ids[0], "OWNER"), (ids[1], "MEMBER")])
        assert await key_owner(session, "cal_live_not_a_key") is None


async def test_key_owner_without_memberships(app: Any) -> None:
    bob = await make_host(app, "bob")
    async with app.state.db.read_sessions() as session:
        found = await key_owner(session, bob.api_key)
    assert found is not None and found[1] == []
