"""The scheduling engine: pure functions over UTC intervals (no I/O, no ORM, no web).

Availability from weekly hours and date overrides, busy times with buffers, booking and duration
limits, booking windows, slot generation on Cal.com's grid, and booking validation.
"""

from slotwise.scheduling.availability import (
    DateOverride,
    Schedule,
    WeeklyHours,
    availability_ranges,
)
from slotwise.scheduling.intervals import Interval, intersect, merge, subtract
from slotwise.scheduling.limits import BookingLimits, period_of
from slotwise.scheduling.slots import (
    BookingRejected,
    EventRules,
    ExistingBooking,
    HostInput,
    check_booking,
    compute_slots,
    free_ranges,
    group_by_date,
)
from slotwise.scheduling.window import BookingWindow

__all__ = [
    "BookingLimits",
    "BookingRejected",
    "BookingWindow",
    "DateOverride",
    "EventRules",
    "ExistingBooking",
    "HostInput",
    "Interval",
    "Schedule",
    "WeeklyHours",
    "availability_ranges",
    "check_booking",
    "compute_slots",
    "free_ranges",
    "group_by_date",
    "intersect",
    "merge",
    "period_of",
    "subtract",
]
