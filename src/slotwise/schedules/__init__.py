"""Schedules: /v2/schedules (cal-api-version 2024-06-11)."""
