"""What each PostgreSQL connection keeps between requests.

settings.DATABASES prepares a statement the fifth time a connection runs it, so PostgreSQL plans it once per
connection. psycopg remembers 100 prepared statements a connection and forgets the least used beyond that;
the pages of a few provinces already send about 130 different statements (IN lists of different lengths are
different statements), and a forgotten one is planned again five times before it is prepared again. 500 holds a
day's mix at a few hundred kilobytes of PostgreSQL memory per connection."""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

PREPARED_STATEMENTS_KEPT = 500


def keep_prepared_statements(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created receiver: nothing unless prepared statements are on (settings)."""
    if connection.vendor == "postgresql" and connection.settings_dict["OPTIONS"].get("prepare_threshold"):
        connection.connection.prepared_max = PREPARED_STATEMENTS_KEPT
