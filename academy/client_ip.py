"""The client's address behind the TLS-terminating proxy (README, Deployment).

Each proxy appends the address it received the request from to X-Forwarded-For, so with N trusted
proxies in front of gunicorn the client's address is the Nth entry from the end. Entries before it
came from the client and can be forged; with no trusted proxy the header is ignored altogether.
"""

from __future__ import annotations

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address of whoever sent the request, as the outermost trusted proxy saw it."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = int(settings.TRUSTED_PROXY_COUNT)
    if proxies == 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote
    candidate = hops[-proxies]
    try:
        ip_address(candidate)
    except ValueError:
        return remote
    return candidate
