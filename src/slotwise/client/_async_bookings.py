"""The bookings resource of :class:`~slotwise.client.AsyncClient` (``/v2/bookings``,
cal-api-version 2024-08-13). ``_sync_bookings.py`` is generated from this file by
``scripts/gen_sync_client.py``: edit here, then run the script."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, cast

from slotwise.client import models_generated as m
from slotwise.client._async_resources import _AsyncResource

#: ``cal-api-version`` of Cal.com's cursor-paginated GET /v2/bookings (cal-docs.txt).
BOOKINGS_CURSOR_VERSION = "2026-05-01"


class AsyncBookings(_AsyncResource):
    """``/v2/bookings`` (cal-api-version 2024-08-13)."""

    def _uid(self, name: str, uid: str, **kwargs: Any) -> Any:
        return self._client.call(name, path_params={"bookingUid": uid}, **kwargs)

    async def list(self, **filters: Any) -> m.BookingsListData:
        """GET /v2/bookings: one page. Filters as Cal.com names them (``status`` — a list is
        comma-joined —, ``attendeeEmail``, ``eventTypeId``, ``afterStart``, ``sortStart``,
        ``take``, ``skip``, …)."""
        return cast(m.BookingsListData, await self._client.call("bookings.list", params=filters))

    async def iter(self, *, page_size: int = 100, **filters: Any) -> AsyncIterator[Any]:
        """Every booking matching ``filters``, fetched ``page_size`` at a time (take/skip)."""
        async for item in self._client.paginate(
            "bookings.list", params=filters, page_size=page_size
        ):
            yield item

    async def iter_cursor(self, **filters: Any) -> AsyncIterator[Any]:
        """Every booking through Cal.com's cursor pagination of GET /v2/bookings
        (``cal-api-version: 2026-05-01``; ``status`` takes one value)."""
        async for item in self._client.paginate_cursor(
            "bookings.list", params=filters, api_version=BOOKINGS_CURSOR_VERSION
        ):
            yield item

    async def get(self, uid: str) -> m.BookingsGetData:
        """GET /v2/bookings/{bookingUid}."""
        return cast(m.BookingsGetData, await self._uid("bookings.get", uid))

    async def create(self, body: m.BookingsCreateBody) -> m.BookingsCreateData:
        """POST /v2/bookings (``start`` as a UTC instant, ``attendee``, and ``eventTypeId`` or
        ``eventTypeSlug`` + ``username``). Never retried on 5xx: it may have been booked."""
        return cast(m.BookingsCreateData, await self._client.call("bookings.create", json=body))

    async def cancel(
        self, uid: str, body: m.BookingsCancelBody | None = None
    ) -> m.BookingsCancelData:
        """POST /v2/bookings/{bookingUid}/cancel (``cancellationReason`` optional)."""
        return cast(m.BookingsCancelData, await self._uid("bookings.cancel", uid, json=body or {}))

    async def reschedule(
        self, uid: str, body: m.BookingsRescheduleBody
    ) -> m.BookingsRescheduleData:
        """POST /v2/bookings/{bookingUid}/reschedule (``start`` required): the new booking."""
        return cast(
            m.BookingsRescheduleData, await self._uid("bookings.reschedule", uid, json=body)
        )

    async def confirm(self, uid: str) -> m.BookingsConfirmData:
        """POST /v2/bookings/{bookingUid}/confirm (host only)."""
        return cast(m.BookingsConfirmData, await self._uid("bookings.confirm", uid))

    async def decline(
        self, uid: str, body: m.BookingsDeclineBody | None = None
    ) -> m.BookingsDeclineData:
        """POST /v2/bookings/{bookingUid}/decline (``reason`` optional; host only)."""
        return cast(
            m.BookingsDeclineData, await self._uid("bookings.decline", uid, json=body or {})
        )

    async def mark_absent(
        self, uid: str, body: m.BookingsMarkAbsentBody
    ) -> m.BookingsMarkAbsentData:
        """POST /v2/bookings/{bookingUid}/mark-absent (``host`` and/or ``attendees``)."""
        data = await self._uid("bookings.mark_absent", uid, json=body)
        return cast(m.BookingsMarkAbsentData, data)

    async def attendees(self, uid: str) -> m.BookingsAttendeesData:
        """GET /v2/bookings/{bookingUid}/attendees."""
        return cast(m.BookingsAttendeesData, await self._uid("bookings.attendees", uid))

    async def attendee(self, uid: str, attendee_id: int) -> m.BookingsAttendeeData:
        """GET /v2/bookings/{bookingUid}/attendees/{attendeeId}."""
        data = await self._client.call(
            "bookings.attendee", path_params={"bookingUid": uid, "attendeeId": attendee_id}
        )
        return cast(m.BookingsAttendeeData, data)

    async def add_attendee(
        self, uid: str, body: m.BookingsAddAttendeeBody
    ) -> m.BookingsAddAttendeeData:
        """POST /v2/bookings/{bookingUid}/attendees (``name``, ``email``, ``timeZone``)."""
        data = await self._uid("bookings.add_attendee", uid, json=body)
        return cast(m.BookingsAddAttendeeData, data)

    async def add_guests(self, uid: str, body: m.BookingsAddGuestsBody) -> m.BookingsAddGuestsData:
        """POST /v2/bookings/{bookingUid}/guests (``{"guests": [{"email": …}]}``)."""
        return cast(m.BookingsAddGuestsData, await self._uid("bookings.add_guests", uid, json=body))

    async def update_location(
        self, uid: str, body: m.BookingsUpdateLocationBody
    ) -> m.BookingsUpdateLocationData:
        """PATCH /v2/bookings/{bookingUid}/location (``{"location": {"type": …}}``)."""
        data = await self._uid("bookings.update_location", uid, json=body)
        return cast(m.BookingsUpdateLocationData, data)

    async def calendar_links(self, uid: str) -> m.BookingsCalendarLinksData:
        """GET /v2/bookings/{bookingUid}/calendar-links."""
        return cast(m.BookingsCalendarLinksData, await self._uid("bookings.calendar_links", uid))

    async def references(self, uid: str, *, type: str | None = None) -> m.BookingsReferencesData:
        """GET /v2/bookings/{bookingUid}/references (optionally of one ``type``)."""
        data = await self._uid("bookings.references", uid, params={"type": type})
        return cast(m.BookingsReferencesData, data)

    async def by_seat(self, seat_uid: str) -> m.BookingsBySeatData:
        """GET /v2/bookings/by-seat/{seatUid}."""
        data = await self._client.call("bookings.by_seat", path_params={"seatUid": seat_uid})
        return cast(m.BookingsBySeatData, data)

    async def recordings(self, uid: str) -> m.BookingsRecordingsData:
        """GET /v2/bookings/{bookingUid}/recordings."""
        return cast(m.BookingsRecordingsData, await self._uid("bookings.recordings", uid))

    async def transcripts(self, uid: str) -> m.BookingsTranscriptsData:
        """GET /v2/bookings/{bookingUid}/transcripts."""
        return cast(m.BookingsTranscriptsData, await self._uid("bookings.transcripts", uid))
