"""GET /v2/timezones."""
