"""Team resource groups of :class:`~slotwise.client.AsyncClient`: teams, their memberships and
their members' out of office. ``_sync_teams.py`` is generated from this file by
``scripts/gen_sync_client.py``: edit here, then run the script. (Team event types live in
``_async_team_event_types.py``.)

Every method performs one operation (named in ``OPERATIONS``; the docstring gives the path) and
returns the response's ``data`` exactly as the server sent it.
"""

from __future__ import annotations

from typing import Any, cast

from slotwise.client import models_generated as m
from slotwise.client._async_resources import _AsyncResource


class AsyncTeams(_AsyncResource):
    """``/v2/teams``: teams the caller belongs to, invitation links, members' schedules."""

    async def list(self) -> m.TeamsListData:
        """GET /v2/teams: the caller's teams (accepted or pending memberships)."""
        return cast(m.TeamsListData, await self._client.call("teams.list"))

    async def get(self, team_id: int) -> m.TeamsGetData:
        """GET /v2/teams/{teamId} (members only)."""
        data = await self._client.call("teams.get", path_params={"teamId": team_id})
        return cast(m.TeamsGetData, data)

    async def create(self, body: m.TeamsCreateBody) -> m.TeamsCreateData:
        """POST /v2/teams (``name`` required; ``slug``, ``autoAcceptCreator`` and the
        extensions ``rrResetInterval``, ``rrTimestampBasis`` optional)."""
        return cast(m.TeamsCreateData, await self._client.call("teams.create", json=body))

    async def update(self, team_id: int, body: m.TeamsUpdateBody) -> m.TeamsUpdateData:
        """PATCH /v2/teams/{teamId} (team OWNER)."""
        data = await self._client.call("teams.update", path_params={"teamId": team_id}, json=body)
        return cast(m.TeamsUpdateData, data)

    async def delete(self, team_id: int) -> m.TeamsDeleteData:
        """DELETE /v2/teams/{teamId} (team OWNER): the deleted team."""
        data = await self._client.call("teams.delete", path_params={"teamId": team_id})
        return cast(m.TeamsDeleteData, data)

    async def invite(self, team_id: int) -> m.TeamsInviteData:
        """POST /v2/teams/{teamId}/invite (team ADMIN): ``{token, inviteLink}``."""
        data = await self._client.call("teams.invite", path_params={"teamId": team_id})
        return cast(m.TeamsInviteData, data)

    async def accept_invite(self, token: str) -> m.TeamsAcceptInviteData:
        """POST /v2/teams/invites/{token}/accept (Slotwise extension): join the invitation's
        team as the caller; the caller's membership."""
        data = await self._client.call("teams.accept_invite", path_params={"token": token})
        return cast(m.TeamsAcceptInviteData, data)

    async def schedules(self, team_id: int, **params: Any) -> m.TeamsSchedulesData:
        """GET /v2/teams/{teamId}/schedules (team ADMIN); params: ``take``, ``skip``."""
        data = await self._client.call(
            "teams.schedules", path_params={"teamId": team_id}, params=params
        )
        return cast(m.TeamsSchedulesData, data)


class AsyncTeamMemberships(_AsyncResource):
    """``/v2/teams/{teamId}/memberships`` (team ADMIN; the OWNER role only by an OWNER)."""

    async def list(self, team_id: int, **params: Any) -> m.TeamMembershipsListData:
        """GET /v2/teams/{teamId}/memberships; params: ``take``, ``skip``, ``emails``
        (comma-separated)."""
        data = await self._client.call(
            "team_memberships.list", path_params={"teamId": team_id}, params=params
        )
        return cast(m.TeamMembershipsListData, data)

    async def get(self, team_id: int, membership_id: int) -> m.TeamMembershipsGetData:
        """GET /v2/teams/{teamId}/memberships/{membershipId}."""
        data = await self._client.call(
            "team_memberships.get",
            path_params={"teamId": team_id, "membershipId": membership_id},
        )
        return cast(m.TeamMembershipsGetData, data)

    async def create(
        self, team_id: int, body: m.TeamMembershipsCreateBody
    ) -> m.TeamMembershipsCreateData:
        """POST /v2/teams/{teamId}/memberships (``userId`` required; ``role``, ``accepted``,
        ``disableImpersonation`` optional)."""
        data = await self._client.call(
            "team_memberships.create", path_params={"teamId": team_id}, json=body
        )
        return cast(m.TeamMembershipsCreateData, data)

    async def update(
        self, team_id: int, membership_id: int, body: m.TeamMembershipsUpdateBody
    ) -> m.TeamMembershipsUpdateData:
        """PATCH /v2/teams/{teamId}/memberships/{membershipId}."""
        data = await self._client.call(
            "team_memberships.update",
            path_params={"teamId": team_id, "membershipId": membership_id},
            json=body,
        )
        return cast(m.TeamMembershipsUpdateData, data)

    async def delete(self, team_id: int, membership_id: int) -> m.TeamMembershipsDeleteData:
        """DELETE /v2/teams/{teamId}/memberships/{membershipId}: the deleted membership."""
        data = await self._client.call(
            "team_memberships.delete",
            path_params={"teamId": team_id, "membershipId": membership_id},
        )
        return cast(m.TeamMembershipsDeleteData, data)

    async def accept(self, team_id: int, membership_id: int) -> m.TeamMembershipsAcceptData:
        """POST /v2/teams/{teamId}/memberships/{membershipId}/accept (Slotwise extension): the
        membership's own user accepts it."""
        data = await self._client.call(
            "team_memberships.accept",
            path_params={"teamId": team_id, "membershipId": membership_id},
        )
        return cast(m.TeamMembershipsAcceptData, data)


class AsyncTeamOoo(_AsyncResource):
    """``/v2/teams/{teamId}/users/{userId}/ooo``: a member's out of office (team ADMIN)."""

    async def list(self, team_id: int, user_id: int, **params: Any) -> m.TeamOooListData:
        """GET …/ooo; params: ``take``, ``skip``, ``sortStart``, ``sortEnd``."""
        data = await self._client.call(
            "team_ooo.list", path_params={"teamId": team_id, "userId": user_id}, params=params
        )
        return cast(m.TeamOooListData, data)

    async def create(
        self, team_id: int, user_id: int, body: m.TeamOooCreateBody
    ) -> m.TeamOooCreateData:
        """POST …/ooo (``start``, ``end`` UTC instants; ``reason``, ``notes``, ``toUserId``)."""
        data = await self._client.call(
            "team_ooo.create", path_params={"teamId": team_id, "userId": user_id}, json=body
        )
        return cast(m.TeamOooCreateData, data)

    async def update(
        self, team_id: int, user_id: int, ooo_id: int, body: m.TeamOooUpdateBody
    ) -> m.TeamOooUpdateData:
        """PATCH …/ooo/{oooId}."""
        data = await self._client.call(
            "team_ooo.update",
            path_params={"teamId": team_id, "userId": user_id, "oooId": ooo_id},
            json=body,
        )
        return cast(m.TeamOooUpdateData, data)

    async def delete(self, team_id: int, user_id: int, ooo_id: int) -> m.TeamOooDeleteData:
        """DELETE …/ooo/{oooId}: the deleted entry."""
        data = await self._client.call(
            "team_ooo.delete",
            path_params={"teamId": team_id, "userId": user_id, "oooId": ooo_id},
        )
        return cast(m.TeamOooDeleteData, data)
