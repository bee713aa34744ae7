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
    """Newest first, each record diffed against the one before it. Many-to-many changes come from
    simple-history as through-rows ({"task": 1, "unit": 5}); they are shown by the related objects' names,
    fetched in one query per field for the whole page."""
    model = type(obj)
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])  # type: ignore[attr-defined]
    raw: list[tuple[Any, list[tuple[str, Any, Any]]]] = []
    wanted_ids: dict[str, set[int]] = {}
    for position, record in enumerate(records[:limit]):
        previous = records[position + 1] if position + 1 < len(records) else None
        changes: list[tuple[str, Any, Any]] = []
        if previous is not None and record.history_type == "~":
            for change in record.diff_against(previous, excluded_fields=_HIDDEN).changes:
                changes.append((change.field, change.old, change.new))
                if _is_m2m(model, change.field):
                    wanted_ids.setdefault(change.field, set()).update(
                        _related_ids(model, change.field, change.old) | _related_ids(model, change.field, change.new))
        raw.append((record, changes))
    names = {
        field: {o.pk: str(o) for o in model._meta.get_field(field).related_model._default_manager.filter(pk__in=ids)}
        for field, ids in wanted_ids.items()
    }
    entries = []
    for record, changes in raw:
        shown = []
        for field, old, new in changes:
            if field in names:
                old = _names(model, field, old, names[field])
                new = _names(model, field, new, names[field])
            shown.append(Change(_label(model, field), _display(old), _display(new)))
        entries.append(HistoryEntry(record.history_date, record.history_user, _TYPES.get(record.history_type, ""),
                                    shown, record.history_change_reason or ""))
    return entries


def _is_m2m(model: type[models.Model], field: str) -> bool:
    try:
        return bool(model._meta.get_field(field).many_to_many)
    except Exception:
        return False


def _related_key(model: type[models.Model], field: str) -> str:
    return model._meta.get_field(field).related_model._meta.model_name  # type: ignore[union-attr]


def _related_ids(model: type[models.Model], field: str, rows: Any) -> set[int]:
    key = _related_key(model, field)
    return {row[key] for row in rows or [] if isinstance(row, dict) and key in row}


def _names(model: type[models.Model], field: str, rows: Any, names: dict[int, str]) -> list[str]:
    return sorted(names.get(pk, f"#{pk}") for pk in _related_ids(model, field, rows))


def _label(model: type[models.Model], field: str) -> str:
    try:
        return str(model._meta.get_field(field).verbose_name)
    except Exception:
        return field


def _display(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or "—"
    if value in (None, ""):
        return "—"
    return value
