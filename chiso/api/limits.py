"""Rate limits per token, counted in Django's cache (fixed one-minute windows). A client over its budget
gets 429 with Retry-After: the seconds left in the window."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def per_minute() -> int:
    return int(getattr(settings, "CHISO_API_RATE_PER_MINUTE", 600))


def count_request(subject: str) -> None:
    """Count one request of `subject` (a token id, or an address for anonymous open data)."""
    now = time.time()
    window = int(now // 60)
    key = f"api-rate:{subject}:{window}"
    # add() then incr(): atomic on every cache backend that supports incr (locmem, memcached, redis, database).
    cache.add(key, 0, 120)
    try:
        used = cache.incr(key)
    except ValueError:
        cache.set(key, 1, 120)
        used = 1
    if used > per_minute():
        raise RateLimited(max(1, 60 - int(now % 60)))
