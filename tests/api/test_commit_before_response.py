"""A write is committed before its response starts, so a client's next request sees it.

(FastAPI runs a yield dependency's exit after the response by default; the request session
dependency asks for scope="function". Found by the SDK's live tests: reserve, then get the
reservation at once, was an intermittent 404.)
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from tests.conftest import Host


async def test_schedule_is_committed_when_the_response_starts(app: Any, host: Host) -> None:
    seen_at_start: list[int] = []
    sent: list[dict[str, Any]] = []
    body = json.dumps({"name": "Office", "timeZone": "UTC", "isDefault": True}).encode()
    incoming = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            async with app.state.db.read_sessions() as other:
                count = await other.scalar(text("SELECT count(*) FROM schedules"))
                seen_at_start.append(int(count or 0))
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v2/schedules",
        "raw_path": b"/v2/schedules",
        "root_path": "",
        "query_string": b"",
        "server": ("slotwise.test", 80),
        "client": ("127.0.0.1", 5000),
        "headers": [
            (b"host", b"slotwise.test"),
            (b"content-type", b"application/json"),
            (b"cal-api-version", b"2024-06-11"),
            (b"authorization", f"Bearer {host.api_key}".encode()),
        ],
    }
    await app(scope, receive, send)
    assert sent[0]["status"] == 201
    assert seen_at_start == [1]
