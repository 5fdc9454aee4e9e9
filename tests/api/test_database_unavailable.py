"""A database that cannot be reached (restarting, failing over, refusing connections) is answered
503 ServiceUnavailableException with Retry-After, never 500; a statement the database refuses
for another reason stays a 500 (a bug)."""

from __future__ import annotations

import httpx2
import psycopg
from pydantic import SecretStr
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from slotwise.app import create_app
from slotwise.config import Settings
from slotwise.kit.errors import database_unavailable
from tests.subprocesses import free_port


async def test_unreachable_postgresql_answers_503(tmp_path: object) -> None:
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/nowhere"  # nothing listens there
    app = create_app(
        Settings(database_url=url, secret_key=SecretStr("k"), public_url="http://slotwise.test")
    )
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://slotwise.test") as c:
        r = await c.get(
            "/v2/slots",
            params={"eventTypeId": 1, "start": "2050-09-05", "end": "2050-09-06"},
            headers={"cal-api-version": "2024-09-04"},
        )
    await app.state.db.dispose()
    assert r.status_code == 503, r.text
    assert r.headers["retry-after"] == "1"
    body = r.json()
    assert body["status"] == "error"
    assert body["error"]["code"] == "ServiceUnavailableException"
    assert "database is not reachable" in body["error"]["message"]


def _wrapped(kind: type, orig: Exception, *, invalidated: bool = False) -> Exception:
    return kind("SELECT 1", {}, orig, connection_invalidated=invalidated)  # type: ignore[no-any-return]


def test_which_errors_mean_unavailable() -> None:
    refused = psycopg.OperationalError("connection refused")  # no SQLSTATE: no server reached
    assert database_unavailable(_wrapped(OperationalError, refused))
    assert database_unavailable(_wrapped(OperationalError, psycopg.errors.AdminShutdown()))
    assert database_unavailable(_wrapped(OperationalError, psycopg.errors.CannotConnectNow()))
    assert database_unavailable(
        _wrapped(InterfaceError, psycopg.InterfaceError("closed"), invalidated=True)
    )
    assert database_unavailable(PoolTimeout("pool exhausted"))
    # Errors of the statement itself stay 500s.
    assert not database_unavailable(_wrapped(OperationalError, psycopg.errors.DeadlockDetected()))
    assert not database_unavailable(_wrapped(IntegrityError, psycopg.errors.UniqueViolation()))
    assert not database_unavailable(ValueError("x"))
