"""Versions of data that cached pages and figures are keyed on, kept in the shared cache and replaced when a
change commits.

Replaced at commit, not at the save: with the database cache, a write inside the changing transaction would
hold the version's row locked until that transaction ends, making every writer wait on every other and
opening deadlocks with the rows they lock next; and another process reading before the commit would cache the
old rows under the new version. Until its commit the changing transaction sees a version of its own (the
version plus a token for the change), so a page it renders after its own change is computed afresh; the token
lasts while the callback that will replace the version is still waiting on the connection, and so dies with a
commit or a rollback. Versions are random values written in one step: two processes replacing one at once
cannot land on the same value, and no old entry was ever cached under it."""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import connection, transaction


def replace_on_commit(key: str) -> None:
    """A change to the data behind `key`: a new token for this transaction at once, and one replacement of the
    shared version when it commits — one per key and transaction, however many rows it writes (a plan's import
    saves hundreds). The callback still waiting from an earlier change of the same transaction serves this one
    too: a savepoint rolled back around it would have rolled back both changes. Robust: the data is committed
    whatever happens to the cache, and the callbacks after it (e-mails, tasks) must still run."""
    pending = _pending()
    earlier = pending.get(key)
    if earlier is not None and id(earlier[1]) in _waiting() and not earlier[1].done:
        pending[key] = (uuid.uuid4().hex, earlier[1])
        return
    replace = _Replacement(key)
    pending[key] = (uuid.uuid4().hex, replace)
    transaction.on_commit(replace, robust=True)


class _Replacement:
    """The callback replacing a key's shared version; it knows whether it ran (tests run callbacks of a
    transaction that never commits)."""

    def __init__(self, key: str) -> None:
        self.key, self.done = key, False

    def __call__(self) -> None:
        self.done = True
        cache.set(self.key, uuid.uuid4().hex, None)


def current(keys: list[str]) -> list[str]:
    """The version of each key, as this connection's transaction sees it. A version missing (never set, or
    evicted) gets a fresh one: falling back to a fixed default could find entries cached under that default
    before some change."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, None)  # add: a version set meanwhile by another process wins
            found[key] = cache.get(key)
    waiting = _waiting()
    pending = _pending()
    for key, (_token, replace) in list(pending.items()):
        if id(replace) not in waiting or replace.done:  # committed (the version is replaced) or rolled back
            del pending[key]
    return [f"{found[key]}{pending[key][0] if key in pending else ''}" for key in keys]


def _waiting() -> set[int]:
    """The callbacks this connection's transaction will run on commit; a rollback (of it or of the savepoint
    they were registered in) drops them."""
    return {id(entry[1]) for entry in connection.run_on_commit}  # (savepoints, callback, robust)


def _pending() -> dict[str, tuple[str, _Replacement]]:
    # Django's connection object is per thread; the change's tokens belong to its transaction.
    pending: dict[str, tuple[str, _Replacement]] | None = getattr(connection, "_chiso_pending_versions", None)
    if pending is None:
        pending = {}
        connection._chiso_pending_versions = pending  # type: ignore[attr-defined]
    return pending
