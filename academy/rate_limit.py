"""A limit on how often one address may use a public form, counted in the shared cache.

The public forms that create records (registering interest in an event) are open to anyone, so a
script could fill the database with made-up people. Each accepted attempt is counted per client
address (academy.client_ip, so the proxy's address is not everyone's) for a window; past the limit
the form is refused until the window ends. The counters live in the cache every web node shares,
like the two-factor lockouts (academy.mfa).
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

from academy.client_ip import client_ip


def rate_limit_hit(*, request: HttpRequest, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one use of `scope` by the request's address; True when it is over `limit` in the window.

    The window runs from the address's first use; counting is atomic (cache.incr), so several web
    nodes counting at once never let more than `limit` through.
    """
    key = f"academy:rate:{scope}:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        used = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, timeout=window_seconds)
        used = 1
    return used > limit
