"""Without SMTP every email written to the outbox is logged in one line (recipients, subject,
file), under ``serve``'s in-process worker as under ``slotwise worker``; never its body."""

from __future__ import annotations

import logging
from email.message import EmailMessage
from pathlib import Path

import pytest

from slotwise.config import Settings
from slotwise.email.transport import send_message


async def test_an_outbox_email_is_logged_in_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    message = EmailMessage()
    message["To"] = "Ada <ada@example.com>"
    message["Cc"] = "bob@example.com"
    message["Subject"] = "Confirmed: Intro call"
    message.set_content("secret link https://example.com/confirm?token=abc")
    settings = Settings(database_url="sqlite://", outbox_dir=tmp_path / "outbox")
    caplog.set_level(logging.INFO, logger="slotwise.email")
    written = send_message(message, settings)
    path = Path(await written)
    assert path.parent == tmp_path / "outbox" and path.suffix == ".eml"
    lines = [r.getMessage() for r in caplog.records if r.name == "slotwise.email"]
    assert lines == [
        f"email to ada@example.com, bob@example.com ('Confirmed: Intro call') "
        f"written to the outbox: {path}"
    ]
    assert "token" not in caplog.text
