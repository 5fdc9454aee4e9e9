"""Slot generation and booking validation (Cal.com §2.8–§2.9 and §5.3, with our decisions).

Decisions that differ from Cal.com (docs/compatibility.md): buffers are symmetric — an existing
booking ``b`` blocks ``[b.start − b.before − E.after, b.end + b.after + E.before]`` for a new
event ``E``; duration limits count the new booking's own length; rolling booking windows are
enforced at booking time.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from slotwise.scheduling.availability import Schedule, availability_ranges
from slotwise.scheduling.intervals import Interval, intersect, subtract
from slotwise.scheduling.limits import BookingLimits, full_periods, limit_reached
from slotwise.scheduling.window import ROLLING_MAX_DAYS, BookingWindow, window_bounds

ONE_SECOND = timedelta(seconds=1)
GRID_UNITS = (60, 30, 20, 15, 10, 5)


@dataclass(frozen=True, slots=True)
class ExistingBooking:
    """A booking that occupies a host: UTC ``start``/``end``, its own buffers in minutes.
    ``counts_for_limits``: it is a booking of the queried event type (counts for its limits)."""

    start: datetime
    end: datetime
    before_buffer: int = 0
    after_buffer: int = 0
    counts_for_limits: bool = False


@dataclass(frozen=True, slots=True)
class EventRules:
    """The event type's scheduling rules; all durations in minutes.

    ``time_zone``: the event's zone for limits and range windows (default: the first host's
    schedule zone). ``week_start``: Python weekday number weeks start on (6 = Sunday).
    """

    length: int
    slot_interval: int | None = None
    offset_start: int = 0
    minimum_booking_notice: int = 120
    before_buffer: int = 0
    after_buffer: int = 0
    show_optimized_slots: bool = False
    only_show_first_available_slot: bool = False
    booking_window: BookingWindow | None = None
    count_limits: BookingLimits | None = None
    duration_limits: BookingLimits | None = None
    week_start: int = 6
    time_zone: str | None = None


@dataclass(frozen=True, slots=True)
class HostInput:
    """One host: their schedule, their bookings (any event type) and other busy intervals used
    as given (reservations, out-of-office, external calendars)."""

    schedule: Schedule
    bookings: Sequence[ExistingBooking] = ()
    busy: Sequence[Interval] = ()


class BookingRejected(Exception):
    """A start cannot be booked. ``reason``: past, out_of_bounds, booking_limit,
    duration_limit or unavailable."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _event_tz(hosts: Sequence[HostInput], rules: EventRules) -> str:
    if rules.time_zone:
        return rules.time_zone
    return hosts[0].schedule.time_zone if hosts else "UTC"


def _buffered(host: HostInput, rules: EventRules) -> list[Interval]:
    out = [
        Interval(
            b.start - timedelta(minutes=b.before_buffer + rules.after_buffer),
            b.end + timedelta(minutes=b.after_buffer + rules.before_buffer),
        )
        for b in host.bookings
    ]
    out.extend(host.busy)
    return out


def _limit_busy(
    host: HostInput, rules: EventRules, length: int, start: datetime, end: datetime, tz: str
) -> list[Interval]:
    if rules.count_limits is None and rules.duration_limits is None:
        return []
    counted = [Interval(b.start, b.end) for b in host.bookings if b.counts_for_limits]
    return full_periods(
        counted,
        count_limits=rules.count_limits,
        duration_limits=rules.duration_limits,
        length=length,
        window_start=start,
        window_end=end,
        tz=tz,
        week_start=rules.week_start,
    )


def free_ranges(
    hosts: Sequence[HostInput],
    rules: EventRules,
    *,
    window_start: datetime,
    window_end: datetime,
    length: int,
) -> list[Interval]:
    """Time in the window when every host is working and free (buffers and limits applied)."""
    tz = _event_tz(hosts, rules)
    common: list[Interval] | None = None
    for host in hosts:
        avail = availability_ranges(host.schedule, window_start, window_end)
        busy = _buffered(host, rules)
        busy += _limit_busy(host, rules, length, window_start, window_end, tz)
        free = subtract(avail, busy)
        common = free if common is None else intersect(common, free)
    return common or []


def _grid_unit(frequency: int) -> int:
    return next((u for u in GRID_UNITS if frequency % u == 0), 1)


class _Offsets:
    """UTC offsets (seconds) of one zone at epoch seconds, cached per 6-hour bucket."""

    BUCKET = 6 * 3600

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self.cache: dict[int, int] = {}

    def at(self, ts: int) -> int:
        key = ts // self.BUCKET
        found = self.cache.get(key)
        if found is None:
            first = datetime.fromtimestamp(key * self.BUCKET, self.tz).utcoffset()
            last = datetime.fromtimestamp((key + 1) * self.BUCKET - 1, self.tz).utcoffset()
            if first != last:  # a transition inside the bucket: exact answer, not cached
                exact = datetime.fromtimestamp(ts, self.tz).utcoffset()
                return int(exact.total_seconds()) if exact else 0
            found = self.cache[key] = int(first.total_seconds()) if first else 0
        return found


def _align(s: int, end: int, unit: int, optimized: bool, offsets: _Offsets) -> int:
    """Move the epoch second ``s`` (whole minutes) to the grid of ``unit`` minutes in the
    booker's zone (Cal.com: round up within the local hour; optimized: smaller moves)."""
    minute = ((s + offsets.at(s)) // 60) % 60
    if minute % unit == 0:
        return s
    if optimized:
        spare = ((end - s) // 60) % unit
        for need in (unit - minute % unit, 15 - minute % 15, 5 - minute % 5):
            if spare >= need:
                return s + need * 60
        return s
    return s + (math.ceil(minute / unit) * unit - minute) * 60


def _generate(
    ranges: Sequence[Interval],
    *,
    length: int,
    frequency: int,
    offset_start: int,
    optimized: bool,
    earliest: datetime,
    booker_tz: ZoneInfo,
) -> list[datetime]:
    """Cal.com's getSlots over ``ranges`` (sorted), re-aligned per range in the booker's zone.

    Works on integer epoch seconds for speed; returns UTC datetimes in time order.
    """
    unit = _grid_unit(frequency)
    step = (frequency + offset_start) * 60
    span = length * 60 - 1
    offsets = _Offsets(booker_tz)
    first = math.floor(earliest.timestamp())
    emitted: list[int] = []
    seen: set[int] = set()
    for rng in ranges:
        rs = math.floor(rng.start.timestamp())
        re = math.floor(rng.end.timestamp())
        s = rs if rs > first else first
        s -= s % 60
        s = _align(s, re, unit, optimized, offsets) + offset_start * 60
        idx = bisect.bisect_left(emitted, s)
        if idx > 0:
            prev = emitted[idx - 1]
            if prev + step > s:
                s = prev if prev >= rs else prev + step
        while s + span <= re:
            if s not in seen:
                seen.add(s)
                if not emitted or s > emitted[-1]:
                    emitted.append(s)
                else:
                    bisect.insort(emitted, s)
            s += step
    return [datetime.fromtimestamp(x, UTC) for x in emitted]


def _raw_slots(
    hosts: Sequence[HostInput],
    rules: EventRules,
    *,
    window_start: datetime,
    window_end: datetime,
    booker_tz: str,
    now: datetime,
    length: int,
    frequency: int,
) -> list[datetime]:
    notice = timedelta(minutes=rules.minimum_booking_notice)
    earliest = max(window_start, now + max(notice, timedelta(minutes=1)))
    if earliest >= window_end:
        return []
    ranges = free_ranges(
        hosts, rules, window_start=earliest - timedelta(minutes=1), window_end=window_end,
        length=length,
    )  # fmt: skip
    starts = _generate(
        ranges,
        length=length,
        frequency=frequency,
        offset_start=rules.offset_start,
        optimized=rules.show_optimized_slots,
        earliest=earliest,
        booker_tz=ZoneInfo(booker_tz),
    )
    threshold = now + notice
    return [s for s in starts if s >= threshold and s > now and window_start <= s <= window_end]


def compute_slots(
    hosts: Sequence[HostInput],
    rules: EventRules,
    *,
    window_start: datetime,
    window_end: datetime,
    booker_tz: str,
    now: datetime,
    duration: int | None = None,
) -> list[datetime]:
    """Sorted UTC slot starts in ``[window_start, window_end]`` when every host is free.

    A slot of ``duration`` (default ``rules.length``) minutes fits entirely inside a free range
    (Cal.com's ``start + length − 1 s <= range end``). Starts step by ``slot_interval`` (else the
    duration) plus ``offset_start``, aligned to the grid in ``booker_tz`` and re-aligned at the
    start of every free range, as Cal.com. Then minimum notice, the booking window and
    ``only_show_first_available_slot`` (per booker-zone date) are applied.
    """
    if not hosts:
        return []
    length = max(1, duration or rules.length)
    frequency = max(1, rules.slot_interval or duration or rules.length)
    window = rules.booking_window

    def raw(lo: datetime, hi: datetime) -> list[datetime]:
        return _raw_slots(
            hosts, rules, window_start=lo, window_end=hi, booker_tz=booker_tz, now=now,
            length=length, frequency=frequency,
        )  # fmt: skip

    starts = raw(window_start, window_end)
    if window is not None:
        slot_dates: list[date] = []
        if window.rolling and window.kind != "range":
            horizon = now + timedelta(days=ROLLING_MAX_DAYS + 1)
            ahead = raw(now, horizon)
            slot_dates = sorted({s.astimezone(ZoneInfo(booker_tz)).date() for s in ahead})
        lo, hi = window_bounds(
            window, now=now, booker_tz=booker_tz, event_tz=_event_tz(hosts, rules),
            slot_dates=slot_dates,
        )  # fmt: skip
        starts = [s for s in starts if (lo is None or s >= lo) and (hi is None or s <= hi)]
    if rules.only_show_first_available_slot:
        tz = ZoneInfo(booker_tz)
        firsts: dict[date, datetime] = {}
        for s in starts:
            firsts.setdefault(s.astimezone(tz).date(), s)
        starts = sorted(firsts.values())
    return starts


def check_booking(
    hosts: Sequence[HostInput],
    rules: EventRules,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
) -> None:
    """Validate a booking ``[start, end)`` (UTC) for all hosts; the start need not be on the grid.

    Raises BookingRejected with, checked in this order: "past" (start < now); "out_of_bounds"
    (inside the minimum notice or outside the booking window); "booking_limit";
    "duration_limit"; "unavailable" (outside any host's working time, or overlapping a buffered
    booking or busy interval).
    """
    if start < now:
        raise BookingRejected("past")
    if start < now + timedelta(minutes=rules.minimum_booking_notice):
        raise BookingRejected("out_of_bounds")
    length = max(1, math.ceil((end - start).total_seconds() / 60))
    tz = _event_tz(hosts, rules)
    window = rules.booking_window
    if window is not None:
        slot_dates: list[date] = []
        if window.rolling and window.kind != "range":
            horizon = now + timedelta(days=ROLLING_MAX_DAYS + 1)
            ahead = _raw_slots(
                hosts, rules, window_start=now, window_end=horizon, booker_tz=tz, now=now,
                length=length, frequency=max(1, rules.slot_interval or length),
            )  # fmt: skip
            slot_dates = sorted({s.astimezone(ZoneInfo(tz)).date() for s in ahead})
        lo, hi = window_bounds(window, now=now, booker_tz=tz, event_tz=tz, slot_dates=slot_dates)
        if (lo is not None and start < lo) or (hi is not None and start > hi):
            raise BookingRejected("out_of_bounds")
    for host in hosts:
        counted = [Interval(b.start, b.end) for b in host.bookings if b.counts_for_limits]
        if limit_reached(
            counted, start=start, length=length, limits=rules.count_limits, is_count=True,
            tz=tz, week_start=rules.week_start,
        ):  # fmt: skip
            raise BookingRejected("booking_limit")
        if limit_reached(
            counted, start=start, length=length, limits=rules.duration_limits, is_count=False,
            tz=tz, week_start=rules.week_start,
        ):  # fmt: skip
            raise BookingRejected("duration_limit")
    wanted = Interval(start, end)
    for host in hosts:
        avail = availability_ranges(
            host.schedule, start - timedelta(days=1), end + timedelta(days=1)
        )
        if not any(r.contains(start, end) for r in avail):
            raise BookingRejected("unavailable")
        if any(b.overlaps(wanted) for b in _buffered(host, rules)):
            raise BookingRejected("unavailable")


def group_by_date(starts: Iterable[datetime], tz: str) -> dict[str, list[datetime]]:
    """Group instants by their ``YYYY-MM-DD`` date in ``tz``; keys and lists sorted."""
    zone = ZoneInfo(tz)
    out: dict[str, list[datetime]] = {}
    for s in sorted(starts):
        out.setdefault(s.astimezone(zone).date().isoformat(), []).append(s)
    return out
