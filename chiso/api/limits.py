"""Rate limits per token, counted in fixed one-minute windows in the database. A client over its budget gets
429 with Retry-After: the seconds left in the window.

The counter is one SQL statement (an insert that adds one on conflict, returning the new count), so requests
served at the same moment by different web processes are all counted: a per-process cache would multiply the
budget by the number of processes, and a read-then-write counter loses requests under concurrency."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection

from chiso.api.models import RequestCount


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def per_minute() -> int:
    return int(getattr(settings, "CHISO_API_RATE_PER_MINUTE", 600))


def _count(subject: str, minute: int) -> int:
    table = connection.ops.quote_name(RequestCount._meta.db_table)
    # The same statement on PostgreSQL and SQLite (3.35 and later): both support ON CONFLICT … RETURNING.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (subject, minute, used) VALUES (%s, %s, 1) "
            f"ON CONFLICT (subject, minute) DO UPDATE SET used = {table}.used + 1 RETURNING used",
            [subject[:80], minute])
        return int(cursor.fetchone()[0])


def count_request(subject: str) -> None:
    """Count one request of `subject` (a token id, or an address for anonymous open data)."""
    now = time.time()
    minute = int(now // 60)
    used = _count(subject, minute)
    if used == 1:  # the subject's first request of a window: its earlier windows are of no further use
        RequestCount.objects.filter(subject=subject[:80], minute__lt=minute).delete()
    if used > per_minute():
        raise RateLimited(max(1, 60 - int(now % 60)))
