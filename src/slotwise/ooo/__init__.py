"""Out of office for the authenticated user: /v2/me/ooo."""
