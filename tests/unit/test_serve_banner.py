"""What ``slotwise serve`` prints: the ``--demo`` banner (booking pages, API docs, where emails
go, the lasting key) and, on a database without users, how to create the first one. The
commands themselves run as processes in tests/e2e/test_serve.py."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from slotwise.cli.server import demo_banner, email_destination, first_user_hint
from slotwise.config import Settings
from slotwise.demo import DemoSeed


def settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(
        database_url="sqlite://",
        port=8123,
        outbox_dir=tmp_path / "outbox",
        **values,  # type: ignore[arg-type]
    )


def seed(tmp_path: Path, *, new_key: bool) -> DemoSeed:
    return DemoSeed(
        user_id=1,
        username="demo",
        api_key="cal_live_" + "0" * 48,
        event_type_ids={"30min": 1, "60min": 2},
        key_file=tmp_path / "data" / "demo_key",
        new_key=new_key,
    )


def test_demo_banner_names_pages_docs_outbox_and_the_kept_key(tmp_path: Path) -> None:
    banner = demo_banner(settings(tmp_path), seed(tmp_path, new_key=False))
    base = "http://127.0.0.1:8123"
    for line in (f"{base}/demo ", f"{base}/demo/30min ", f"{base}/docs ", f"{base}/health"):
        assert line in banner
    assert f"written to {tmp_path / 'outbox'} as .eml files, one log line each" in banner
    assert "API key: cal_live_" + "0" * 48 + "\n" in banner
    assert f"the same at every start, kept in {tmp_path / 'data' / 'demo_key'}" in banner
    assert "slotwise serve --demo --new-key" in banner
    assert f"slotwise login --api-key cal_live_{'0' * 48} --api-url {base}" in banner
    assert "eventTypeId=1&" in banner


def test_demo_banner_after_a_new_key(tmp_path: Path) -> None:
    banner = demo_banner(settings(tmp_path), seed(tmp_path, new_key=True))
    assert "earlier demo keys stop working" in banner
    assert "the same at every start" not in banner


def test_emails_through_smtp_name_the_server_never_the_password(tmp_path: Path) -> None:
    smtp = settings(tmp_path, smtp_url=SecretStr("smtp://me:s3cret@mail.example.com:587"))
    assert email_destination(smtp) == "sent through mail.example.com:587 (SLOTWISE_SMTP_URL)"
    bad = settings(tmp_path, smtp_url=SecretStr("http://mail.example.com"))
    assert "SLOTWISE_SMTP_URL is invalid" in email_destination(bad)


def test_first_user_hint(tmp_path: Path) -> None:
    hint = first_user_hint(settings(tmp_path, public_url="https://cal.example.com/"))
    assert "no users yet" in hint
    assert "slotwise users create --username alice --email alice@example.com" in hint
    assert "slotwise serve --demo" in hint
    assert "https://cal.example.com/docs" in hint


def test_demo_banner_prints_the_web_app_login_and_who_may_sign_up(tmp_path: Path) -> None:
    from slotwise.cli.server import demo_settings

    demo = demo_settings(settings(tmp_path))
    assert demo.signup == "open" and demo.block_private_networks is False
    made = seed(tmp_path, new_key=False)
    made.password = "s3cret-pass"
    banner = demo_banner(demo, made)
    assert "web app: http://127.0.0.1:8123/app/login   username: demo   password: s3cret-pass" in (
        banner
    )
    assert "sign-up: open" in banner
    assert "private and loopback networks are allowed on this demo server" in banner
    # An operator's explicit choice wins over the demo's defaults.
    strict = demo_settings(settings(tmp_path, signup="closed", webhook_block_private_networks=True))
    assert strict.signup == "closed" and strict.block_private_networks is True


def test_private_networks_are_blocked_while_signup_is_open_unless_set(tmp_path: Path) -> None:
    assert settings(tmp_path).block_private_networks is False
    assert settings(tmp_path, signup="open").block_private_networks is True
    opened = settings(tmp_path, signup="open", webhook_block_private_networks=False)
    assert opened.block_private_networks is False
    assert settings(tmp_path, webhook_block_private_networks=True).block_private_networks
