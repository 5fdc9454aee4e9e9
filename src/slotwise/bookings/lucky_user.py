"""Choosing the round-robin host of a booking: Cal.com's lucky user (``getLuckyUser``,
cal-semantics.md §4.3), and the record that explains the choice.

Among the free round-robin candidates of one host group:

1. one candidate: chosen (``onlyAvailable``);
2. with ``isRRWeightsEnabled``: keep the candidates with the largest *shortfall* — how far their
   bookings in the reset interval fall below their share by weight (``target = (all bookings +
   all calibration) × weight / total weight of the group's round-robin hosts``, ``shortfall =
   target − (bookings + calibration)``) — then the heaviest;
3. keep the highest ``priority`` (0 = lowest … 4 = highest);
4. the least recently booked: the latest ``createdAt`` of the host's bookings of this event type
   (as organizer or booking host; never booked = first), ties in host order.

Counting (weights only): bookings of this event type, not cancelled or rejected, where the host
is organizer or booking host, in the reset interval — the UTC calendar month (``Team.
rr_reset_interval`` ``DAY``: the day) containing now (``rr_timestamp_basis`` ``CREATED_AT``,
by creation time) or containing the booking's start (``START_TIME``, by start); bookings whose
host was absent (``absentHost``) do not count unless ``includeNoShowInRRCalculation``.
Calibration, so that a host who joined or was away is not flooded afterwards: a host added
during the interval gets the bookings of the others made before they joined divided by the
number of hosts added before them; a host out of office gets, per out-of-office entry, the
others' bookings made during it divided by the number of other hosts.

:func:`load_stats` reads what is needed in at most three statements, whatever the number of
hosts; :func:`choose` is pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.kit.envelope import iso_utc
from slotwise.models import Booking, BookingHost, EventType, OutOfOffice, Team

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
COUNTED = ("accepted", "pending")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A round-robin host of one group: ``user_id``, ``priority`` (0–4), ``weight`` and when
    they were ``added_at`` (UTC, None when unknown)."""

    user_id: int
    priority: int = 2
    weight: int = 100
    added_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Stats:
    """What the choice reads: per user id, ``bookings`` in the interval (with their creation
    times), ``last_booked`` (UTC) and their ``ooo`` entries in the interval; the ``interval``
    itself (UTC)."""

    interval: tuple[datetime, datetime]
    created: dict[int, list[datetime]] = field(default_factory=dict)
    last_booked: dict[int, datetime] = field(default_factory=dict)
    ooo: dict[int, list[tuple[datetime, datetime]]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Choice:
    """The chosen ``user_id`` and ``explanation`` (JSON-ready: the rule that decided and each
    candidate's figures), stored in the booking's metadata as ``slotwiseAssignment``."""

    user_id: int
    explanation: dict[str, Any]


def reset_interval(
    team: Team | None, weights: bool, *, now: datetime, start: datetime
) -> tuple[datetime, datetime]:
    """The UTC interval bookings are counted in: the calendar month (or, with weights and
    ``rr_reset_interval == "DAY"``, the day) containing ``now`` — or ``start`` with weights and
    ``rr_timestamp_basis == "START_TIME"``."""
    by_start = weights and team is not None and team.rr_timestamp_basis == "START_TIME"
    moment = (start if by_start else now).astimezone(UTC)
    if weights and team is not None and team.rr_reset_interval == "DAY":
        lo = moment.replace(hour=0, minute=0, second=0, microsecond=0)
        return lo, lo + timedelta(days=1)
    lo = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    hi = lo.replace(year=lo.year + (lo.month == 12), month=lo.month % 12 + 1)
    return lo, hi


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


async def load_stats(
    session: AsyncSession,
    event_type: EventType,
    team: Team | None,
    user_ids: Sequence[int],
    *,
    weights: bool,
    include_no_show: bool,
    now: datetime,
    start: datetime,
) -> Stats:
    """The figures :func:`choose` needs for ``user_ids`` (all the group's round-robin hosts):
    one statement for the last booking times, and with ``weights`` one for the bookings in the
    interval and one for out-of-office entries. See the module docstring for what counts."""
    interval = reset_interval(team, weights, now=now, start=start)
    ids = list(user_ids)
    as_organizer = select(Booking.user_id.label("uid"), Booking.created_at.label("at")).where(
        Booking.event_type_id == event_type.id,
        Booking.status.in_(COUNTED),
        Booking.user_id.in_(ids),
    )
    as_host = (
        select(BookingHost.user_id.label("uid"), Booking.created_at.label("at"))
        .join(Booking, Booking.id == BookingHost.booking_id)
        .where(
            Booking.event_type_id == event_type.id,
            Booking.status.in_(COUNTED),
            BookingHost.user_id.in_(ids),
        )
    )
    both = union_all(as_organizer, as_host).subquery()
    last = await session.execute(select(both.c.uid, func.max(both.c.at)).group_by(both.c.uid))
    stats = Stats(interval, last_booked={uid: _aware(at) for uid, at in last if at is not None})
    if not weights:
        return stats
    column = (
        Booking.start_time
        if team is not None and team.rr_timestamp_basis == "START_TIME"
        else Booking.created_at
    )
    within = [column >= interval[0], column < interval[1]]
    if not include_no_show:
        within.append(Booking.absent_host.is_(False))
    counted = union_all(as_organizer.where(*within), as_host.where(*within)).subquery()
    for uid, at in await session.execute(select(counted.c.uid, counted.c.at)):
        stats.created.setdefault(uid, []).append(_aware(at))
    entries = await session.execute(
        select(OutOfOffice.user_id, OutOfOffice.start, OutOfOffice.end).where(
            OutOfOffice.user_id.in_(ids),
            OutOfOffice.start < interval[1],
            OutOfOffice.end > interval[0],
        )
    )
    for uid, lo, hi in entries:
        stats.ooo.setdefault(uid, []).append((_aware(lo), _aware(hi)))
    return stats


def _calibration(host: Candidate, group: Sequence[Candidate], stats: Stats) -> float:
    """Bookings a host is credited with for time they could not be booked (joined during the
    interval, out of office)."""
    others = [c for c in group if c.user_id != host.user_id]
    total = 0.0
    lo = stats.interval[0]
    if host.added_at is not None and _aware(host.added_at) > lo:
        joined = _aware(host.added_at)
        earlier = [c for c in others if c.added_at is None or _aware(c.added_at) < joined]
        made = sum(1 for c in others for t in stats.created.get(c.user_id, []) if t < joined)
        if earlier:
            total += made / len(earlier)
    for away_lo, away_hi in stats.ooo.get(host.user_id, []):
        made = sum(
            1 for c in others for t in stats.created.get(c.user_id, []) if away_lo <= t < away_hi
        )
        if others:
            total += made / len(others)
    return total


def choose(
    free: Sequence[Candidate],
    group: Sequence[Candidate],
    stats: Stats,
    *,
    weights: bool,
) -> Choice:
    """The lucky user among the ``free`` candidates of a host ``group`` (every round-robin
    host of the group, free or not, for the weights' shares), as the module docstring says.
    Raises ValueError when ``free`` is empty."""
    if not free:
        raise ValueError("no free candidate")
    figures: dict[int, dict[str, Any]] = {
        c.user_id: {
            "userId": c.user_id,
            "priority": c.priority,
            "weight": c.weight,
            "lastBooked": iso_utc(stats.last_booked[c.user_id])
            if c.user_id in stats.last_booked
            else None,
        }
        for c in free
    }
    explanation: dict[str, Any] = {"candidates": list(figures.values())}
    if len(free) == 1:
        return Choice(free[0].user_id, {**explanation, "rule": "onlyAvailable"})
    remaining = list(free)
    rule = "leastRecentlyBooked"
    if weights:
        calibration = {c.user_id: _calibration(c, group, stats) for c in group}
        all_bookings = sum(len(stats.created.get(c.user_id, [])) for c in group)
        total_weight = sum(c.weight for c in group) or 1
        pool = all_bookings + sum(calibration.values())
        shortfall: dict[int, float] = {}
        for c in remaining:
            booked = len(stats.created.get(c.user_id, []))
            target = pool * c.weight / total_weight
            shortfall[c.user_id] = target - (booked + calibration[c.user_id])
            figures[c.user_id].update(
                bookings=booked,
                calibration=round(calibration[c.user_id], 3),
                shortfall=round(shortfall[c.user_id], 3),
            )
        best = max(shortfall.values())
        remaining = [c for c in remaining if abs(shortfall[c.user_id] - best) < 1e-9]
        heaviest = max(c.weight for c in remaining)
        remaining = [c for c in remaining if c.weight == heaviest]
        explanation["interval"] = {
            "start": iso_utc(stats.interval[0]),
            "end": iso_utc(stats.interval[1]),
        }
        if len(remaining) == 1:
            rule = "weights"
    if len(remaining) > 1:
        top = max(c.priority for c in remaining)
        narrowed = [c for c in remaining if c.priority == top]
        if len(narrowed) == 1 and len(remaining) > 1:
            rule = "priority"
        remaining = narrowed
    if len(remaining) > 1:
        rule = "leastRecentlyBooked"
        remaining = [
            min(remaining, key=lambda c: stats.last_booked.get(c.user_id, EPOCH))
        ]  # min keeps the first of equal ones: host order
    return Choice(remaining[0].user_id, {**explanation, "rule": rule})
