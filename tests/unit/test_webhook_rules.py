"""Pure webhook rules: template rendering, address checks, signatures, retry schedules."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json

import pytest

from slotwise.config import Settings, parse_retry_schedule
from slotwise.jobs.registry import webhook_backoff, webhook_max_attempts
from slotwise.webhooks.delivery import signature
from slotwise.webhooks.templates import render
from slotwise.webhooks.urls import UnsafeUrl, check_address, parse_url, unwrap

VARS = {
    "title": "Intro",
    "length": 30,
    "organizer": {"name": "Alice", "language": {"locale": "en"}},
    "attendees": [{"name": 'Bo "Q"', "email": "q@example.com"}, {"name": "Cy"}],
    "metadata": {},
    "requiresConfirmation": False,
}


def test_json_templates() -> None:
    template = json.dumps(
        {
            "n": "{{title}} ({{length}} min)",
            "who": "{{ attendees.0.name }}",
            "second": "{{attendees.1.name}}",
            "third": "{{attendees.2.name}}",
            "locale": "{{organizer.language.locale}}",
            "len": "{{length}}",
            "flag": "{{requiresConfirmation}}",
            "meta": "{{metadata}}",
            "{{title}}": 1,
            "list": ["{{organizer.name}}", 2],
        }
    )
    content_type, body = render(template, VARS)
    assert content_type == "application/json"
    assert json.loads(body) == {
        "n": "Intro (30 min)",
        "who": 'Bo "Q"',
        "second": "Cy",
        "third": "",
        "locale": "en",
        "len": "30",
        "flag": "false",
        "meta": {},
        "Intro": 1,
        "list": ["Alice", 2],
    }


def test_text_templates() -> None:
    content_type, body = render("hello {{organizer.name}}, {{nope}}{{attendees.x}}!", VARS)
    assert content_type == "application/x-www-form-urlencoded"
    assert body == "hello Alice, !"


def test_signature() -> None:
    body = b'{"a":1}'
    assert signature(None, body) == "no-secret-provided"
    assert signature("", body) == "no-secret-provided"
    assert signature("k", body) == hmac.new(b"k", body, hashlib.sha256).hexdigest()


@pytest.mark.parametrize(
    ("address", "inner"),
    [
        ("::ffff:127.0.0.1", "127.0.0.1"),
        ("2002:a9fe:a9fe::", "169.254.169.254"),
        ("64:ff9b::a9fe:a9fe", "169.254.169.254"),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "192.0.2.45"),
        ("8.8.8.8", "8.8.8.8"),
    ],
)
def test_unwrap(address: str, inner: str) -> None:
    assert unwrap(ipaddress.ip_address(address)) == ipaddress.ip_address(inner)


def test_address_rules() -> None:
    for metadata in ("169.254.169.254", "fd00:ec2::254", "2002:a9fe:a9fe::", "100.100.100.200"):
        for block in (False, True):
            with pytest.raises(UnsafeUrl):
                check_address(ipaddress.ip_address(metadata), block_private=block)
    for private in ("10.1.2.3", "127.0.0.1", "::1", "fe80::1", "100.64.0.1", "64:ff9b::a00:1"):
        check_address(ipaddress.ip_address(private), block_private=False)
        with pytest.raises(UnsafeUrl):
            check_address(ipaddress.ip_address(private), block_private=True)
    check_address(ipaddress.ip_address("93.184.216.34"), block_private=True)
    assert parse_url("https://Example.COM./x") == ("https", "example.com", 443)
    assert parse_url("http://[::1]:8080/") == ("http", "::1", 8080)
    for bad in ("ftp://x/", "//x/", "http://", "http://x:99999/"):
        with pytest.raises(UnsafeUrl):
            parse_url(bad)


def test_retry_schedule() -> None:
    assert parse_retry_schedule("1, 2.5,,3") == [1.0, 2.5, 3.0]
    for bad in ("", "a,b", "-1"):
        with pytest.raises(ValueError):
            parse_retry_schedule(bad)
    settings = Settings(database_url="sqlite:///unused.db", webhook_retry_schedule="10,100")
    assert webhook_max_attempts(settings) == 3
    delays = [webhook_backoff(settings, attempt) for attempt in (1, 2, 3, 9)]
    assert 8 <= delays[0] <= 12 and 80 <= delays[1] <= 120
    assert 80 <= delays[2] <= 120 and 80 <= delays[3] <= 120  # the last delay repeats
    default = Settings(database_url="sqlite:///unused.db")
    assert 20 * 3600 <= sum(default.webhook_retry_delays) <= 28 * 3600  # about a day
