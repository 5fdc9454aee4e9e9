"""GET /v2/bookings with ``cal-api-version: 2026-05-01``: cursor pagination.

As Cal.com's documentation: ``status`` is one status or none; it decides the walk:

| status | order | page-1 anchor |
|---|---|---|
| (none) | newest first | start before 2100-01-01 |
| upcoming, recurring, unconfirmed | oldest first | start at or after now − 1 hour |
| past | newest first | start at or before now |
| cancelled | newest first | start before 2100-01-01 |

Cal.com orders by its time-ordered booking uuid; Slotwise orders by ``(start time, id)``, the
same order with a tie-break. ``cursor`` is opaque (URL-safe base64 of the last item's position
and the walk it belongs to); a cursor from another ``status`` or a damaged one is a 400.
``take`` (default 100, at most 250) items per page. The other filters are those of 2024-08-13;
``skip`` and the sort parameters do not exist here (400). The answer carries
``pagination: {nextCursor, hasMore}`` (``nextCursor`` null on the last page) and items in the
``BookingOutput_2024_08_13`` shape.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator
from sqlalchemy import and_, or_
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings import repository
from slotwise.bookings.output import render
from slotwise.bookings.repository import LoadedBooking
from slotwise.bookings.schemas import (
    LIST_STATUSES,
    MAX_TAKE,
    ListBookingsQuery,
    comma_ints,
)
from slotwise.kit import clock
from slotwise.kit.errors import BadRequest
from slotwise.kit.schemas import INT32_MAX, Instant, StrictQuery, Whole, instant_in_range
from slotwise.models import Booking, User

CURSOR_VERSION = "2026-05-01"
FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FORWARD = frozenset({"upcoming", "recurring", "unconfirmed"})


class CursorBookingsQuery(StrictQuery):
    """Query parameters of GET /v2/bookings (2026-05-01). Unknown parameters are a 400."""

    status: Literal["upcoming", "recurring", "past", "cancelled", "unconfirmed"] | None = None
    cursor: str | None = Field(default=None, max_length=500)
    take: Annotated[int, Whole(1, INT32_MAX, text=True)] = 100
    attendeeEmail: str | None = None
    attendeeName: str | None = None
    bookingUid: str | None = None
    eventTypeIds: str | None = None
    eventTypeId: str | None = None
    teamsIds: str | None = None
    teamId: str | None = None
    afterStart: Instant | None = None
    beforeEnd: Instant | None = None
    afterCreatedAt: Instant | None = None
    beforeCreatedAt: Instant | None = None
    afterUpdatedAt: Instant | None = None
    beforeUpdatedAt: Instant | None = None

    @field_validator("status", mode="before")
    @classmethod
    def _one_status(cls, value: Any) -> Any:
        if isinstance(value, str) and "," in value:
            raise ValueError(
                "status filters to a single status (one of "
                + ", ".join(LIST_STATUSES)
                + "): send one request per status"
            )
        return value

    @field_validator("eventTypeIds", "eventTypeId", "teamsIds", "teamId")
    @classmethod
    def _ids(cls, value: str | None, info: ValidationInfo) -> str | None:
        comma_ints(value, str(info.field_name))
        return value

    def as_list_query(self) -> ListBookingsQuery:
        """The 2024-08-13 query with the same filters (for the shared WHERE conditions)."""
        data = self.model_dump(exclude={"cursor", "take"}, exclude_none=True)
        return ListBookingsQuery.model_validate(data)


def _encode(walk: str, booking: Booking) -> str:
    micros = (booking.start_time - EPOCH) // timedelta(microseconds=1)
    raw = json.dumps({"w": walk, "s": micros, "i": booking.id}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, walk: str) -> tuple[datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        start = EPOCH + timedelta(microseconds=int(data["s"]))
        ident = int(data["i"])
        given_walk = str(data["w"])
        instant_in_range(start)
        if not 0 <= ident <= INT32_MAX:
            raise ValueError(ident)
    except (ValueError, KeyError, TypeError, binascii.Error, OverflowError, OSError):
        raise BadRequest("Invalid cursor: pass pagination.nextCursor unchanged.") from None
    if given_walk != walk:
        raise BadRequest(
            "This cursor belongs to another status filter: pass the same status as in the "
            "request that returned it."
        )
    return start, ident


async def list_bookings_cursor(
    session: AsyncSession, user: User, query: CursorBookingsQuery
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One page of ``user``'s bookings (organised or attended): ``(data, pagination)``.

    Two queries: the page (``take`` + 1 rows, joined with organizers and event types) and the
    attendees of the page. Raises BadRequest for a bad cursor.
    """
    now = clock.now()
    walk = query.status or "all"
    forward = walk in FORWARD
    conds = repository.filters(query.as_list_query(), user, now)
    if query.cursor:
        start, ident = _decode(query.cursor, walk)
        if forward:
            conds.append(
                or_(
                    Booking.start_time > start,
                    and_(Booking.start_time == start, Booking.id > ident),
                )
            )
        else:
            conds.append(
                or_(
                    Booking.start_time < start,
                    and_(Booking.start_time == start, Booking.id < ident),
                )
            )
    elif forward:
        conds.append(Booking.start_time >= now - timedelta(hours=1))
    elif walk == "past":
        conds.append(Booking.start_time <= now)
    else:
        conds.append(Booking.start_time < FAR_FUTURE)
    order: list[Any] = (
        [Booking.start_time.asc(), Booking.id.asc()]
        if forward
        else [Booking.start_time.desc(), Booking.id.desc()]
    )
    take = min(query.take, MAX_TAKE)
    rows = (
        await session.execute(repository.joined().where(*conds).order_by(*order).limit(take + 1))
    ).all()
    loaded = [LoadedBooking(r[0], r[1], r[2]) for r in rows[:take]]
    has_more = len(rows) > take
    attendees = await repository.attendees_by_booking(session, [lb.booking.id for lb in loaded])
    data = [
        render(lb.booking, lb.organizer, lb.event_type, attendees[lb.booking.id], viewer=user)
        for lb in loaded
    ]
    next_cursor = _encode(walk, loaded[-1].booking) if has_more and loaded else None
    return data, {"nextCursor": next_cursor, "hasMore": has_more}
