"""Slots and reservations: /v2/slots (cal-api-version 2024-09-04, plus the legacy handler)."""
