"""Subscriber URL safety (server-side request forgery), checked at save and at delivery.

Rules, as Cal.com documents them for self-hosting:

- only ``http`` and ``https`` URLs with a host;
- cloud metadata endpoints (``169.254.169.254``, ``fd00:ec2::254``, ``metadata.google.internal``
  …) are always refused;
- with ``SLOTWISE_WEBHOOK_BLOCK_PRIVATE_NETWORKS=true`` every non-global address is refused too
  (private ranges, loopback, link-local, carrier-grade NAT, reserved), including addresses
  wrapped in IPv4-mapped, 6to4, Teredo or NAT64 IPv6 forms.

At delivery :class:`PinnedTransport` resolves the host once, checks every address, and connects
to the checked address (keeping ``Host`` and TLS SNI), so DNS cannot change the answer between
the check and the connection. Redirects are never followed (a 3xx is a failed delivery).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

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
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
RESOLVE_TIMEOUT_SECONDS = 3.0


class UnsafeUrl(ValueError):
    """The URL, or an address its host resolves to, is not allowed as a webhook target."""


def unwrap(ip: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo, NAT64), else ``ip``."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip.sixtofour is not None:
            return ip.sixtofour
        if ip.teredo is not None:
            return ip.teredo[1]
        if ip in _NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def check_address(ip: IPAddress, *, block_private: bool) -> None:
    """Raise UnsafeUrl when ``ip`` may not be a webhook target."""
    inner = unwrap(ip)
    if ip in METADATA_ADDRESSES or inner in METADATA_ADDRESSES:
        raise UnsafeUrl("Cloud metadata addresses are not allowed as webhook URLs")
    if block_private and not (ip.is_global and inner.is_global):
        raise UnsafeUrl(
            "Private, loopback and link-local addresses are not allowed as webhook URLs"
        )


def parse_url(url: str) -> tuple[str, str, int]:
    """``(scheme, host, port)`` of an http(s) URL; raises UnsafeUrl otherwise."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrl(f"Invalid webhook URL: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeUrl("Webhook URLs must use http or https")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise UnsafeUrl("Webhook URLs need a host")
    return scheme, host, port or (443 if scheme == "https" else 80)


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (a literal address resolves to itself).

    Raises OSError when resolution fails or takes longer than a few seconds."""
    literal = _literal(host)
    if literal is not None:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(
            loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), RESOLVE_TIMEOUT_SECONDS
        )
    except TimeoutError as exc:
        raise OSError(f"resolving {host} timed out") from exc
    addresses: list[IPAddress] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise OSError(f"{host} has no address")
    return addresses


async def check_subscriber_url(url: str, *, block_private: bool) -> None:
    """The save-time check: raise UnsafeUrl for a URL a webhook may not have.

    A host that cannot be resolved now is accepted (it is checked again at each delivery);
    a host that resolves to a refused address is not.
    """
    _scheme, host, port = parse_url(url)
    if host in METADATA_HOSTS:
        raise UnsafeUrl("Cloud metadata addresses are not allowed as webhook URLs")
    if host == "localhost" or host.endswith(".localhost"):
        check_address(ipaddress.ip_address("127.0.0.1"), block_private=block_private)
    try:
        addresses = await resolve(host, port)
    except OSError:
        return
    for ip in addresses:
        check_address(ip, block_private=block_private)


class PinnedTransport(httpx2.AsyncHTTPTransport):
    """An HTTP transport that resolves each request's host once, refuses forbidden addresses
    (:func:`check_address`) and connects to the checked address, sending the original ``Host``
    header and TLS server name. Raises UnsafeUrl before any packet is sent to a refused one."""

    def __init__(self, *, block_private: bool, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]  # forwarded transport options
        self.block_private = block_private

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        url = str(request.url)
        scheme, host, port = parse_url(url)
        if host in METADATA_HOSTS:
            raise UnsafeUrl("Cloud metadata addresses are not allowed as webhook URLs")
        try:
            addresses = await resolve(host, port)
        except OSError as exc:
            raise httpx2.ConnectError(f"cannot resolve {host}: {exc}", request=request) from exc
        for ip in addresses:
            check_address(ip, block_private=self.block_private)
        if _literal(host) is None:
            request.url = request.url.copy_with(host=str(addresses[0]))
            if scheme == "https":
                request.extensions = {**request.extensions, "sni_hostname": host}
        return await super().handle_async_request(request)
