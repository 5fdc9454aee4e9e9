"""SQLAlchemy models. Import from here so every table is registered on ``Base.metadata``."""

from slotwise.models.account import CreditAccount, CreditCharge, OutOfOffice, PrivateLink
from slotwise.models.base import Base, UTCDateTime, utcnow
from slotwise.models.jobs import JOB_STATUSES, Job
from slotwise.models.scheduling import (
    Attendee,
    Booking,
    BookingEvent,
    EventType,
    Schedule,
    SlotReservation,
)
from slotwise.models.users import ApiKey, User
from slotwise.models.webhooks import Webhook, WebhookDelivery

__all__ = [
    "JOB_STATUSES",
    "ApiKey",
    "Attendee",
    "Base",
    "Booking",
    "BookingEvent",
    "CreditAccount",
    "CreditCharge",
    "EventType",
    "Job",
    "OutOfOffice",
    "PrivateLink",
    "Schedule",
    "SlotReservation",
    "UTCDateTime",
    "User",
    "Webhook",
    "WebhookDelivery",
    "utcnow",
]
