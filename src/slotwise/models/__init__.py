"""SQLAlchemy models. Import from here so every table is registered on ``Base.metadata``."""

from slotwise.models.account import CreditAccount, CreditCharge, OutOfOffice, PrivateLink
from slotwise.models.base import Base, UTCDateTime, utcnow
from slotwise.models.calendars import (
    BookingReference,
    CalendarCredential,
    DestinationCalendar,
    SelectedCalendar,
)
from slotwise.models.jobs import JOB_STATUSES, Job
from slotwise.models.scheduling import (
    Attendee,
    Booking,
    BookingEvent,
    BookingHost,
    EventType,
    Host,
    Schedule,
    SlotReservation,
)
from slotwise.models.teams import ROLES, Membership, Team, TeamInvite
from slotwise.models.users import ApiKey, User, WebSession
from slotwise.models.webhooks import Webhook, WebhookDelivery

__all__ = [
    "JOB_STATUSES",
    "ROLES",
    "ApiKey",
    "Attendee",
    "Base",
    "Booking",
    "BookingEvent",
    "BookingHost",
    "BookingReference",
    "CalendarCredential",
    "CreditAccount",
    "CreditCharge",
    "DestinationCalendar",
    "EventType",
    "Host",
    "Job",
    "Membership",
    "OutOfOffice",
    "PrivateLink",
    "Schedule",
    "SelectedCalendar",
    "SlotReservation",
    "Team",
    "TeamInvite",
    "UTCDateTime",
    "User",
    "WebSession",
    "Webhook",
    "WebhookDelivery",
    "utcnow",
]
