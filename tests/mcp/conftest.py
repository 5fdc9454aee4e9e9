"""A live ``slotwise serve`` (SQLite and PostgreSQL) for the MCP tests, as for the SDK's."""

from tests.client.conftest import live_url  # noqa: F401  (the fixture, shared)
