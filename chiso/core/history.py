"""'Who changed what, when' for any model that keeps django-simple-history records.

The diff is computed here from snapshots rather than with simple-history's diff_against, which queries
the many-to-many tables for every pair of records: a page of history costs one query for the records,
one per tracked many-to-many field, and one per related model whose names it shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models

_TYPES = {"+": "Tạo mới", "~": "Sửa", "-": "Xóa"}
_HIDDEN = {"id", "lock_version", "updated_at", "created_at"}


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


def record_as(obj: models.Model, user: Any) -> None:
    """The next history record of obj names this user: django-simple-history reads the undeclared
    `_history_user` attribute where no request is at hand (services, imports)."""
    obj._history_user = user  # type: ignore[attr-defined]  # an attribute simple-history defines by convention


def history_entries(obj: models.Model, limit: int = 100) -> list[HistoryEntry]:
    """Newest first, each record compared with the one before it; related objects shown by name."""
    model = type(obj)
    history_model = obj.history.model  # type: ignore[attr-defined]  # added by HistoricalRecords at class creation
    recorded = {f.name for f in history_model._meta.fields}
    fields = [f for f in model._meta.concrete_fields if f.name not in _HIDDEN and f.name in recorded]
    m2m_fields = [model._meta.get_field(f.name) for f in getattr(history_model, "_history_m2m_fields", [])]
    # Each tracked m2m field has its own history table (HistoricalTask_nodes …) pointing back to the record.
    accessors = {
        rel.related_model.__name__.removeprefix(f"{history_model.__name__}_"): rel.get_accessor_name()
        for rel in history_model._meta.related_objects
    }
    m2m = [(field, accessors[field.name]) for field in m2m_fields]
    records = list(
        obj.history.select_related("history_user")  # type: ignore[attr-defined]  # added by HistoricalRecords
        .prefetch_related(*[accessor for _, accessor in m2m])
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    snapshots = [_snapshot(record, fields, m2m) for record in records]

    raw: list[tuple[Any, list[tuple[Any, Any, Any]]]] = []  # (record, [(field or m2m relation, old, new)])
    wanted: dict[str, set[Any]] = {}
    for position, record in enumerate(records[:limit]):
        changes: list[tuple[Any, Any, Any]] = []
        if position + 1 < len(records) and record.history_type == "~":
            new, old = snapshots[position], snapshots[position + 1]
            for field in [*fields, *m2m_fields]:
                if new[field.name] != old[field.name]:
                    changes.append((field, old[field.name], new[field.name]))
                    if field.is_relation:
                        ids = wanted.setdefault(field.name, set())
                        for value in (old[field.name], new[field.name]):
                            ids.update(value if isinstance(value, frozenset) else {value} - {None})
        raw.append((record, changes))

    names: dict[str, dict[Any, str]] = {}
    for name, ids in wanted.items():
        related = model._meta.get_field(name).related_model
        if ids and related is not None:  # `wanted` holds relation fields only, which always have a model
            names[name] = {o.pk: str(o) for o in related._default_manager.filter(pk__in=ids)}
    return [
        HistoryEntry(
            record.history_date, record.history_user, _TYPES.get(record.history_type, ""),
            [Change(str(field.verbose_name), _show(field, old, names), _show(field, new, names))
             for field, old, new in changes],
            record.history_change_reason or "",
        )
        for record, changes in raw
    ]


def _snapshot(record: Any, fields: list[models.Field], m2m: list[tuple[Any, str]]) -> dict[str, Any]:
    values = {f.name: getattr(record, f.attname) for f in fields}
    for field, accessor in m2m:
        # Historical through-rows keep the target under the through model's own name for it
        # ("unit", "node", or "to_plan" for a plan that points to plans).
        target = field.m2m_reverse_field_name()
        values[field.name] = frozenset(getattr(row, f"{target}_id") for row in getattr(record, accessor).all())
    return values


def _show(field: Any, value: Any, names: dict[str, dict[Any, str]]) -> str:
    if isinstance(value, frozenset):
        return "; ".join(sorted(names.get(field.name, {}).get(pk, f"#{pk}") for pk in value)) or "—"
    if value in (None, ""):
        return "—"
    if field.is_relation:
        return names.get(field.name, {}).get(value, f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or "—"
    return str(value)
