"""SQLAlchemy models. Import from here so every table is registered on ``Base.metadata``."""

from slotwise.models.base import Base, UTCDateTime, utcnow
from slotwise.models.scheduling import (
    Attendee,
    Booking,
    BookingEvent,
    EventType,
    Schedule,
    SlotReservation,
)
from slotwise.models.users import ApiKey, User

__all__ = [
    "ApiKey",
    "Attendee",
    "Base",
    "Booking",
    "BookingEvent",
    "EventType",
    "Schedule",
    "SlotReservation",
    "UTCDateTime",
    "User",
    "utcnow",
]
