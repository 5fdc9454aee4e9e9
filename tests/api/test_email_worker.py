"""The standalone ``slotwise worker`` process sends booking emails: a booking made through the
API commits its ``email.send`` jobs, and a real worker subprocess on the same database (its
handlers loaded from ``slotwise.jobs.HANDLER_MODULES``) delivers them to a real SMTP server on
loopback."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from sqlalchemy import select

from slotwise.config import Settings
from slotwise.kit.db import Database
from slotwise.models import Job
from tests.api.booking_fixtures import MONDAY, at, booked, make_event_type
from tests.api.email_fixtures import SmtpSink, running_sink, smtp_settings
from tests.conftest import Host
from tests.subprocesses import ChildDied, start


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    """A real SMTP server on loopback for the test."""
    with running_sink() as recorder:
        yield recorder


@pytest.fixture
def settings(db_url: str, sink: SmtpSink, tmp_path: Path) -> Settings:
    """Overrides conftest's ``settings``: mail goes to ``sink``."""
    return smtp_settings(db_url, sink, tmp_path)


async def test_standalone_worker_sends_booking_emails(
    client: httpx2.AsyncClient, app: Any, settings: Settings, host: Host, sink: SmtpSink
) -> None:
    et = await make_event_type(app, host)
    data = await booked(client, et, at(MONDAY, "10:00"))
    assert sink.received == []  # the API process sends nothing itself
    assert settings.smtp_url is not None
    env = {
        **os.environ,
        "SLOTWISE_DATABASE_URL": settings.database_url,
        "SLOTWISE_PUBLIC_URL": settings.base_url,
        "SLOTWISE_SMTP_URL": settings.smtp_url.get_secret_value(),
        "SLOTWISE_EMAIL_FROM": settings.email_from or "",
        "SLOTWISE_SECRET_KEY": "test-secret-key",
        "SLOTWISE_WORKER_POLL_SECONDS": "0.1",
    }
    worker = start(["worker"], env, log=Path(settings.outbox_dir).parent / "worker.log")
    try:
        received = await worker.until(sink.wait_for(2, timeout=60), waiting_for="2 emails")
    except ChildDied:
        raise  # its message has the worker's output already
    except AssertionError as exc:
        raise AssertionError(f"{exc}; worker output:\n{worker.output()}") from None
    finally:
        worker.stop(timeout=30)
    by_to = {r.rcpt_tos[0]: r.message for r in received}
    assert set(by_to) == {"bob@example.com", host.email}
    assert by_to["bob@example.com"]["Subject"] == f"Confirmed: {data['title']}"
    assert by_to["bob@example.com"]["X-Slotwise-Booking-Uid"] == data["uid"]
    db: Database = app.state.db
    async with db.read_sessions() as session:
        statuses = list(await session.scalars(select(Job.status).where(Job.kind == "email.send")))
    assert statuses == ["done", "done"]


def test_worker_handler_modules_register_the_email_handler() -> None:
    """In a fresh interpreter, the worker's own handler loading registers ``email.send``
    without help from other imports (``slotwise.cli`` happens to import ``slotwise.app``, which
    imports the email module, so the process test above alone would not notice a missing
    ``HANDLER_MODULES`` entry)."""
    code = (
        "import sys\n"
        "from slotwise.jobs.registry import handler_for, load_handlers\n"
        "assert 'slotwise.email.jobs' not in sys.modules\n"
        "load_handlers()\n"
        "assert handler_for('email.send') is not None, 'email.send not registered'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
