"""Việc cần làm" from documents: plan imports left in preview, waiting to be checked and confirmed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from chiso.core.todo import TodoItem
from chiso.documents.models import ImportStatus, PlanImport


def imports_in_preview(user: Any, today: dt.date) -> list[TodoItem]:
    """One query: the oldest open import is where to act; the import page lists the others."""
    drafts = list(PlanImport.objects.visible_to(user).filter(status=ImportStatus.DRAFT)
                  .order_by("created_at", "id").values_list("pk", flat=True)[:50])
    if not drafts:
        return []
    url = (reverse("documents:import_preview", args=[drafts[0]]) if len(drafts) == 1
           else reverse("documents:import_start"))
    n = len(drafts)
    return [TodoItem(ngettext("kế hoạch nhập từ tệp đang chờ xác nhận",
                              "kế hoạch nhập từ tệp đang chờ xác nhận", n) % {"n": n}, n, url, order=45)]
