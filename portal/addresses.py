"""The client's address as the portal sees it, honouring ``TRUSTED_PROXY_COUNT`` proxies in front.

With no trusted proxy the peer address is the client's, and ``X-Forwarded-For`` is ignored (anyone can write
it). With N trusted proxies, each appends the address it saw, so the client's is the N-th entry from the
right; what the client wrote before it is not trusted. DRF's throttles use the same rule (``NUM_PROXIES``).
"""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""


def client_address(request) -> str:
    peer = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return _valid(hops[-min(proxies, len(hops))]) or peer
    return peer


def client_network(request) -> str:
    """The unit that login limits count: the address, or for IPv6 its /64 (one client holds a whole /64)."""
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is an IPv4 client
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
