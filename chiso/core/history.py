"""'Who changed what, when' for any model that keeps django-simple-history records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models

_TYPES = {"+": "Tạo mới", "~": "Sửa", "-": "Xóa"}
_HIDDEN = {"lock_version", "updated_at", "created_at"}


@dataclass
class Change:
    field: str
    old: Any
    new: Any


@dataclass
class HistoryEntry:
    when: Any
    who: Any
    action: str
    changes: list[Change]
    reason: str


def history_entries(obj: models.Model, limit: int = 100) -> list[HistoryEntry]:
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])  # type: ignore[attr-defined]
    model = type(obj)
    entries = []
    for position, record in enumerate(records[:limit]):
        changes: list[Change] = []
        previous = records[position + 1] if position + 1 < len(records) else None
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=_HIDDEN)
            for change in delta.changes:
                try:
                    label = str(model._meta.get_field(change.field).verbose_name)
                except Exception:
                    label = change.field
                changes.append(Change(label, _display(change.old), _display(change.new)))
        entries.append(HistoryEntry(record.history_date, record.history_user, _TYPES.get(record.history_type, ""),
                                    changes, record.history_change_reason or ""))
    return entries


def _display(value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(str(v.get(next(iter(v))) if isinstance(v, dict) else v) for v in value) or "—"
    if value in (None, ""):
        return "—"
    return value
