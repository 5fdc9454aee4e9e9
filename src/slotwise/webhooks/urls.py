"""Subscriber URL safety (server-side request forgery), checked at save and at delivery.

Rules, as Cal.com documents them for self-hosting, plus the forms that slip past naive checks:

- only ``http`` and ``https`` URLs with a host, parsed by the same parser the delivery client
  uses (``httpx2.URL``); no user name or password in the URL (``user:pass@``); no IPv6 zone
  identifiers (``%25eth0``); host names only of letters, digits, ``-``, ``_`` and ``.``;
- a host that is a number the way a resolver reads one (``2852039166``, ``0xa9fe.0xa9fe``,
  ``127.1``, ``0177.0.0.1``; :func:`parse_ipv4_loose`) is that IPv4 address;
- cloud metadata endpoints (``169.254.169.254``, ``fd00:ec2::254``, ``metadata.google.internal``
  …) are always refused, also when carried inside an IPv6 address (IPv4-mapped, IPv4-translated,
  IPv4-compatible, NAT64 ``64:ff9b::/96`` and ``64:ff9b:1::/48``, 6to4, Teredo, ISATAP; and any
  IPv6 address whose last 32 bits spell a metadata IPv4 address);
- with ``SLOTWISE_WEBHOOK_BLOCK_PRIVATE_NETWORKS=true`` every non-global address is refused too
  (private ranges, loopback, link-local, unspecified, carrier-grade NAT, multicast, reserved),
  and so is every IPv6 address that carries one in any of the forms above, and the local-use
  NAT64 prefix ``64:ff9b:1::/48`` as a whole.

At delivery :class:`PinnedTransport` resolves the host once, checks every address, and connects
to the checked address (keeping ``Host`` and TLS SNI), so DNS cannot change the answer between
the check and the connection. Redirects are never followed (a 3xx is a failed delivery).
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket

import httpx2

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

METADATA_HOSTS = frozenset(
    {
        "metadata.google.internal",
        "metadata.goog",
        "metadata",
        "instance-data",
        "instance-data.ec2.internal",
        "metadata.azure.internal",
    }
)
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean…
        "169.254.170.2",  # AWS ECS task metadata
        "169.254.170.23",  # AWS EKS pod identity
        "169.254.0.23",  # Tencent Cloud
        "100.100.100.200",  # Alibaba Cloud
        "168.63.129.16",  # Azure wire server
        "192.0.0.192",  # Oracle Cloud
        "fd00:ec2::254",  # AWS IPv6 IMDS
        "fd00:ec2::23",  # AWS EKS pod identity, IPv6
    )
)
_METADATA_V4_INTS = frozenset(
    int(a) for a in METADATA_ADDRESSES if isinstance(a, ipaddress.IPv4Address)
)
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_IPV4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_ISATAP_IID = 0x00005EFE  # RFC 5214 interface identifier, u/g bits masked out
_HOST_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*")
RESOLVE_TIMEOUT_SECONDS = 3.0
METADATA_REFUSED = "Cloud metadata addresses are not allowed as webhook URLs"
PRIVATE_REFUSED = (
    "Private, loopback, link-local and unspecified addresses are not allowed as webhook URLs"
)
USERINFO_REFUSED = (
    "Webhook URLs must not contain a user name or password (user:password@); authenticate "
    "deliveries with the webhook secret (X-Cal-Signature-256) instead"
)


class UnsafeUrl(ValueError):
    """The URL, or an address its host resolves to, is not allowed as a webhook target.

    The message never contains the URL's user name or password."""


def _v4(value: int) -> ipaddress.IPv4Address:
    return ipaddress.IPv4Address(value & 0xFFFFFFFF)


def _rfc6052(ip: ipaddress.IPv6Address, prefix_length: int) -> ipaddress.IPv4Address:
    """The IPv4 address embedded after a ``prefix_length``-bit prefix (RFC 6052 §2.2: bits 64–71
    are skipped)."""
    if prefix_length == 96:
        return _v4(int(ip))
    bits = f"{int(ip):0128b}"
    without_u_octet = bits[:64] + bits[72:]
    return ipaddress.IPv4Address(int(without_u_octet[prefix_length : prefix_length + 32], 2))


def embedded_ipv4(ip: IPAddress) -> list[ipaddress.IPv4Address]:
    """Every IPv4 address an IPv6 address may carry, for the forms a host could route to it:
    IPv4-mapped (``::ffff:a.b.c.d``), IPv4-translated (``::ffff:0:a.b.c.d``), IPv4-compatible
    (``::a.b.c.d``), NAT64 (``64:ff9b::/96``; ``64:ff9b:1::/48`` with each RFC 6052 layout of
    /48, /56, /64, /96), 6to4 (``2002::/16``), Teredo (``2001::/32``: server and client) and
    ISATAP (interface identifier ``0[02]00:5efe``). Empty for an IPv4 address or an IPv6 address
    carrying none."""
    if isinstance(ip, ipaddress.IPv4Address):
        return []
    found: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip in _IPV4_TRANSLATED or ip in _IPV4_COMPATIBLE or ip in _NAT64:
        found.append(_v4(int(ip)))
    if ip in _NAT64_LOCAL:
        found.extend(_rfc6052(ip, length) for length in (48, 56, 64, 96))
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend((ip.teredo[1], ip.teredo[0]))  # the client, then the server
    if (int(ip) >> 32) & 0xFCFFFFFF == _ISATAP_IID:
        found.append(_v4(int(ip)))
    return list(dict.fromkeys(found))


def unwrap(ip: IPAddress) -> IPAddress:
    """The first IPv4 address an IPv6 address carries (:func:`embedded_ipv4`), else ``ip``."""
    inner = embedded_ipv4(ip)
    return inner[0] if inner else ip


def _is_public(ip: IPAddress) -> bool:
    return ip.is_global and not ip.is_multicast and not ip.is_unspecified


def check_address(ip: IPAddress, *, block_private: bool) -> None:
    """Raise UnsafeUrl when ``ip`` may not be a webhook target: a metadata address, itself or
    embedded (always); with ``block_private`` also any non-global address, itself or embedded,
    and the local-use NAT64 prefix ``64:ff9b:1::/48``."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id:
        ip = ipaddress.IPv6Address(int(ip))
    inner = embedded_ipv4(ip)
    if ip in METADATA_ADDRESSES or any(a in METADATA_ADDRESSES for a in inner):
        raise UnsafeUrl(METADATA_REFUSED)
    if isinstance(ip, ipaddress.IPv6Address) and int(ip) & 0xFFFFFFFF in _METADATA_V4_INTS:
        raise UnsafeUrl(METADATA_REFUSED)  # an embedding with an operator-chosen prefix
    if block_private and (
        not _is_public(ip) or not all(_is_public(a) for a in inner) or ip in _NAT64_LOCAL
    ):
        raise UnsafeUrl(PRIVATE_REFUSED)


def _ipv4_part(text: str) -> int | None:
    if not text:
        return None
    try:
        if text[:2].lower() == "0x":
            return int(text[2:], 16) if text[2:] else 0
        if len(text) > 1 and text[0] == "0":
            return int(text[1:], 8)
        return int(text, 10) if text.isdigit() else None
    except ValueError:
        return None


def parse_ipv4_loose(host: str) -> ipaddress.IPv4Address | None:
    """Read ``host`` as ``inet_aton`` (and so ``getaddrinfo`` and curl) reads a number: one to
    four dot-separated parts, each decimal, octal (leading ``0``) or hexadecimal (``0x``), the
    last part filling the remaining bytes (``127.1`` is 127.0.0.1, ``2852039166`` is
    169.254.169.254, ``0xa9.0376.43518`` is 169.254.169.254). None when it is not such a number."""
    parts = host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    values = [_ipv4_part(p) for p in parts]
    if any(v is None for v in values):
        return None
    numbers = [v for v in values if v is not None]
    *head, last = numbers
    if any(v > 255 for v in head) or last >= 256 ** (4 - len(head)):
        return None
    value = 0
    for v in head:
        value = value * 256 + v
    return ipaddress.IPv4Address(value * 256 ** (4 - len(head)) + last)


def literal_address(host: str) -> IPAddress | None:
    """The address ``host`` (lower case, no brackets) denotes by itself: an IPv6 or IPv4
    literal, or a number as a resolver reads it (:func:`parse_ipv4_loose`); None for a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return parse_ipv4_loose(host)


def redact_userinfo(url: str) -> str:
    """``url`` with any user name and password replaced by ``***`` (``https://***@host/…``).

    New subscriber URLs cannot carry credentials (refused with 400); webhooks stored with them
    by an older version are shown without them. Returns ``url`` unchanged when it has none or
    cannot be parsed."""
    try:
        parsed = httpx2.URL(url)
    except (httpx2.InvalidURL, TypeError, ValueError):
        return url
    if not parsed.userinfo:
        return url
    return str(parsed.copy_with(username="***", password=None))


def parse_url(url: str) -> tuple[str, str, int]:
    """``(scheme, host, port)`` of an http(s) URL as the delivery client parses it (host in
    lower case, IDNA-encoded, without a trailing dot or brackets). Raises UnsafeUrl for another
    scheme, no host, a bad port, user info, a zone identifier or a host with other characters."""
    try:
        parsed = httpx2.URL(url.strip())
        port = parsed.port
    except (httpx2.InvalidURL, ValueError, TypeError) as exc:
        raise UnsafeUrl(f"Invalid webhook URL: {exc}".replace(url, "<url>")) from None
    return _parts(parsed, port)


def _parts(parsed: httpx2.URL, port: int | None) -> tuple[str, str, int]:
    scheme = parsed.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeUrl("Webhook URLs must use http or https")
    if parsed.userinfo:
        raise UnsafeUrl(USERINFO_REFUSED)
    host = parsed.raw_host.decode("ascii", "replace").rstrip(".").lower()
    if not host:
        raise UnsafeUrl("Webhook URLs need a host")
    if "%" in host:
        raise UnsafeUrl("Webhook URLs must not contain IPv6 zone identifiers or escaped hosts")
    if ":" not in host and not _HOST_NAME.fullmatch(host):
        raise UnsafeUrl("Webhook URL hosts may contain only letters, digits, '-', '_' and '.'")
    if port is not None and not 1 <= port <= 65535:
        raise UnsafeUrl("Invalid webhook URL: the port must be between 1 and 65535")
    return scheme, host, port or (443 if scheme == "https" else 80)


async def _system_resolve(host: str, port: int) -> list[str]:
    """The system resolver's addresses for ``host`` (text, zone ids stripped)."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]).split("%", 1)[0] for info in infos]


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (a literal address, in any spelling
    :func:`literal_address` reads, resolves to itself, without asking DNS).

    Raises OSError when resolution fails or takes longer than a few seconds."""
    literal = literal_address(host)
    if literal is not None:
        return [literal]
    try:
        found = await asyncio.wait_for(_system_resolve(host, port), RESOLVE_TIMEOUT_SECONDS)
    except TimeoutError as exc:
        raise OSError(f"resolving {host} timed out") from exc
    addresses = list(dict.fromkeys(ipaddress.ip_address(a) for a in found))
    if not addresses:
        raise OSError(f"{host} has no address")
    return addresses


def _check_name(host: str, *, block_private: bool) -> None:
    if host in METADATA_HOSTS:
        raise UnsafeUrl(METADATA_REFUSED)
    if host == "localhost" or host.endswith(".localhost"):
        check_address(ipaddress.ip_address("127.0.0.1"), block_private=block_private)


async def check_subscriber_url(url: str, *, block_private: bool) -> None:
    """The save-time check: raise UnsafeUrl for a URL a webhook may not have.

    A host that cannot be resolved now is accepted (it is checked again at each delivery);
    a host that resolves to a refused address is not.
    """
    _scheme, host, port = parse_url(url)
    _check_name(host, block_private=block_private)
    try:
        addresses = await resolve(host, port)
    except OSError:
        return
    for ip in addresses:
        check_address(ip, block_private=block_private)


class PinnedTransport(httpx2.AsyncHTTPTransport):
    """An HTTP transport that resolves each request's host once, refuses forbidden addresses
    (:func:`check_address`) and URLs (:func:`parse_url`), and connects to the checked address
    (its canonical spelling), sending the original ``Host`` header and TLS server name. Raises
    UnsafeUrl before any packet is sent to a refused one (DNS aside), and ``ConnectError`` when
    the host cannot be resolved."""

    def __init__(self, *, block_private: bool, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]  # forwarded transport options
        self.block_private = block_private

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        scheme, host, port = _parts(request.url, request.url.port)
        if request.headers.get("Authorization", "").lower().startswith("basic "):
            raise UnsafeUrl(USERINFO_REFUSED)  # userinfo the client turned into a header
        _check_name(host, block_private=self.block_private)
        try:
            addresses = await resolve(host, port)
        except OSError as exc:
            raise httpx2.ConnectError(f"cannot resolve {host}: {exc}", request=request) from exc
        for ip in addresses:
            check_address(ip, block_private=self.block_private)
        target = str(addresses[0])
        if target != host:
            request.url = request.url.copy_with(host=target)
            if scheme == "https" and literal_address(host) is None:
                request.extensions = {**request.extensions, "sni_hostname": host}
        return await super().handle_async_request(request)
