"""Team event types and their webhooks for :class:`~slotwise.client.AsyncClient`
(``client.team_event_types``, ``client.team_event_type_webhooks``).
``_sync_team_event_types.py`` is generated from this file by ``scripts/gen_sync_client.py``:
edit here, then run the script.

Every method performs one Cal.com API v2 operation (named in ``OPERATIONS``; the docstring gives
the path) and returns the response's ``data`` exactly as the server sent it. Creating or
updating a managed event type returns a list: the template, then one child per member.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from slotwise.client import models_generated as m

if TYPE_CHECKING:
    from slotwise.client._async import AsyncClient


class _AsyncTeamResource:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client


class AsyncTeamEventTypes(_AsyncTeamResource):
    """``/v2/teams/{teamId}/event-types``: collective, round-robin and managed event types."""

    async def list(self, team_id: int, **params: Any) -> m.TeamEventTypesListData:
        """GET /v2/teams/{teamId}/event-types (public); params: ``eventSlug``, ``hostsLimit``,
        ``sortCreatedAt``."""
        data = await self._client.call(
            "team_event_types.list", path_params={"teamId": team_id}, params=params
        )
        return cast(m.TeamEventTypesListData, data)

    async def get(self, team_id: int, event_type_id: int) -> m.TeamEventTypesGetData:
        """GET /v2/teams/{teamId}/event-types/{eventTypeId} (team admins)."""
        path = {"teamId": team_id, "eventTypeId": event_type_id}
        data = await self._client.call("team_event_types.get", path_params=path)
        return cast(m.TeamEventTypesGetData, data)

    async def create(
        self, team_id: int, body: m.TeamEventTypesCreateBody
    ) -> m.TeamEventTypesCreateData:
        """POST /v2/teams/{teamId}/event-types (``title``, ``slug``, ``lengthInMinutes``,
        ``schedulingType`` required; ``hosts`` or ``assignAllTeamMembers``)."""
        data = await self._client.call(
            "team_event_types.create", path_params={"teamId": team_id}, json=body
        )
        return cast(m.TeamEventTypesCreateData, data)

    async def update(
        self, team_id: int, event_type_id: int, body: m.TeamEventTypesUpdateBody
    ) -> m.TeamEventTypesUpdateData:
        """PATCH /v2/teams/{teamId}/event-types/{eventTypeId}."""
        path = {"teamId": team_id, "eventTypeId": event_type_id}
        data = await self._client.call("team_event_types.update", path_params=path, json=body)
        return cast(m.TeamEventTypesUpdateData, data)

    async def delete(self, team_id: int, event_type_id: int) -> m.TeamEventTypesDeleteData:
        """DELETE /v2/teams/{teamId}/event-types/{eventTypeId}; answers ``{id, title}``."""
        path = {"teamId": team_id, "eventTypeId": event_type_id}
        data = await self._client.call("team_event_types.delete", path_params=path)
        return cast(m.TeamEventTypesDeleteData, data)


class AsyncTeamEventTypeWebhooks(_AsyncTeamResource):
    """``/v2/teams/{teamId}/event-types/{eventTypeId}/webhooks``."""

    async def list(
        self, team_id: int, event_type_id: int, **params: Any
    ) -> m.TeamEventTypeWebhooksListData:
        """GET …/webhooks (``take``, ``skip``; team members)."""
        path = {"teamId": team_id, "eventTypeId": event_type_id}
        data = await self._client.call(
            "team_event_type_webhooks.list", path_params=path, params=params
        )
        return cast(m.TeamEventTypeWebhooksListData, data)

    async def get(
        self, team_id: int, event_type_id: int, webhook_id: str
    ) -> m.TeamEventTypeWebhooksGetData:
        """GET …/webhooks/{webhookId}."""
        path = {"teamId": team_id, "eventTypeId": event_type_id, "webhookId": webhook_id}
        data = await self._client.call("team_event_type_webhooks.get", path_params=path)
        return cast(m.TeamEventTypeWebhooksGetData, data)

    async def create(
        self, team_id: int, event_type_id: int, body: m.TeamEventTypeWebhooksCreateBody
    ) -> m.TeamEventTypeWebhooksCreateData:
        """POST …/webhooks (team admins)."""
        path = {"teamId": team_id, "eventTypeId": event_type_id}
        data = await self._client.call(
            "team_event_type_webhooks.create", path_params=path, json=body
        )
        return cast(m.TeamEventTypeWebhooksCreateData, data)

    async def update(
        self,
        team_id: int,
        event_type_id: int,
        webhook_id: str,
        body: m.TeamEventTypeWebhooksUpdateBody,
    ) -> m.TeamEventTypeWebhooksUpdateData:
        """PATCH …/webhooks/{webhookId} (team admins)."""
        path = {"teamId": team_id, "eventTypeId": event_type_id, "webhookId": webhook_id}
        data = await self._client.call(
            "team_event_type_webhooks.update", path_params=path, json=body
        )
        return cast(m.TeamEventTypeWebhooksUpdateData, data)

    async def delete(
        self, team_id: int, event_type_id: int, webhook_id: str
    ) -> m.TeamEventTypeWebhooksDeleteData:
        """DELETE …/webhooks/{webhookId} (team admins)."""
        path = {"teamId": team_id, "eventTypeId": event_type_id, "webhookId": webhook_id}
        data = await self._client.call("team_event_type_webhooks.delete", path_params=path)
        return cast(m.TeamEventTypeWebhooksDeleteData, data)

    async def delete_all(
        self, team_id: int, event_type_id: int
    ) -> m.TeamEventTypeWebhooksDeleteAllData:
        """DELETE …/webhooks (team admins); answers ``"N webhooks deleted"``."""
        path = {"teamId": team_id, "eventTypeId": event_type_id}
        data = await self._client.call("team_event_type_webhooks.delete_all", path_params=path)
        return cast(m.TeamEventTypeWebhooksDeleteAllData, data)
