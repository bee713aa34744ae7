"""The rendered appendix table, cached and keyed on what changes it: the plan's own row (lock_version and
updated_at move on every edit of the plan), its tasks (their number, and the latest updated_at — saving a task
or its units, groups and nodes saves the task), the filters, whether the reader may edit, and the language.

The table is the appendix's whole cost (150 tasks under every node of three frameworks, about 190 KB of HTML,
200 ms to render on the national dataset), and it is the same for every reader of a plan until the plan
changes. Renaming a unit, a group or a framework node touches no task, so entries also expire after
APPENDIX_TTL seconds: such a rename shows in the appendix at most that late."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import translation

from chiso.plans.models import Plan

APPENDIX_TTL = 300


def appendix_cache_key(plan: Plan, filters: dict[str, Any], can_edit: bool) -> str:
    """One query: the tasks' number and latest change."""
    tasks = plan.tasks.aggregate(n=Count("id"), last=Max("updated_at"))
    last = tasks["last"].isoformat() if tasks["last"] else "-"
    chosen = repr(sorted((k, str(v)) for k, v in filters.items() if v))
    state = f"{plan.pk}|{plan.lock_version}|{plan.updated_at.isoformat()}|{tasks['n']}|{last}|{can_edit}|" \
            f"{translation.get_language()}|{chosen}"
    return "appendix:" + hashlib.sha256(state.encode()).hexdigest()


def cached_appendix(key: str, render: Callable[[], str]) -> str:
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, APPENDIX_TTL)
    return html
