"""Việc cần làm": what is waiting for a person, each item a link to the exact place to act.

The home page belongs to plans, while most of what waits (reports to review, late units, imports left in
preview) belongs to later apps. Each app registers a source here in its AppConfig.ready(), so the home page
collects them without importing them, as plans.checks does for the checks before issuing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TodoItem:
    """One line of the list: "3 báo cáo chờ thẩm định — Quý III/2025", linking to where they are."""

    label: str
    count: int
    url: str
    detail: str = ""
    urgent: bool = False  # shown first; marked "Quá hạn" unless `returned` says why it is urgent
    returned: bool = False  # handed back to this person to correct: marked "Bị trả lại", whatever the deadline
    order: int = 50  # within the same urgency, lower first: the one waiting longest for this person
    counted: bool = True  # a count worth showing ("142 đơn vị …"); a single report to open is not


TodoSource = Callable[[Any, dt.date], list[TodoItem]]

_sources: list[TodoSource] = []


def register_todo_source(source: TodoSource) -> None:
    if source not in _sources:
        _sources.append(source)


def todo_items(user: Any, today: dt.date) -> list[TodoItem]:
    """Every registered source's items for the user, late ones first. Each source makes a fixed number of
    queries whatever the size of the province, so the home page stays bounded."""
    if not user.is_authenticated:
        return []
    items = [item for source in _sources for item in source(user, today) if item.count]
    return sorted(items, key=lambda item: (not item.urgent, item.order))
