"""Where a webhook may send: https to public addresses, checked after DNS resolution (no
loopback, private, link-local — cloud metadata —, multicast or reserved address), unless
LEGWORK_WEBHOOK_ALLOW_PRIVATE=true, which also allows http."""

import ipaddress
import socket
from urllib.parse import urlsplit

from app.errors import InvalidInput


class UnsafeURL(ValueError):
    pass


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str, allow_private: bool) -> None:
    """UnsafeURL with the reason when `url` may not be called."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(f"not a URL: {exc}") from None
    if parts.scheme not in ("https", "http"):
        raise UnsafeURL("must be an https:// URL")
    if parts.scheme == "http" and not allow_private:
        raise UnsafeURL("must be https:// (http only with LEGWORK_WEBHOOK_ALLOW_PRIVATE=true)")
    if parts.username is not None or parts.password is not None:
        raise UnsafeURL("must not hold credentials: the signature proves who is calling")
    if not parts.hostname:
        raise UnsafeURL("has no host")
    if allow_private:
        return
    try:
        found = socket.getaddrinfo(parts.hostname, port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeURL(f"its host {parts.hostname!r} does not resolve") from exc
    for *_, sockaddr in found:
        if not _public(str(sockaddr[0])):
            raise UnsafeURL(
                f"its host {parts.hostname!r} resolves to {sockaddr[0]}, which is not a public "
                "address"
            )


def checked_url(url: str, allow_private: bool) -> str:
    """`url` if it may be called; else a 422 naming `url`."""
    try:
        check_url(url, allow_private)
    except UnsafeURL as exc:
        raise InvalidInput("url", str(exc)) from None
    return url
