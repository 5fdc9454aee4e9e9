"""Event types with several hosts: who must be free for a slot, and which hosts are free.

Cal.com's scheduling types: personal (one host), collective (every host attends, so every
host must be free) and round robin (the mandatory hosts and one member of each host group;
a booking goes to one of the free members). The engine of :mod:`.slots` computes the team's
free time; this module names the hosts (user ids) free for each slot or booking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from slotwise.scheduling.intervals import MINUTE_US
from slotwise.scheduling.slots import (
    EventRules,
    HostInput,
    _free_members,
    _Team,
    _team_check,
    _team_slots,
)

PERSONAL = "personal"
COLLECTIVE = "collective"
ROUND_ROBIN = "roundRobin"
MANAGED = "managed"
"""Cal.com's MANAGED: a team template with one personal child per assigned member."""
SCHEDULING_TYPES = (PERSONAL, COLLECTIVE, ROUND_ROBIN)
"""How an event type's hosts share its bookings (Cal.com's ``schedulingType``; personal = an
event type of one user, null in Cal.com). Managed event types are templates: each child is
personal."""


@dataclass(frozen=True, slots=True)
class EventHost:
    """One host of an event type as the engine sees it (Cal.com's ``Host``).

    ``user_id``: who (the engine only uses it to name the free hosts); ``availability``: their
    schedule, bookings and busy time (:class:`HostInput`); ``mandatory``: a fixed host of a
    round-robin event type, who must be free for every booking (collective and personal hosts
    are all mandatory whatever this says); ``group``: the round-robin host group (Cal.com's
    ``groupId``; None = the default group): a round-robin booking needs one free member of
    every group.
    """

    user_id: int
    availability: HostInput
    mandatory: bool = False
    group: str | None = None


def _team_of(hosts: Sequence[EventHost], scheduling_type: str) -> _Team:
    if scheduling_type not in SCHEDULING_TYPES:
        raise ValueError(f"unknown scheduling type {scheduling_type!r}")
    inputs = tuple(h.availability for h in hosts)
    if scheduling_type != ROUND_ROBIN:
        return _Team(inputs, tuple(range(len(hosts))))
    groups: dict[str | None, list[int]] = {}
    for i, host in enumerate(hosts):
        if not host.mandatory:
            groups.setdefault(host.group, []).append(i)
    fixed = tuple(i for i, host in enumerate(hosts) if host.mandatory)
    return _Team(inputs, fixed, tuple(tuple(g) for g in groups.values()))


def compute_slot_hosts(
    hosts: Sequence[EventHost],
    scheduling_type: str,
    rules: EventRules,
    *,
    window_start: datetime,
    window_end: datetime,
    booker_tz: str,
    now: datetime,
    duration: int | None = None,
) -> list[tuple[int, frozenset[int]]]:
    """Each slot with the hosts free for it: ``[(start minute, user ids)]``, sorted by start
    (UTC epoch minutes, as :func:`compute_slot_minutes`, whose window, grid, notice, booking
    window and limit rules apply unchanged).

    Who must be free (``scheduling_type``, one of ``SCHEDULING_TYPES``): personal — the one
    host; collective — every host (the set is all of them); round robin (``roundRobin``) —
    every mandatory host and at least one member of each group; the set is the mandatory hosts
    plus every member free for the whole slot (the candidates a booking may be assigned to).
    Slots are generated over the team's free time (the fixed hosts' intersection and each
    group's union, as Cal.com aggregates round-robin availability) and a slot no single member
    of some group can take is dropped. Collective and personal slots equal
    :func:`compute_slot_minutes` over the same hosts. Raises ValueError for an unknown type or
    naive datetimes.
    """
    team = _team_of(hosts, scheduling_type)
    starts, per, length = _team_slots(
        team,
        rules,
        window_start=window_start,
        window_end=window_end,
        booker_tz=booker_tz,
        now=now,
        duration=duration,
    )
    if not team.groups:
        everyone = frozenset(h.user_id for h in hosts)
        return [(m, everyone) for m in starts]
    out: list[tuple[int, frozenset[int]]] = []
    for m in starts:
        free = _free_members(team, per, m * MINUTE_US, (m + length) * MINUTE_US)
        out.append((m, frozenset(hosts[i].user_id for i in free)))
    return out


def compute_team_slot_minutes(
    hosts: Sequence[EventHost],
    scheduling_type: str,
    rules: EventRules,
    *,
    window_start: datetime,
    window_end: datetime,
    booker_tz: str,
    now: datetime,
    duration: int | None = None,
) -> list[int]:
    """The starts of :func:`compute_slot_hosts` (UTC epoch minutes, sorted) without naming the
    free hosts of each slot: what slot listing needs, at a fraction of the cost for large
    round-robin teams."""
    starts, _, _ = _team_slots(
        _team_of(hosts, scheduling_type),
        rules,
        window_start=window_start,
        window_end=window_end,
        booker_tz=booker_tz,
        now=now,
        duration=duration,
    )
    return starts


def bookable_hosts(
    hosts: Sequence[EventHost],
    scheduling_type: str,
    rules: EventRules,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    booker_tz: str | None = None,
) -> frozenset[int]:
    """The user ids of the hosts free for a booking ``[start, end)`` when the event type can
    take it (same rules as :func:`check_booking`, with :func:`compute_slot_hosts`' meaning of
    who must be free), else BookingRejected.

    Collective/personal: every host, or the earliest reason (``REJECTION_REASONS`` order) any
    host gives. Round robin: the mandatory hosts plus the free members of each group; rejected
    when a mandatory host, or every member of some group, cannot take it, with the earliest of
    their reasons. Raises ValueError for an unknown type, naive datetimes or ``end <= start``.
    """
    team = _team_of(hosts, scheduling_type)
    free = _team_check(team, rules, start=start, end=end, now=now, booker_tz=booker_tz)
    return frozenset(hosts[i].user_id for i in free)
