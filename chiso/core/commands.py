"""Helpers of chiso's management commands."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError


def day_option(text: str | None) -> dt.date | None:
    """A command's dd/mm/yyyy option (--today, --as-of), or None when not given."""
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise CommandError("Ngày không hợp lệ, cần dạng dd/mm/yyyy, ví dụ 16/09/2025.") from None
