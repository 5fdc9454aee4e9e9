"""The scheduling engine: pure functions over timezone-aware instants (no I/O, no ORM, no web).

Availability from weekly hours and date overrides (wall-clock, DST-safe), busy times with
symmetric buffers, booking and duration limits, booking windows, slot generation on Cal.com's
grid in the booker's zone, and booking validation. Durations are minutes; weekdays are Python
numbers (0 = Monday … 6 = Sunday); returned instants are UTC.
"""

from slotwise.scheduling.availability import (
    DateOverride,
    Schedule,
    WeeklyHours,
    availability_ranges,
)
from slotwise.scheduling.hosts import (
    COLLECTIVE,
    MANAGED,
    PERSONAL,
    ROUND_ROBIN,
    SCHEDULING_TYPES,
    EventHost,
    bookable_hosts,
    compute_slot_hosts,
    compute_team_slot_minutes,
)
from slotwise.scheduling.intervals import Interval, intersect, merge, subtract
from slotwise.scheduling.limits import BookingLimits, period_of
from slotwise.scheduling.slots import (
    REJECTION_REASONS,
    BookingRejected,
    EventRules,
    ExistingBooking,
    HostInput,
    UserLimits,
    check_booking,
    compute_slot_minutes,
    compute_slots,
    free_ranges,
    group_by_date,
    overlaps_busy,
)
from slotwise.scheduling.window import BookingWindow

__all__ = [
    "COLLECTIVE",
    "MANAGED",
    "PERSONAL",
    "REJECTION_REASONS",
    "ROUND_ROBIN",
    "SCHEDULING_TYPES",
    "BookingLimits",
    "BookingRejected",
    "BookingWindow",
    "DateOverride",
    "EventHost",
    "EventRules",
    "ExistingBooking",
    "HostInput",
    "Interval",
    "Schedule",
    "UserLimits",
    "WeeklyHours",
    "availability_ranges",
    "bookable_hosts",
    "check_booking",
    "compute_slot_hosts",
    "compute_team_slot_minutes",
    "compute_slot_minutes",
    "compute_slots",
    "free_ranges",
    "group_by_date",
    "intersect",
    "merge",
    "overlaps_busy",
    "period_of",
    "subtract",
]
