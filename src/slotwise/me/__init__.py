"""The authenticated user: /v2/me."""
