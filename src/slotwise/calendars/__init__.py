"""Calendar formats and integrations: iCalendar (RFC 5545) documents for bookings."""
