"""Bookings: /v2/bookings (cal-api-version 2024-08-13)."""
