"""SSRF forms that used to slip through: IPv4 addresses embedded in IPv6 (IPv4-compatible,
-mapped, -translated, NAT64, 6to4, Teredo, ISATAP), numeric IPv4 spellings a resolver accepts
(decimal, octal, hex, short), and user info in subscriber URLs. Refused at save (400) and at
delivery by the pinned transport before any connection is attempted (a spy stands in for the
connection; nothing is sent anywhere but 127.0.0.0/8)."""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from sqlalchemy import update

from slotwise.app import create_app
from slotwise.config import Settings
from slotwise.models import Webhook
from slotwise.webhooks import urls
from slotwise.webhooks.urls import (
    PinnedTransport,
    UnsafeUrl,
    check_address,
    embedded_ipv4,
    parse_ipv4_loose,
)
from tests.api.booking_fixtures import MONDAY, at, booked, make_event_type
from tests.api.webhook_fixtures import all_jobs, run_jobs, subscribe
from tests.conftest import Host

# Teredo client addresses are stored inverted: ~169.254.169.254 = 5601:5601, ~127.0.0.1 = 80ff:fffe
METADATA_FORMS = [
    "http://[::169.254.169.254]/",  # IPv4-compatible (the form of the issue)
    "http://[::a9fe:a9fe]/latest/meta-data/",
    "http://[0:0:0:0:0:0:a9fe:a9fe]/",
    "http://[::ffff:a9fe:a9fe]/",  # IPv4-mapped, hex spelling
    "http://[::ffff:0:169.254.169.254]/",  # IPv4-translated (SIIT)
    "http://[64:ff9b::169.254.169.254]/",  # NAT64 well-known prefix
    "http://[64:ff9b:1:a9fe:a9:fe00::]/",  # NAT64 local-use /48, RFC 6052 layout for /48
    "http://[64:ff9b:1::a9fe:a9fe]/",  # NAT64 local-use, /96 layout
    "http://[2002:a9fe:a9fe::1]/",  # 6to4
    "http://[2001:0:4136:e378:8000:63bf:5601:5601]/",  # Teredo client
    "http://[fe80::5efe:a9fe:a9fe]/",  # ISATAP
    "http://[2001:db8::200:5efe:169.254.169.254]/",  # ISATAP, universal bit set
    "http://[2001:db8:1::a9fe:a9fe]/",  # an operator's NAT64 prefix
    "http://[::ffff:100.100.100.200]/",  # Alibaba, mapped
    "http://2852039166/",  # decimal
    "http://0xa9fea9fe/",  # hexadecimal
    "http://025177524776/",  # octal
    "http://0xa9.0376.43518/",  # mixed parts
    "http://169.254.43518/",  # short form: a.b.c with a 16-bit last part
    "http://169.16689662/",  # short form: a.b with a 24-bit last part
    "http://2852039166./",  # trailing dot
    "http://1684301000/",  # 100.100.100.200
]
PRIVATE_FORMS = [
    "http://127.1:9/",
    "http://0x7f000001/",
    "http://2130706433/",
    "http://017700000001/",
    "http://0/",
    "http://0.0.0.0/",
    "http://[::]/",
    "http://[::127.0.0.1]/",
    "http://[::10.0.0.1]/",
    "http://[::ffff:0:7f00:1]/",
    "http://[64:ff9b:1::7f00:1]/",
    "http://[64:ff9b:1::8.8.8.8]/",  # local-use NAT64 is itself not global
    "http://[2002:7f00:1::]/",
    "http://[2002:a00:1::]/",
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
    "http://[fe80::5efe:a00:1]/",
    "http://[2001:db8::5efe:c0a8:101]/",
    "http://[ff02::1]/",
    "http://224.0.0.1/",
]
USERINFO_URLS = [
    "http://user:hunter2@example.com/hook",
    "https://user@example.com/hook",
    "http://:hunter2@example.com/hook",
    "http://example.com\\@169.254.169.254/",
    "http://169.254.169.254%2f@example.com/",
]


def body(**extra: Any) -> dict[str, Any]:
    return {
        "subscriberUrl": "https://hooks.example.com/x",
        "triggers": ["BOOKING_CREATED"],
        "active": True,
        **extra,
    }


@pytest.fixture
async def strict_client(settings: Settings, app: Any) -> AsyncIterator[httpx2.AsyncClient]:
    strict = create_app(settings.model_copy(update={"webhook_block_private_networks": True}))
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=strict), base_url="http://slotwise.test"
    ) as c:
        yield c
    await strict.state.db.dispose()


@pytest.fixture(autouse=True)
def no_dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The system resolver replaced by a table (names missing from it do not resolve): no test
    here asks a real DNS server anything."""
    table: dict[str, list[str]] = {}

    async def fake(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError(f"{host}: no such name (test resolver)")
        return table[host]

    monkeypatch.setattr(urls, "_system_resolve", fake)
    return table


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[httpx2.Request]:
    """Every request that reached the real connection layer (the spy answers 200 itself)."""
    seen: list[httpx2.Request] = []

    async def spy(self: Any, request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, request=request)

    monkeypatch.setattr(httpx2.AsyncHTTPTransport, "handle_async_request", spy)
    return seen


# ---- save time -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", METADATA_FORMS)
async def test_embedded_and_numeric_metadata_forms_refused_by_default(
    client: httpx2.AsyncClient, host: Host, no_dns: dict[str, list[str]], url: str
) -> None:
    r = await client.post("/v2/webhooks", json=body(subscriberUrl=url), headers=host.headers)
    assert r.status_code == 400, (url, r.text)
    assert r.json()["error"]["code"] == "BadRequestException"


async def test_metadata_forms_refused_on_update(
    client: httpx2.AsyncClient, host: Host, no_dns: dict[str, list[str]]
) -> None:
    r = await client.post("/v2/webhooks", json=body(), headers=host.headers)
    assert r.status_code == 201, r.text
    hook = r.json()["data"]["id"]
    for url in (
        "http://[::169.254.169.254]/",
        "http://2852039166/",
        "http://[64:ff9b:1::a9fe:a9fe]/",
    ):
        r = await client.patch(
            f"/v2/webhooks/{hook}", json={"subscriberUrl": url}, headers=host.headers
        )
        assert r.status_code == 400, (url, r.text)


@pytest.mark.parametrize("url", PRIVATE_FORMS)
async def test_embedded_and_numeric_private_forms_refused_when_blocking(
    strict_client: httpx2.AsyncClient, host: Host, url: str
) -> None:
    r = await strict_client.post("/v2/webhooks", json=body(subscriberUrl=url), headers=host.headers)
    assert r.status_code == 400, (url, r.text)


async def test_private_forms_still_allowed_by_default(
    client: httpx2.AsyncClient, host: Host
) -> None:
    """The default stays as Cal.com's self-hosted installs: private networks allowed."""
    for url in ("http://127.1:9/", "http://[::ffff:0:7f00:1]/", "http://[2002:a00:1::]/"):
        r = await client.post("/v2/webhooks", json=body(subscriberUrl=url), headers=host.headers)
        assert r.status_code == 201, (url, r.text)


async def test_public_addresses_accepted_when_blocking(
    strict_client: httpx2.AsyncClient, host: Host, no_dns: dict[str, list[str]]
) -> None:
    for url in ("http://93.184.216.34/", "http://[2606:4700:4700::1111]/", "http://1572395042/"):
        r = await strict_client.post(
            "/v2/webhooks", json=body(subscriberUrl=url), headers=host.headers
        )
        assert r.status_code == 201, (url, r.text)


@pytest.mark.parametrize("url", USERINFO_URLS)
async def test_user_info_refused(client: httpx2.AsyncClient, host: Host, url: str) -> None:
    r = await client.post("/v2/webhooks", json=body(subscriberUrl=url), headers=host.headers)
    assert r.status_code == 400, (url, r.text)
    assert "hunter2" not in r.text


async def test_names_resolving_to_embedded_forms_refused(
    client: httpx2.AsyncClient, host: Host, no_dns: dict[str, list[str]]
) -> None:
    no_dns["sneaky.example"] = ["93.184.216.34", "::169.254.169.254"]
    r = await client.post(
        "/v2/webhooks", json=body(subscriberUrl="http://sneaky.example/"), headers=host.headers
    )
    assert r.status_code == 400, r.text


# ---- delivery time: the pinned transport -----------------------------------------------------


@pytest.mark.parametrize("url", METADATA_FORMS + USERINFO_URLS[:3])
@pytest.mark.parametrize("block_private", [False, True])
async def test_transport_refuses_before_connecting(
    connections: list[httpx2.Request], no_dns: dict[str, list[str]], url: str, block_private: bool
) -> None:
    transport = PinnedTransport(block_private=block_private, trust_env=False)
    async with httpx2.AsyncClient(transport=transport, trust_env=False) as c:
        with pytest.raises((UnsafeUrl, httpx2.InvalidURL)) as caught:
            await c.post(url, content=b"{}")
    assert connections == []
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize("url", PRIVATE_FORMS)
async def test_transport_refuses_private_forms_when_blocking(
    connections: list[httpx2.Request], url: str
) -> None:
    async with httpx2.AsyncClient(transport=PinnedTransport(block_private=True)) as c:
        with pytest.raises(UnsafeUrl):
            await c.post(url, content=b"{}")
    assert connections == []


async def test_transport_refuses_a_name_resolving_to_an_embedded_form(
    connections: list[httpx2.Request], no_dns: dict[str, list[str]]
) -> None:
    no_dns["rebind.example"] = ["64:ff9b::a9fe:a9fe"]
    async with httpx2.AsyncClient(transport=PinnedTransport(block_private=False)) as c:
        with pytest.raises(UnsafeUrl):
            await c.post("http://rebind.example/hook", content=b"{}")
    assert connections == []


async def test_transport_connects_to_the_canonical_checked_address(
    connections: list[httpx2.Request], no_dns: dict[str, list[str]]
) -> None:
    """A numeric spelling is connected to as the dotted address it denotes, a name as the
    address it resolved to; the Host header keeps what the URL said."""
    no_dns["hooks.internal"] = ["127.0.0.1"]
    async with httpx2.AsyncClient(transport=PinnedTransport(block_private=False)) as c:
        assert (await c.post("http://127.1:9/a", content=b"{}")).status_code == 200
        assert (await c.post("http://2130706433:9/b", content=b"{}")).status_code == 200
        assert (await c.post("http://hooks.internal:9/c", content=b"{}")).status_code == 200
    assert [(r.url.host, r.url.port, r.headers["host"]) for r in connections] == [
        ("127.0.0.1", 9, "127.1:9"),
        ("127.0.0.1", 9, "2130706433:9"),
        ("127.0.0.1", 9, "hooks.internal:9"),
    ]


async def test_stored_unsafe_urls_fail_at_delivery_without_connecting(
    client: httpx2.AsyncClient,
    app: Any,
    settings: Settings,
    host: Host,
    connections: list[httpx2.Request],
) -> None:
    """Rows written before these rules (or straight into the database): the worker refuses
    them, logs why (without the password) and fails the job at once."""
    et = await make_event_type(app, host)
    first = await subscribe(client, host, "http://127.0.0.1:9/a", ["BOOKING_CREATED"])
    second = await subscribe(client, host, "http://127.0.0.1:9/b", ["BOOKING_CREATED"])
    async with app.state.db.write_sessions() as session, session.begin():
        for hook_id, url in (
            (first["id"], "http://[::169.254.169.254]/latest/meta-data/"),
            (second["id"], "http://user:hunter2@127.0.0.1:9/"),
        ):
            await session.execute(
                update(Webhook).where(Webhook.id == hook_id).values(subscriber_url=url)
            )
    await booked(client, et, at(MONDAY, "10:00"))
    await run_jobs(app, settings)
    assert connections == []
    jobs = [j for j in await all_jobs(app) if j.kind == "webhooks.deliver"]
    assert [(j.status, j.attempts) for j in jobs] == [("failed", 1), ("failed", 1)]
    errors = []
    for hook in (first, second):
        r = await client.get(f"/v2/webhooks/{hook['id']}/deliveries", headers=host.headers)
        [entry] = r.json()["data"]
        errors.append(entry["error"])
    assert "metadata" in errors[0]
    assert "user name or password" in errors[1] and "hunter2" not in errors[1]
    assert all("hunter2" not in (j.last_error or "") for j in jobs)
    shown = await client.get(f"/v2/webhooks/{second['id']}", headers=host.headers)
    assert shown.json()["data"]["subscriberUrl"] == "http://***@127.0.0.1:9/"
    listed = await client.get("/v2/webhooks", headers=host.headers)
    assert "hunter2" not in listed.text


# ---- the address rules themselves ------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2852039166", "169.254.169.254"),
        ("127.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("10.1.65535", "10.1.255.255"),
        ("0xA9.0xFE.0xA9.0xFE", "169.254.169.254"),
        ("1.2.3.4", "1.2.3.4"),
    ],
)
def test_numeric_spellings_read_as_a_resolver_does(host: str, address: str) -> None:
    assert parse_ipv4_loose(host.lower()) == ipaddress.IPv4Address(address)


@pytest.mark.parametrize(
    "host", ["1.2.3.4.5", "256.1.1.1", "1.16777216", "08.1.1.1", "1..2", "example", "4294967296"]
)
def test_not_numeric_spellings(host: str) -> None:
    assert parse_ipv4_loose(host) is None


def test_embedded_ipv4_forms() -> None:
    meta = ipaddress.IPv4Address("169.254.169.254")
    for text in [u[8:].split("]")[0] for u in METADATA_FORMS if u.startswith("http://[")]:
        ip = ipaddress.IPv6Address(text)
        if text in ("2001:db8:1::a9fe:a9fe", "::ffff:100.100.100.200"):
            continue
        assert meta in embedded_ipv4(ip), text
    assert embedded_ipv4(ipaddress.ip_address("2606:4700:4700::1111")) == []
    assert embedded_ipv4(ipaddress.ip_address("8.8.8.8")) == []


def test_scoped_addresses_are_checked_without_their_zone() -> None:
    with pytest.raises(UnsafeUrl):
        check_address(ipaddress.ip_address("fe80::1%eth0"), block_private=True)
    check_address(ipaddress.ip_address("fe80::1%eth0"), block_private=False)
