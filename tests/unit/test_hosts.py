"""Event types with several hosts (slotwise.scheduling.hosts): who must be free for a slot,
and which hosts are.

Examples pin each scheduling type; the property test states the relations between them:

- personal = collective for one host, and collective = :func:`compute_slot_minutes` (the
  single-host engine, unchanged) with every host in the set;
- round robin with every host mandatory = collective;
- every round-robin slot's free set holds every mandatory host and a member of each group, and
  is exactly the set :func:`bookable_hosts` gives for that slot;
- for any instant, collective can take it ⟺ each host alone can, and then round robin (any
  choice of mandatory hosts and groups) can too.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.test_properties import BASES, DAYS, hosts

from slotwise.scheduling import (
    COLLECTIVE,
    PERSONAL,
    ROUND_ROBIN,
    BookingLimits,
    BookingRejected,
    EventHost,
    EventRules,
    ExistingBooking,
    HostInput,
    Interval,
    Schedule,
    WeeklyHours,
    bookable_hosts,
    compute_slot_hosts,
    compute_slot_minutes,
)

DAY = datetime(2030, 6, 10, tzinfo=UTC)  # a Monday
NOW = DAY - timedelta(days=7)
RULES = EventRules(length=60, minimum_booking_notice=0)


def _hours(start: int, end: int, *busy: tuple[int, int]) -> HostInput:
    """A UTC host working ``start``–``end`` o'clock every day, with bookings at ``busy``."""
    return HostInput(
        Schedule("UTC", (WeeklyHours(frozenset(range(7)), start * 60, end * 60),)),
        tuple(ExistingBooking(DAY.replace(hour=s), DAY.replace(hour=e)) for s, e in busy),
    )


def _slots(
    team: list[EventHost], kind: str, rules: EventRules = RULES
) -> list[tuple[str, set[int]]]:
    found = compute_slot_hosts(
        team,
        kind,
        rules,
        window_start=DAY,
        window_end=DAY + timedelta(days=1) - timedelta(seconds=1),
        booker_tz="UTC",
        now=NOW,
    )
    return [(datetime.fromtimestamp(m * 60, UTC).strftime("%H:%M"), set(ids)) for m, ids in found]


def _book(team: list[EventHost], kind: str, hour: int, rules: EventRules = RULES) -> set[int]:
    start = DAY.replace(hour=hour)
    return set(
        bookable_hosts(
            team, kind, rules, start=start, end=start + timedelta(minutes=rules.length), now=NOW
        )
    )


def test_collective_needs_every_host() -> None:
    team = [EventHost(1, _hours(9, 12)), EventHost(2, _hours(11, 14))]
    assert _slots(team, COLLECTIVE) == [("11:00", {1, 2})]
    assert _book(team, COLLECTIVE, 11) == {1, 2}
    with pytest.raises(BookingRejected) as rejected:
        _book(team, COLLECTIVE, 9)
    assert rejected.value.reason == "unavailable"


def test_personal_is_the_one_host() -> None:
    team = [EventHost(7, _hours(9, 11, (9, 10)))]
    assert _slots(team, PERSONAL) == [("10:00", {7})]
    assert _slots(team, PERSONAL) == _slots(team, COLLECTIVE)


def test_round_robin_needs_one_free_member() -> None:
    team = [EventHost(1, _hours(9, 12)), EventHost(2, _hours(11, 14))]
    assert _slots(team, ROUND_ROBIN) == [
        ("09:00", {1}),
        ("10:00", {1}),
        ("11:00", {1, 2}),
        ("12:00", {2}),
        ("13:00", {2}),
    ]
    assert _book(team, ROUND_ROBIN, 12) == {2}


def test_round_robin_drops_a_slot_no_single_member_can_take() -> None:
    # The members' union is 09:00–11:00, but 09:30–10:30 fits neither member.
    team = [EventHost(1, _hours(9, 10)), EventHost(2, _hours(10, 11))]
    rules = EventRules(length=60, slot_interval=30, minimum_booking_notice=0)
    assert _slots(team, ROUND_ROBIN, rules) == [("09:00", {1}), ("10:00", {2})]
    start = DAY.replace(hour=9, minute=30)
    with pytest.raises(BookingRejected) as rejected:
        bookable_hosts(
            team, ROUND_ROBIN, rules, start=start, end=start + timedelta(hours=1), now=NOW
        )
    assert rejected.value.reason == "unavailable"


def test_round_robin_mandatory_hosts_and_groups() -> None:
    team = [
        EventHost(1, _hours(9, 17, (13, 17)), mandatory=True),  # free 09–13
        EventHost(2, _hours(9, 11), group="a"),
        EventHost(3, _hours(11, 17), group="a"),
        EventHost(4, _hours(10, 12), group="b"),
    ]
    # the mandatory host and one of group a and group b: 10:00 (2, 4) and 11:00 (3, 4)
    assert _slots(team, ROUND_ROBIN) == [("10:00", {1, 2, 4}), ("11:00", {1, 3, 4})]
    everyone_fixed = [EventHost(h.user_id, h.availability, mandatory=True) for h in team]
    assert _slots(everyone_fixed, ROUND_ROBIN) == _slots(team, COLLECTIVE) == []


def test_round_robin_reason_is_the_earliest_of_a_group_that_cannot() -> None:
    limited = HostInput(
        _hours(9, 17).schedule,
        (ExistingBooking(DAY.replace(hour=15), DAY.replace(hour=16), counts_for_limits=True),),
    )
    team = [EventHost(1, limited), EventHost(2, _hours(14, 15))]
    rules = EventRules(length=60, minimum_booking_notice=0, count_limits=BookingLimits(day=1))
    # host 1 is over its daily limit, host 2 not working at 10:00: "booking_limit" comes first
    with pytest.raises(BookingRejected) as rejected:
        _book(team, ROUND_ROBIN, 10, rules)
    assert rejected.value.reason == "booking_limit"
    assert _book(team, ROUND_ROBIN, 14, rules) == {2}


def test_a_host_free_for_days_from_the_slot_start_is_free_for_it() -> None:
    """A free range starting exactly at a slot and lasting days still holds the slot (the fit
    check once bisected by start + 1 day and missed ranges longer than that)."""
    monday = HostInput(Schedule("UTC", (WeeklyHours(frozenset({0}), 0, 1439),)))
    busy_first = HostInput(
        Schedule("UTC", (WeeklyHours(frozenset({0, 1}), 0, 1439),)),
        busy=(Interval(DAY, DAY + timedelta(minutes=15)),),
    )
    team = [EventHost(1, monday), EventHost(2, busy_first)]
    rules = EventRules(length=15, minimum_booking_notice=0)
    found = compute_slot_hosts(
        team,
        ROUND_ROBIN,
        rules,
        window_start=DAY,
        window_end=DAY + timedelta(days=3),
        booker_tz="UTC",
        now=NOW,
    )
    first = datetime.fromtimestamp(found[1][0] * 60, UTC)
    assert (first, found[1][1]) == (DAY + timedelta(minutes=15), frozenset({1, 2}))


def test_unknown_scheduling_type_is_refused() -> None:
    with pytest.raises(ValueError, match="scheduling type"):
        _slots([EventHost(1, _hours(9, 10))], "managed")


@st.composite
def teams(draw: st.DrawFn) -> tuple[list[EventHost], EventRules, datetime, datetime]:
    base = draw(st.sampled_from(BASES))
    members = [
        EventHost(
            user_id=i,
            availability=draw(hosts(base)),
            mandatory=draw(st.booleans()),
            group=draw(st.sampled_from([None, "a", "b"])),
        )
        for i in range(draw(st.integers(1, 3)))
    ]
    rules = EventRules(
        length=draw(st.sampled_from([15, 30, 45, 60])),
        slot_interval=draw(st.sampled_from([None, 15, 20])),
        minimum_booking_notice=draw(st.sampled_from([0, 120])),
        before_buffer=draw(st.sampled_from([0, 10])),
        after_buffer=draw(st.sampled_from([0, 15])),
        count_limits=draw(st.sampled_from([None, BookingLimits(day=2)])),
        # the event's zone, fixed: without it the first host's zone places limit periods, and
        # a host alone would count its days in another zone than the team does
        time_zone=draw(st.sampled_from(["UTC", "Europe/Berlin", "Asia/Kolkata"])),
    )
    now = base - timedelta(hours=draw(st.integers(0, 30)))
    return members, rules, base, now


def _listing(team: list[EventHost], kind: str, rules: EventRules, base: datetime, now: datetime):
    return compute_slot_hosts(
        team,
        kind,
        rules,
        window_start=base,
        window_end=base + timedelta(days=DAYS // 2),
        booker_tz="UTC",
        now=now,
    )


def _can(team: list[EventHost], kind: str, rules: EventRules, start: datetime, now: datetime):
    try:
        return bookable_hosts(
            team, kind, rules, start=start, end=start + timedelta(minutes=rules.length), now=now
        )
    except BookingRejected:
        return None


@settings(max_examples=60, deadline=None)
@given(teams())
def test_scheduling_types_relate(case: tuple[list[EventHost], EventRules, datetime, datetime]):
    team, rules, base, now = case
    everyone = frozenset(h.user_id for h in team)
    collective = _listing(team, COLLECTIVE, rules, base, now)
    single = compute_slot_minutes(
        [h.availability for h in team],
        rules,
        window_start=base,
        window_end=base + timedelta(days=DAYS // 2),
        booker_tz="UTC",
        now=now,
    )
    assert [m for m, _ in collective] == single
    assert all(ids == everyone for _, ids in collective)
    if len(team) == 1:
        assert _listing(team, PERSONAL, rules, base, now) == collective
    fixed = [EventHost(h.user_id, h.availability, mandatory=True) for h in team]
    assert _listing(fixed, ROUND_ROBIN, rules, base, now) == collective

    groups: dict[str | None, set[int]] = {}
    for h in team:
        if not h.mandatory:
            groups.setdefault(h.group, set()).add(h.user_id)
    mandatory = {h.user_id for h in team if h.mandatory}
    round_robin = _listing(team, ROUND_ROBIN, rules, base, now)
    for minute, ids in round_robin:
        assert mandatory <= ids and all(ids & members for members in groups.values())
        start = datetime.fromtimestamp(minute * 60, UTC)
        assert _can(team, ROUND_ROBIN, rules, start, now) == ids

    for minute in sorted({m for m, _ in round_robin} | {m for m, _ in collective}):
        start = datetime.fromtimestamp(minute * 60, UTC)
        alone = [_can([h], PERSONAL, rules, start, now) is not None for h in team]
        together = _can(team, COLLECTIVE, rules, start, now)
        assert (together is not None) == all(alone)
        if together is not None:
            assert together == everyone
            assert _can(team, ROUND_ROBIN, rules, start, now) is not None
