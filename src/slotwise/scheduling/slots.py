"""Slot generation and booking validation (cal-semantics §2.5–§2.9, §5.3), with our decisions.

Pipeline for one query: every host's working time (weekly hours and overrides) minus their busy
time (bookings widened by buffers, other busy intervals, full limit periods); the hosts'
intersection (collective); Cal.com's grid over each free range in the booker's zone; then the
minimum notice, the booking window and ``only_show_first_available_slot``.

Deliberate differences from Cal.com (each documented where it applies):

- Buffers are symmetric: an existing booking ``b`` blocks
  ``[b.start − b.before − E.after, b.end + b.after + E.before]`` for the new event ``E``, so the
  new meeting with its buffers never overlaps an existing meeting with its buffers. Cal.com
  widens by ``E.before`` on the left and ``E.after`` on the right, right only when they agree.
- Duration limits count the new booking's length at booking time too; count limits count
  bookings overlapping the period at booking time too (see ``limits``).
- The rolling booking window is enforced at booking time (Cal.com #29729); booking windows use
  real zone rules instead of today's UTC offsets.
- Every slot starts at least one minute after ``now`` (notice 0) and never before its free range:
  Cal.com truncates the range start to the minute first, so at 11:59:59 it still lists 12:00.

Internally instants are integer microseconds since the epoch (``intervals.Span``) and slot
starts integer minutes since the epoch: the hot loops do no datetime arithmetic.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from slotwise.scheduling.availability import Schedule, availability_spans
from slotwise.scheduling.intervals import (
    DAY_US,
    MINUTE_US,
    SECOND_US,
    Interval,
    Span,
    from_micros,
    intersect_pairs,
    merge_pairs,
    subtract_pairs,
    to_micros,
)
from slotwise.scheduling.limits import BookingLimits, LimitUsage, exceeds, full_periods
from slotwise.scheduling.window import BookingWindow, start_of_day, window_bounds

GRID_UNITS = (60, 30, 20, 15, 10, 5)
REJECTION_REASONS = (
    "past",
    "out_of_bounds",
    "booking_limit",
    "duration_limit",
    "user_booking_limit",
    "unavailable",
)


@dataclass(frozen=True, slots=True)
class ExistingBooking:
    """An accepted booking occupying a host (any event type): ``start``/``end`` are aware
    instants, ``before_buffer``/``after_buffer`` its own event type's buffers in minutes.

    ``counts_for_limits``: the booking is of the queried event type, so it also counts for that
    event type's count and duration limits (it blocks its time either way).
    """

    start: datetime
    end: datetime
    before_buffer: int = 0
    after_buffer: int = 0
    counts_for_limits: bool = False


@dataclass(frozen=True, slots=True)
class EventRules:
    """The queried event type's scheduling rules (Cal.com names in brackets); minutes throughout.

    ``length`` [lengthInMinutes] (at least 1 is used); ``slot_interval`` [slotInterval]: step
    between starts, None = the duration; ``offset_start`` [offsetStart]: shifts every start and
    widens the step; ``minimum_booking_notice`` (default 120); ``before_buffer``/
    ``after_buffer`` [beforeEventBuffer/afterEventBuffer]; ``show_optimized_slots``;
    ``only_show_first_available_slot``; ``booking_window``; ``count_limits``
    [bookingLimitsCount]; ``duration_limits`` [bookingLimitsDuration]; ``week_start``: Python
    weekday weeks start on for limits (6 = Sunday); ``time_zone``: the event's zone for limits
    and range windows (None: the first host's schedule zone).

    Team event types (cal-semantics §3.2, §3.4), counted team-wide, so a full period is busy
    for every host: ``event_bookings`` — every accepted booking of the event type, whichever
    host holds it, for ``count_limits`` (None: only each host's own, ``counts_for_limits``;
    duration limits stay per host); ``team_limits`` [Team.bookingLimits] over
    ``team_bookings``, the accepted bookings of all the team's event types (rejection reason
    "booking_limit").
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
    event_bookings: tuple[Interval, ...] | None = None
    team_limits: BookingLimits | None = None
    team_bookings: tuple[Interval, ...] = ()


@dataclass(frozen=True, slots=True)
class UserLimits:
    """A host's own booking limits (``/v2/me/booking-limits``): a cap on the number of bookings
    they organise across all their event types per calendar period (count limits only).

    ``limits``: the caps; ``time_zone``: the user's IANA zone, whose local midnights bound the
    periods; ``week_start``: Python weekday weeks start on (6 = Sunday).
    """

    limits: BookingLimits
    time_zone: str
    week_start: int = 6


@dataclass(frozen=True, slots=True)
class HostInput:
    """One host: their schedule, their bookings (any event type) and other busy intervals used
    as given, without buffers (reservations, out-of-office, external calendars).

    ``user_limits``: the host's own booking limits, None when unset; ``user_limit_bookings``:
    the bookings that count for them (UTC intervals; they only count, they block nothing — the
    ones inside the window are in ``bookings`` too). A full period of a user limit is busy as a
    whole, and a booking in it is rejected with reason "user_booking_limit".

    The engine only sees what it is given: bookings and busy time must cover the query window
    widened by the largest buffers and by the slot length (and ``now`` … ``now`` + 61 days for
    rolling windows); counted bookings must cover every limit period the window touches.
    """

    schedule: Schedule
    bookings: Sequence[ExistingBooking] = ()
    busy: Sequence[Interval] = ()
    user_limits: UserLimits | None = None
    user_limit_bookings: Sequence[Interval] = ()


class BookingRejected(Exception):
    """A booking cannot be made. ``reason`` is one of ``REJECTION_REASONS``: "past",
    "out_of_bounds", "booking_limit", "duration_limit", "user_booking_limit" or
    "unavailable"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def grid_unit(frequency: int) -> int:
    """Cal.com's alignment unit: the first of 60, 30, 20, 15, 10, 5 dividing ``frequency``
    (minutes), else 1 (no rounding; e.g. 45 → 15, 90 → 30, 8 → 1)."""
    return next((u for u in GRID_UNITS if frequency % u == 0), 1)


def _require_aware(**values: datetime) -> None:
    for name, value in values.items():
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{name} must be timezone-aware")


def _event_tz(hosts: Sequence[HostInput], rules: EventRules) -> str:
    if rules.time_zone:
        return rules.time_zone
    return hosts[0].schedule.time_zone if hosts else "UTC"


@dataclass(frozen=True, slots=True)
class _Plan:
    """What one computation needs besides the hosts: lengths in minutes and resolved zones;
    ``shared`` caches the team-wide full limit periods per range."""

    rules: EventRules
    length: int
    frequency: int
    booker: ZoneInfo
    event: ZoneInfo
    shared: dict[tuple[int, int], list[Span]] = field(default_factory=dict, compare=False)


def _shared_full(plan: _Plan, lo_us: int, hi_us: int) -> list[Span]:
    """The periods in ``[lo_us, hi_us)`` full team-wide (the event type's count limits over
    ``rules.event_bookings``, the team's limits over ``rules.team_bookings``): busy for every
    host. Computed once per plan and range."""
    rules = plan.rules
    key = (lo_us, hi_us)
    if key in plan.shared:
        return plan.shared[key]
    out: list[Span] = []
    for limits, bookings in (
        (rules.count_limits, rules.event_bookings),
        (rules.team_limits, rules.team_bookings),
    ):
        if limits is None or bookings is None:
            continue
        out += full_periods(
            LimitUsage((to_micros(i.start), to_micros(i.end)) for i in bookings),
            count_limits=limits,
            duration_limits=None,
            length=plan.length,
            lo_us=lo_us,
            hi_us=max(hi_us, lo_us + 1),
            tz=plan.event,
            week_start=rules.week_start,
        )
    plan.shared[key] = out
    return out


def _busy_spans(host: HostInput, rules: EventRules) -> list[Span]:
    """The host's bookings widened by the symmetric buffers, plus their other busy time."""
    out: list[Span] = []
    for b in host.bookings:
        before = (b.before_buffer + rules.after_buffer) * MINUTE_US
        after = (b.after_buffer + rules.before_buffer) * MINUTE_US
        out.append((to_micros(b.start) - before, to_micros(b.end) + after))
    out.extend((to_micros(i.start), to_micros(i.end)) for i in host.busy)
    return out


def _usage(host: HostInput) -> LimitUsage:
    return LimitUsage(
        (to_micros(b.start), to_micros(b.end)) for b in host.bookings if b.counts_for_limits
    )


def _user_usage(host: HostInput) -> LimitUsage:
    return LimitUsage((to_micros(i.start), to_micros(i.end)) for i in host.user_limit_bookings)


def _full_user_periods(host: HostInput, length: int, lo_us: int, hi_us: int) -> list[Span]:
    """The periods of the host's own booking limits overlapping ``[lo_us, hi_us)`` that are
    full (count limits, periods in the user's zone and week start)."""
    own = host.user_limits
    if own is None:
        return []
    return full_periods(
        _user_usage(host),
        count_limits=own.limits,
        duration_limits=None,
        length=length,
        lo_us=lo_us,
        hi_us=max(hi_us, lo_us + 1),
        tz=ZoneInfo(own.time_zone),
        week_start=own.week_start,
    )


def overlaps_busy(
    bookings: Sequence[ExistingBooking],
    busy: Sequence[Interval],
    *,
    start: datetime,
    end: datetime,
    before_buffer: int = 0,
    after_buffer: int = 0,
) -> bool:
    """Whether a new meeting ``[start, end)`` with ``before_buffer``/``after_buffer`` minutes
    meets a host's busy time: one of ``bookings`` widened by the symmetric buffers (its own
    stored ones and the new meeting's, as in listing) or one of the ``busy`` intervals.
    Working hours and limits are not considered: reservations and confirmations ask only
    "does this overlap something that occupies the host?". Raises ValueError for naive
    datetimes."""
    _require_aware(start=start, end=end)
    host = HostInput(Schedule("UTC", ()), bookings, busy)
    rules = EventRules(length=1, before_buffer=before_buffer, after_buffer=after_buffer)
    start_us, end_us = to_micros(start), to_micros(end)
    return any(s < end_us and e > start_us for s, e in _busy_spans(host, rules))


def _host_free_spans(host: HostInput, plan: _Plan, lo_us: int, hi_us: int) -> list[Span]:
    """Time in ``[lo_us, hi_us]`` when ``host`` works and is free (buffers, limits)."""
    rules = plan.rules
    busy = _busy_spans(host, rules)
    busy += _shared_full(plan, lo_us, hi_us)
    own_counts = rules.count_limits if rules.event_bookings is None else None
    if own_counts is not None or rules.duration_limits is not None:
        busy += full_periods(
            _usage(host),
            count_limits=own_counts,
            duration_limits=rules.duration_limits,
            length=plan.length,
            lo_us=lo_us,
            hi_us=hi_us,
            tz=plan.event,
            week_start=rules.week_start,
        )
    busy += _full_user_periods(host, plan.length, lo_us, hi_us)
    return subtract_pairs(availability_spans(host.schedule, lo_us, hi_us), busy)


@dataclass(frozen=True, slots=True)
class _Team:
    """Who must be free for a slot, as indexes into ``hosts``: every host of ``fixed``, and at
    least one host of each of ``groups`` (round robin). Collective and personal event types have
    every host fixed and no groups."""

    hosts: tuple[HostInput, ...]
    fixed: tuple[int, ...]
    groups: tuple[tuple[int, ...], ...] = ()

    @classmethod
    def all_of(cls, hosts: Sequence[HostInput]) -> _Team:
        return cls(tuple(hosts), tuple(range(len(hosts))))


def _team_free(
    team: _Team, plan: _Plan, lo_us: int, hi_us: int
) -> tuple[list[Span], dict[int, list[Span]]]:
    """The team's free time in ``[lo_us, hi_us]`` — the intersection of the fixed hosts' free
    time and, per group, the union of its members' — and each host's own free spans (only the
    hosts computed before the intersection became empty)."""
    per: dict[int, list[Span]] = {}
    common: list[Span] | None = None
    for i in team.fixed:
        per[i] = free = _host_free_spans(team.hosts[i], plan, lo_us, hi_us)
        common = free if common is None else intersect_pairs(common, free)
        if not common:
            return [], per
    for group in team.groups:
        union: list[Span] = []
        for i in group:
            per[i] = _host_free_spans(team.hosts[i], plan, lo_us, hi_us)
            union.extend(per[i])
        merged = merge_pairs(union)
        common = merged if common is None else intersect_pairs(common, merged)
        if not common:
            return [], per
    return common or [], per


def _free_spans(hosts: Sequence[HostInput], plan: _Plan, lo_us: int, hi_us: int) -> list[Span]:
    """Time in ``[lo_us, hi_us]`` when every host works and is free (buffers, limits)."""
    return _team_free(_Team.all_of(hosts), plan, lo_us, hi_us)[0]


def _free_members(team: _Team, per: dict[int, list[Span]], start_us: int, end_us: int) -> set[int]:
    """The hosts (indexes) whose own free spans hold ``[start_us, end_us − 1 s]``."""
    return {i for i, spans in per.items() if _fits(spans, start_us, end_us)}


def _satisfied(team: _Team, free: set[int]) -> bool:
    """Whether ``free`` hosts satisfy the team: all fixed, and one of each group."""
    return all(i in free for i in team.fixed) and all(
        any(i in free for i in group) for group in team.groups
    )


def _team_fits(team: _Team, per: dict[int, list[Span]], start_us: int, end_us: int) -> bool:
    """:func:`_satisfied` for ``[start_us, end_us)`` without computing every free member: each
    fixed host, then each group until one member fits (stops at the first that does)."""
    empty: list[Span] = []
    return all(_fits(per.get(i, empty), start_us, end_us) for i in team.fixed) and all(
        any(_fits(per.get(i, empty), start_us, end_us) for i in group) for group in team.groups
    )


UTC_NAMES = frozenset({"UTC", "Etc/UTC", "GMT", "Etc/GMT", "Etc/Universal", "Etc/Zulu"})


class _MinuteOfHour:
    """The minute of the hour, in ``zone``, of instants given as epoch minutes.

    Offsets are cached per 6-hour UTC bucket; a bucket holding a transition (its two ends
    disagree) is converted exactly, minute by minute.
    """

    _BUCKET = 360

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self.utc = zone.key in UTC_NAMES
        self._offsets: dict[int, int | None] = {}

    def _offset(self, minute: int) -> int:
        offset = datetime.fromtimestamp(minute * 60, self.zone).utcoffset()
        return int(offset.total_seconds()) // 60 if offset is not None else 0

    def __call__(self, minute: int) -> int:
        if self.utc:
            return minute % 60
        key = minute // self._BUCKET
        if key not in self._offsets:
            first = self._offset(key * self._BUCKET)
            last = self._offset((key + 1) * self._BUCKET - 1)
            self._offsets[key] = first if first == last else None
        offset = self._offsets[key]
        if offset is None:
            offset = self._offset(minute)
        return (minute + offset) % 60


def _generate(
    free: Sequence[Span], plan: _Plan, *, earliest_us: int, last_start_us: int
) -> list[int]:
    """Cal.com's ``getSlots`` (§2.8) over sorted ``free`` spans: slot starts in minutes since
    the epoch, sorted, each ``>= earliest_us`` and ``<= last_start_us``.

    Per range: start at max(range start, earliest) truncated to the minute; align to the grid
    unit in the booker's zone (or Cal.com's showOptimizedSlots rule); add offsetStart; snap to
    an earlier emitted slot whose step straddles the start; then step by frequency +
    offsetStart while ``start + length − 1 s <= range end``. A truncated start that falls
    before the range (or ``earliest``) is skipped, never emitted (Cal.com drops it for the
    notice only, and would emit it into a busy second otherwise).
    """
    rules = plan.rules
    unit = grid_unit(plan.frequency)
    offset_start = max(0, rules.offset_start)
    step = plan.frequency + offset_start
    span_us = plan.length * MINUTE_US - SECOND_US
    last_start = last_start_us // MINUTE_US
    minute_of_hour = _MinuteOfHour(plan.booker)
    emitted: list[int] = []
    for r_start, r_end in free:
        base = r_start if r_start > earliest_us else earliest_us
        s = base // MINUTE_US
        if unit > 1:
            minute = minute_of_hour(s)
            rem = minute % unit
            if rem and rules.show_optimized_slots:
                spare = ((r_end - s * MINUTE_US) // MINUTE_US) % unit
                for need in (unit - rem, 15 - minute % 15, 5 - minute % 5):
                    if spare >= need:
                        s += need
                        break
            elif rem:
                s += unit - rem
        s += offset_start
        if emitted:
            # the last emitted start before s (usually simply the last one emitted)
            i = len(emitted) if emitted[-1] < s else bisect.bisect_left(emitted, s)
            if i:
                prev = emitted[i - 1]
                if prev + step > s:
                    s = prev if prev * MINUTE_US >= r_start else prev + step
        # the starts s, s + step, … that are >= base and fit: a range of integers
        stop = min(last_start, (r_end - span_us) // MINUTE_US)
        first = -(-base // MINUTE_US)
        if s < first:
            s += -(-(first - s) // step) * step
        if s > stop:
            continue
        if not emitted or s > emitted[-1]:
            emitted.extend(range(s, stop + 1, step))  # the usual case: disjoint ranges
            continue
        for t in range(s, stop + 1, step):  # overlapping ranges: skip starts already emitted
            i = bisect.bisect_left(emitted, t)
            if i == len(emitted) or emitted[i] != t:
                emitted.insert(i, t)
    return emitted


def _raw_starts(
    team: _Team,
    plan: _Plan,
    *,
    lo_us: int,
    last_us: int,
    now_us: int,
    until_us: int | None = None,
) -> tuple[list[int], dict[int, list[Span]]]:
    """Slot starts (minutes since the epoch) in ``[lo_us, last_us]`` honouring the minimum
    notice (and at least one minute ahead of now, as Cal.com), ignoring the booking window; and
    each host's free spans they were found in.

    Availability is clipped at ``until_us`` (the query end: whole slots must fit before it);
    None clips only as far as a slot starting at ``last_us`` needs. With round-robin groups, a
    start is kept only when some member of every group is free for the whole slot (the groups'
    union may hold a slot no single member can take).
    """
    notice_us = max(plan.rules.minimum_booking_notice, 1) * MINUTE_US
    earliest = max(lo_us, now_us + notice_us)
    if earliest > last_us:
        return [], {}
    end = last_us + plan.length * MINUTE_US if until_us is None else until_us
    free, per = _team_free(team, plan, earliest, end)
    starts = _generate(free, plan, earliest_us=earliest, last_start_us=last_us)
    if team.groups:
        length_us = plan.length * MINUTE_US
        starts = [
            m for m in starts if _team_fits(team, per, m * MINUTE_US, m * MINUTE_US + length_us)
        ]
    return starts, per


def _bounds(team: _Team, plan: _Plan, now: datetime) -> tuple[int | None, int | None]:
    """The booking window as ``[lo, hi)`` microseconds (None = unbounded)."""
    window = plan.rules.booking_window
    if window is None:
        return None, None
    now_us = to_micros(now)

    def dates_with_slots(first: date, last: date) -> set[date]:
        lo = to_micros(start_of_day(first, plan.booker))
        hi = to_micros(start_of_day(date.fromordinal(last.toordinal() + 1), plan.booker)) - 1
        starts, _ = _raw_starts(team, plan, lo_us=lo, last_us=hi, now_us=now_us)
        return {datetime.fromtimestamp(m * 60, plan.booker).date() for m in starts}

    lo, hi = window_bounds(
        window,
        now=now,
        booker_tz=plan.booker.key,
        event_tz=plan.event.key,
        dates_with_slots=dates_with_slots,
    )
    return (None if lo is None else to_micros(lo)), (None if hi is None else to_micros(hi))


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
    """:func:`compute_slot_minutes` as aware UTC datetimes (same arguments and errors)."""
    minutes = compute_slot_minutes(
        hosts,
        rules,
        window_start=window_start,
        window_end=window_end,
        booker_tz=booker_tz,
        now=now,
        duration=duration,
    )
    return [datetime.fromtimestamp(m * 60, UTC) for m in minutes]


def compute_slot_minutes(
    hosts: Sequence[HostInput],
    rules: EventRules,
    *,
    window_start: datetime,
    window_end: datetime,
    booker_tz: str,
    now: datetime,
    duration: int | None = None,
) -> list[int]:
    """Sorted slot starts, as UTC epoch minutes (``int(start.timestamp()) // 60``), in
    ``[window_start, window_end]`` when ALL hosts are free.

    A slot lasts ``duration`` minutes (default ``rules.length``) and fits a free range when
    ``start + length − 1 s <= range end`` (Cal.com). Starts step by ``slot_interval``, else
    ``duration``, else ``length``, plus ``offset_start``; they are aligned to the grid in
    ``booker_tz`` and re-aligned at the start of every free range, as Cal.com (so 60-minute
    slots in 12:30–17:30 are 13:00 … 16:00). Free time is the hosts' working hours minus
    bookings widened by the symmetric buffers, busy intervals and full limit periods (event
    zone), intersected across hosts (collective). Starts are at least ``now`` +
    ``minimum_booking_notice`` (and one minute after ``now`` when the notice is 0), inside the
    booking window, and with ``only_show_first_available_slot`` the first of each ``booker_tz``
    date is kept.

    Window (Cal.com's): availability is clipped to ``[window_start, window_end]``, so alignment
    restarts at ``window_start`` and whole slots lie inside the window (with the 1-second
    tolerance, an API v2 date-only end of 23:59:59 still admits a slot ending at midnight); a
    slot crossing ``window_end`` belongs to no query ending there. Rolling booking windows count
    days from today whatever the query window. No hosts or an empty window give ``[]``. Raises
    ValueError for naive datetimes, ZoneInfoNotFoundError for an unknown zone.
    """
    return _team_slots(
        _Team.all_of(hosts),
        rules,
        window_start=window_start,
        window_end=window_end,
        booker_tz=booker_tz,
        now=now,
        duration=duration,
    )[0]


def _team_slots(
    team: _Team,
    rules: EventRules,
    *,
    window_start: datetime,
    window_end: datetime,
    booker_tz: str,
    now: datetime,
    duration: int | None = None,
) -> tuple[list[int], dict[int, list[Span]], int]:
    """:func:`compute_slot_minutes` for a team: the starts, each host's free spans and the
    slot length in minutes."""
    _require_aware(window_start=window_start, window_end=window_end, now=now)
    if not team.hosts or window_end < window_start:
        return [], {}, max(1, duration or rules.length)
    plan = _Plan(
        rules=rules,
        length=max(1, duration or rules.length),
        frequency=max(1, rules.slot_interval or duration or rules.length),
        booker=ZoneInfo(booker_tz),
        event=ZoneInfo(_event_tz(team.hosts, rules)),
    )
    lo, hi = _bounds(team, plan, now)
    end = to_micros(window_end)
    starts, per = _raw_starts(
        team,
        plan,
        lo_us=to_micros(window_start),
        last_us=end if hi is None else min(end, hi - 1),
        now_us=to_micros(now),
        until_us=end,
    )
    if lo is not None:
        starts = [m for m in starts if m * MINUTE_US >= lo]
    if rules.only_show_first_available_slot:
        firsts: dict[date, int] = {}
        for m in starts:
            firsts.setdefault(datetime.fromtimestamp(m * 60, plan.booker).date(), m)
        starts = sorted(firsts.values())
    return starts, per, plan.length


_LATEST = 2**63
"""Larger than any span end (microseconds), for bisecting spans by their start."""


def _fits(free: Sequence[Span], start_us: int, end_us: int) -> bool:
    """Whether ``[start, end − 1 s]`` lies inside one of the disjoint sorted ``free`` spans
    (the listing's fit rule, so that every listed slot is bookable)."""
    # the last span starting at or before start_us, however long it is
    i = bisect.bisect_right(free, (start_us, _LATEST)) - 1
    return i >= 0 and free[i][0] <= start_us and end_us - SECOND_US <= free[i][1]


def check_booking(
    hosts: Sequence[HostInput],
    rules: EventRules,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    booker_tz: str | None = None,
) -> None:
    """Validate a booking ``[start, end)`` for every host; return None if it may be made.

    Raises BookingRejected, checking in this order: "past" (``start < now``); "out_of_bounds"
    (``start < now + minimum_booking_notice``, or outside the booking window, rolling windows
    included — Cal.com skips those, #29729); "booking_limit" / "duration_limit" (a period the
    booking overlaps is full for a booking of ``end − start`` minutes, any host);
    "user_booking_limit" (a period of some host's own booking limits that the booking
    overlaps is full); "unavailable" (no hosts, or for some host ``[start, end − 1 s]`` is not
    inside one working range clear of buffered bookings and busy intervals). The start need
    not be on the slot grid (Cal.com: a free 09:07 is accepted). ``booker_tz`` places the
    day-based windows as the listing did (default: the event zone). Raises ValueError for
    naive datetimes or ``end <= start``.
    """
    _team_check(_Team.all_of(hosts), rules, start=start, end=end, now=now, booker_tz=booker_tz)


def _host_reason(
    host: HostInput, plan: _Plan, start_us: int, end_us: int, length: int
) -> str | None:
    """Why ``host`` cannot take ``[start_us, end_us)`` — "booking_limit", "duration_limit",
    "user_booking_limit" or "unavailable", checked in that order — or None when they can."""
    rules = plan.rules
    usage = [_usage(host)]
    if any(s < end_us and e > start_us for s, e in _shared_full(plan, start_us, end_us)):
        return "booking_limit"
    own_counts = rules.count_limits if rules.event_bookings is None else None
    for limits, is_count, reason in (
        (own_counts, True, "booking_limit"),
        (rules.duration_limits, False, "duration_limit"),
    ):
        if exceeds(
            usage,
            limits,
            is_count=is_count,
            start_us=start_us,
            end_us=end_us,
            length=length,
            tz=plan.event,
            week_start=rules.week_start,
        ):
            return reason
    if _full_user_periods(host, length, start_us, end_us):
        return "user_booking_limit"
    avail = availability_spans(host.schedule, start_us - DAY_US, end_us + DAY_US)
    if not _fits(subtract_pairs(avail, _busy_spans(host, rules)), start_us, end_us):
        return "unavailable"
    return None


def _team_check(
    team: _Team,
    rules: EventRules,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    booker_tz: str | None = None,
) -> frozenset[int]:
    """:func:`check_booking` for a team: the hosts (indexes) free for the booking — every fixed
    host and the free members of each group — or BookingRejected. When the team cannot take it,
    the reason is the earliest (in ``REJECTION_REASONS`` order) among the fixed hosts that
    cannot and, for a group none of whose members can, its members' earliest reason; so with
    one host, or every host fixed, the reason is what checking each host in turn would give."""
    _require_aware(start=start, end=end, now=now)
    if end <= start:
        raise ValueError("end must be after start")
    if not team.hosts:
        raise BookingRejected("unavailable")
    if start < now:
        raise BookingRejected("past")
    start_us, end_us = to_micros(start), to_micros(end)
    length = -(-(end_us - start_us) // MINUTE_US)
    event_tz = _event_tz(team.hosts, rules)
    plan = _Plan(
        rules=rules,
        length=length,
        frequency=max(1, rules.slot_interval or length),
        booker=ZoneInfo(booker_tz or event_tz),
        event=ZoneInfo(event_tz),
    )
    if start_us < to_micros(now) + max(0, rules.minimum_booking_notice) * MINUTE_US:
        raise BookingRejected("out_of_bounds")
    lo, hi = _bounds(team, plan, now)
    if (lo is not None and start_us < lo) or (hi is not None and start_us >= hi):
        raise BookingRejected("out_of_bounds")
    reasons = {
        i: _host_reason(team.hosts[i], plan, start_us, end_us, length)
        for i in (*team.fixed, *(i for group in team.groups for i in group))
    }
    blocking = [str(reasons[i]) for i in team.fixed if reasons[i] is not None]
    for group in team.groups:
        if all(reasons[i] is not None for i in group):
            blocking.append(min((str(reasons[i]) for i in group), key=REJECTION_REASONS.index))
    if blocking:
        raise BookingRejected(min(blocking, key=REJECTION_REASONS.index))
    return frozenset(i for i, reason in reasons.items() if reason is None)


def free_ranges(
    hosts: Sequence[HostInput],
    rules: EventRules,
    *,
    window_start: datetime,
    window_end: datetime,
    length: int,
) -> list[Interval]:
    """UTC intervals in ``[window_start, window_end]`` when every host works and is free:
    working hours minus symmetric-buffered bookings, busy intervals and the limit periods that
    are full for a ``length``-minute booking. No notice, window or grid applied."""
    _require_aware(window_start=window_start, window_end=window_end)
    if not hosts:
        return []
    plan = _Plan(
        rules, max(1, length), max(1, length), ZoneInfo("UTC"), ZoneInfo(_event_tz(hosts, rules))
    )
    spans = _free_spans(hosts, plan, to_micros(window_start), to_micros(window_end))
    return [Interval(from_micros(s), from_micros(e)) for s, e in spans]


def group_by_date(starts: Iterable[datetime], tz: str) -> dict[str, list[datetime]]:
    """Group aware instants by their ``YYYY-MM-DD`` date in zone ``tz`` (Cal.com's keys in the
    booker zone). Keys are in date order; each list is sorted and holds UTC datetimes."""
    zone = ZoneInfo(tz)
    out: dict[str, list[datetime]] = {}
    for s in sorted(starts):
        out.setdefault(s.astimezone(zone).date().isoformat(), []).append(s.astimezone(UTC))
    return out
