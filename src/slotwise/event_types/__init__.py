"""Event types: /v2/event-types (cal-api-version 2024-06-14)."""
