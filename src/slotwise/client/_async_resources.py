"""Resource groups of :class:`~slotwise.client.AsyncClient`. ``_sync_resources.py`` is generated
from this file by ``scripts/gen_sync_client.py``: edit here, then run the script.

Every method performs one Cal.com API v2 operation (named in ``OPERATIONS``; the method's
docstring gives the path) and returns the response's ``data`` exactly as the server sent it.
Bodies are the reference's request schemas as TypedDicts; unknown keys are passed through.
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, cast

from slotwise.client import models_generated as m

if TYPE_CHECKING:
    from slotwise.client._async import AsyncClient


def _query(params: dict[str, Any], **named: Any) -> dict[str, Any]:
    """Named keyword arguments (already in Cal.com's camelCase) plus free-form ``params``."""
    return {**{k: v for k, v in named.items() if v is not None}, **params}


class _AsyncResource:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client


class AsyncMe(_AsyncResource):
    """``/v2/me``: the authenticated user's profile."""

    async def get(self) -> m.MeGetData:
        """GET /v2/me."""
        return cast(m.MeGetData, await self._client.call("me.get"))

    async def update(self, body: m.MeUpdateBody) -> m.MeUpdateData:
        """PATCH /v2/me (e.g. ``{"timeZone": "Europe/Rome"}``)."""
        return cast(m.MeUpdateData, await self._client.call("me.update", json=body))


class AsyncEventTypes(_AsyncResource):
    """``/v2/event-types`` (cal-api-version 2024-06-14)."""

    async def list(self, **params: Any) -> m.EventTypesListData:
        """GET /v2/event-types; params: ``username``, ``eventSlug``, ``usernames``, ``orgSlug``,
        ``orgId``, ``sortCreatedAt``. Without them: the authenticated user's event types."""
        return cast(
            m.EventTypesListData, await self._client.call("event_types.list", params=params)
        )

    async def get(self, event_type_id: int) -> m.EventTypesGetData:
        """GET /v2/event-types/{eventTypeId}."""
        data = await self._client.call(
            "event_types.get", path_params={"eventTypeId": event_type_id}
        )
        return cast(m.EventTypesGetData, data)

    async def create(self, body: m.EventTypesCreateBody) -> m.EventTypesCreateData:
        """POST /v2/event-types (``title``, ``slug``, ``lengthInMinutes`` required)."""
        return cast(
            m.EventTypesCreateData, await self._client.call("event_types.create", json=body)
        )

    async def update(
        self, event_type_id: int, body: m.EventTypesUpdateBody
    ) -> m.EventTypesUpdateData:
        """PATCH /v2/event-types/{eventTypeId}."""
        data = await self._client.call(
            "event_types.update", path_params={"eventTypeId": event_type_id}, json=body
        )
        return cast(m.EventTypesUpdateData, data)

    async def delete(self, event_type_id: int) -> m.EventTypesDeleteData:
        """DELETE /v2/event-types/{eventTypeId}."""
        data = await self._client.call(
            "event_types.delete", path_params={"eventTypeId": event_type_id}
        )
        return cast(m.EventTypesDeleteData, data)


class AsyncSchedules(_AsyncResource):
    """``/v2/schedules`` (cal-api-version 2024-06-11)."""

    async def list(self) -> m.SchedulesListData:
        """GET /v2/schedules."""
        return cast(m.SchedulesListData, await self._client.call("schedules.list"))

    async def get(self, schedule_id: int) -> m.SchedulesGetData:
        """GET /v2/schedules/{scheduleId}."""
        data = await self._client.call("schedules.get", path_params={"scheduleId": schedule_id})
        return cast(m.SchedulesGetData, data)

    async def get_default(self) -> m.SchedulesGetDefaultData:
        """GET /v2/schedules/default."""
        return cast(m.SchedulesGetDefaultData, await self._client.call("schedules.get_default"))

    async def create(self, body: m.SchedulesCreateBody) -> m.SchedulesCreateData:
        """POST /v2/schedules (``name``, ``timeZone``, ``isDefault`` required)."""
        return cast(m.SchedulesCreateData, await self._client.call("schedules.create", json=body))

    async def update(self, schedule_id: int, body: m.SchedulesUpdateBody) -> m.SchedulesUpdateData:
        """PATCH /v2/schedules/{scheduleId}."""
        data = await self._client.call(
            "schedules.update", path_params={"scheduleId": schedule_id}, json=body
        )
        return cast(m.SchedulesUpdateData, data)

    async def delete(self, schedule_id: int) -> m.SchedulesDeleteData:
        """DELETE /v2/schedules/{scheduleId}."""
        data = await self._client.call("schedules.delete", path_params={"scheduleId": schedule_id})
        return cast(m.SchedulesDeleteData, data)


class AsyncSlots(_AsyncResource):
    """``/v2/slots`` and slot reservations (cal-api-version 2024-09-04)."""

    async def list(
        self,
        *,
        start: Any,
        end: Any,
        event_type_id: int | None = None,
        event_type_slug: str | None = None,
        username: str | None = None,
        time_zone: str | None = None,
        duration: int | None = None,
        format: str | None = None,
        **params: Any,
    ) -> m.SlotsListData:
        """GET /v2/slots: free slots between ``start`` and ``end`` (dates ``YYYY-MM-DD`` or UTC
        instants; ``date``/aware ``datetime`` accepted), keyed by date in ``time_zone``:
        ``{"2050-09-05": [{"start": "2050-09-05T09:00:00.000+02:00"}, …]}``. Identify the
        event type by ``event_type_id``, or ``event_type_slug`` + ``username``; ``duration`` in
        minutes; ``format="range"`` adds ``end``. Other query parameters pass through."""
        query = _query(
            params,
            start=start,
            end=end,
            eventTypeId=event_type_id,
            eventTypeSlug=event_type_slug,
            username=username,
            timeZone=time_zone,
            duration=duration,
            format=format,
        )
        return cast(m.SlotsListData, await self._client.call("slots.list", params=query))

    async def starts(self, **kwargs: Any) -> builtins.list[str]:
        """The ``start`` of every slot :meth:`list` returns (same arguments), in time order."""
        by_day = await self.list(**kwargs)
        return [slot["start"] for day in sorted(by_day) for slot in by_day[day]]

    async def reserve(self, body: m.SlotsReserveBody) -> m.SlotsReserveData:
        """POST /v2/slots/reservations (``eventTypeId``, ``slotStart`` required)."""
        return cast(m.SlotsReserveData, await self._client.call("slots.reserve", json=body))

    async def get_reservation(self, uid: str) -> m.SlotsGetReservationData:
        """GET /v2/slots/reservations/{uid}."""
        data = await self._client.call("slots.get_reservation", path_params={"uid": uid})
        return cast(m.SlotsGetReservationData, data)

    async def update_reservation(
        self, uid: str, body: m.SlotsUpdateReservationBody
    ) -> m.SlotsUpdateReservationData:
        """PATCH /v2/slots/reservations/{uid}."""
        data = await self._client.call(
            "slots.update_reservation", path_params={"uid": uid}, json=body
        )
        return cast(m.SlotsUpdateReservationData, data)

    async def release(self, uid: str) -> None:
        """DELETE /v2/slots/reservations/{uid}: free a reserved slot."""
        await self._client.call("slots.release", path_params={"uid": uid})


class AsyncWebhooks(_AsyncResource):
    """``/v2/webhooks``: the authenticated user's webhooks."""

    async def list(self, **params: Any) -> m.WebhooksListData:
        """GET /v2/webhooks (``take``, ``skip``)."""
        return cast(m.WebhooksListData, await self._client.call("webhooks.list", params=params))

    async def iter(self, *, page_size: int = 100) -> AsyncIterator[Any]:
        """Every webhook, ``page_size`` per request."""
        async for item in self._client.paginate("webhooks.list", page_size=page_size):
            yield item

    async def get(self, webhook_id: str) -> m.WebhooksGetData:
        """GET /v2/webhooks/{webhookId}."""
        data = await self._client.call("webhooks.get", path_params={"webhookId": webhook_id})
        return cast(m.WebhooksGetData, data)

    async def create(self, body: m.WebhooksCreateBody) -> m.WebhooksCreateData:
        """POST /v2/webhooks (``subscriberUrl``, ``triggers``, ``active`` required)."""
        return cast(m.WebhooksCreateData, await self._client.call("webhooks.create", json=body))

    async def update(self, webhook_id: str, body: m.WebhooksUpdateBody) -> m.WebhooksUpdateData:
        """PATCH /v2/webhooks/{webhookId}."""
        data = await self._client.call(
            "webhooks.update", path_params={"webhookId": webhook_id}, json=body
        )
        return cast(m.WebhooksUpdateData, data)

    async def delete(self, webhook_id: str) -> m.WebhooksDeleteData:
        """DELETE /v2/webhooks/{webhookId}."""
        data = await self._client.call("webhooks.delete", path_params={"webhookId": webhook_id})
        return cast(m.WebhooksDeleteData, data)


class AsyncEventTypeWebhooks(_AsyncResource):
    """``/v2/event-types/{eventTypeId}/webhooks``."""

    async def list(self, event_type_id: int, **params: Any) -> m.EventTypeWebhooksListData:
        """GET /v2/event-types/{eventTypeId}/webhooks (``take``, ``skip``)."""
        data = await self._client.call(
            "event_type_webhooks.list", path_params={"eventTypeId": event_type_id}, params=params
        )
        return cast(m.EventTypeWebhooksListData, data)

    async def get(self, event_type_id: int, webhook_id: str) -> m.EventTypeWebhooksGetData:
        """GET /v2/event-types/{eventTypeId}/webhooks/{webhookId}."""
        path = {"eventTypeId": event_type_id, "webhookId": webhook_id}
        data = await self._client.call("event_type_webhooks.get", path_params=path)
        return cast(m.EventTypeWebhooksGetData, data)

    async def create(
        self, event_type_id: int, body: m.EventTypeWebhooksCreateBody
    ) -> m.EventTypeWebhooksCreateData:
        """POST /v2/event-types/{eventTypeId}/webhooks."""
        data = await self._client.call(
            "event_type_webhooks.create", path_params={"eventTypeId": event_type_id}, json=body
        )
        return cast(m.EventTypeWebhooksCreateData, data)

    async def update(
        self, event_type_id: int, webhook_id: str, body: m.EventTypeWebhooksUpdateBody
    ) -> m.EventTypeWebhooksUpdateData:
        """PATCH /v2/event-types/{eventTypeId}/webhooks/{webhookId}."""
        path = {"eventTypeId": event_type_id, "webhookId": webhook_id}
        data = await self._client.call("event_type_webhooks.update", path_params=path, json=body)
        return cast(m.EventTypeWebhooksUpdateData, data)

    async def delete(self, event_type_id: int, webhook_id: str) -> m.EventTypeWebhooksDeleteData:
        """DELETE /v2/event-types/{eventTypeId}/webhooks/{webhookId}."""
        path = {"eventTypeId": event_type_id, "webhookId": webhook_id}
        data = await self._client.call("event_type_webhooks.delete", path_params=path)
        return cast(m.EventTypeWebhooksDeleteData, data)

    async def delete_all(self, event_type_id: int) -> m.EventTypeWebhooksDeleteAllData:
        """DELETE /v2/event-types/{eventTypeId}/webhooks."""
        data = await self._client.call(
            "event_type_webhooks.delete_all", path_params={"eventTypeId": event_type_id}
        )
        return cast(m.EventTypeWebhooksDeleteAllData, data)


class AsyncPrivateLinks(_AsyncResource):
    """``/v2/event-types/{eventTypeId}/private-links``."""

    async def list(self, event_type_id: int) -> m.PrivateLinksListData:
        """GET /v2/event-types/{eventTypeId}/private-links."""
        data = await self._client.call(
            "private_links.list", path_params={"eventTypeId": event_type_id}
        )
        return cast(m.PrivateLinksListData, data)

    async def create(
        self, event_type_id: int, body: m.PrivateLinksCreateBody | None = None
    ) -> m.PrivateLinksCreateData:
        """POST /v2/event-types/{eventTypeId}/private-links (``expiresAt`` or
        ``maxUsageCount``, both optional)."""
        data = await self._client.call(
            "private_links.create", path_params={"eventTypeId": event_type_id}, json=body or {}
        )
        return cast(m.PrivateLinksCreateData, data)

    async def update(
        self, event_type_id: int, link_id: str, body: m.PrivateLinksUpdateBody
    ) -> m.PrivateLinksUpdateData:
        """PATCH /v2/event-types/{eventTypeId}/private-links/{linkId}."""
        path = {"eventTypeId": event_type_id, "linkId": link_id}
        data = await self._client.call("private_links.update", path_params=path, json=body)
        return cast(m.PrivateLinksUpdateData, data)

    async def delete(self, event_type_id: int, link_id: str) -> m.PrivateLinksDeleteData:
        """DELETE /v2/event-types/{eventTypeId}/private-links/{linkId}."""
        path = {"eventTypeId": event_type_id, "linkId": link_id}
        data = await self._client.call("private_links.delete", path_params=path)
        return cast(m.PrivateLinksDeleteData, data)


class AsyncOoo(_AsyncResource):
    """``/v2/me/ooo``: the authenticated user's out-of-office entries (from cal-docs.txt)."""

    async def list(self, **params: Any) -> m.OooListData:
        """GET /v2/me/ooo."""
        return cast(m.OooListData, await self._client.call("ooo.list", params=params))

    async def create(self, body: m.OooCreateBody) -> m.OooCreateData:
        """POST /v2/me/ooo (``start``, ``end`` UTC instants; ``reason``, ``notes``,
        ``toUserId`` optional)."""
        return cast(m.OooCreateData, await self._client.call("ooo.create", json=body))

    async def update(self, ooo_id: int, body: m.OooUpdateBody) -> m.OooUpdateData:
        """PATCH /v2/me/ooo/{oooId}."""
        data = await self._client.call("ooo.update", path_params={"oooId": ooo_id}, json=body)
        return cast(m.OooUpdateData, data)

    async def delete(self, ooo_id: int) -> m.OooDeleteData:
        """DELETE /v2/me/ooo/{oooId}."""
        data = await self._client.call("ooo.delete", path_params={"oooId": ooo_id})
        return cast(m.OooDeleteData, data)


class AsyncApiKeys(_AsyncResource):
    """``/v2/api-keys``."""

    async def refresh(self, body: m.ApiKeysRefreshBody | None = None) -> m.ApiKeysRefreshData:
        """POST /v2/api-keys/refresh: a new key replaces the one used (``apiKeyDaysValid``,
        ``apiKeyNeverExpires`` optional). The client keeps sending the old key: build a new
        client with the returned ``apiKey``."""
        data = await self._client.call("api_keys.refresh", json=body or {})
        return cast(m.ApiKeysRefreshData, data)


class AsyncTimezones(_AsyncResource):
    """``/v2/timezones``."""

    async def list(self) -> m.TimezonesListData:
        """GET /v2/timezones: IANA zone names."""
        return cast(m.TimezonesListData, await self._client.call("timezones.list"))
