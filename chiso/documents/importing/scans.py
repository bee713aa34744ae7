"""A scan imported in the background: the upload becomes a draft import waiting for OCR (its file kept, no rows),
a django-tasks job taking the import's id reads it page by page, recording its progress in the import's header
for the preview page to poll, then fills the rows as any import. A scan OCR cannot read closes the draft and
removes its file: a refusal stores nothing but the message the page shows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from chiso.documents.importing import drafts
from chiso.documents.importing.choosing import candidates
from chiso.documents.importing.errors import ImportRefused
from chiso.documents.importing.ocr import pages_of, read_scan
from chiso.documents.importing.pipeline import parse_tables, preview_data
from chiso.documents.models import ImportStatus, PlanImport
from chiso.frameworks.models import Framework
from chiso.orgs.models import Unit

if TYPE_CHECKING:
    from chiso.accounts.models import User


def start_scan(*, province: Any, owner_unit: Unit, user: User | None, original: bytes, original_name: str,
               kind: str, allowed: list[Framework], parent: Any = None) -> PlanImport:
    header = {"title": "", "version": 1,
              "ocr": {"state": "running", "done": 0, "total": pages_of(original, kind),
                      "allowed": [f.pk for f in allowed]}}
    plan_import = drafts.start_import(province=province, owner_unit=owner_unit, user=user,
                                      data={"rows": [], "unreadable": [], "header": header, "kind": "ocr"},
                                      frameworks=[], original=original, original_name=original_name, parent=parent)
    from chiso.documents.importing.tasks import read_scan_task

    transaction.on_commit(lambda: read_scan_task.enqueue(plan_import.pk))
    return plan_import


def _set_progress(pk: int, ocr: dict[str, Any]) -> None:
    with transaction.atomic():
        plan_import = PlanImport.objects.select_for_update().get(pk=pk)
        plan_import.header = {**plan_import.header, "ocr": {**plan_import.header.get("ocr", {}), **ocr}}
        plan_import.save(update_fields=["header", "updated_at"])


def complete_scan(pk: int) -> None:
    plan_import = PlanImport.objects.select_related("province").get(pk=pk)
    if plan_import.status != ImportStatus.DRAFT:
        return
    with plan_import.file.open("rb") as handle:
        original = handle.read()
    kind = plan_import.original_name.lower().rsplit(".", 1)[-1].replace("jpeg", "jpg")
    ocr = plan_import.header.get("ocr", {})
    allowed = list(Framework.objects.filter(pk__in=ocr.get("allowed") or [])) or candidates(plan_import.province)
    try:
        tables, lines = read_scan(original, kind, lambda done, total: _set_progress(pk, {"done": done, "total": total}))
        data = preview_data(parse_tables("ocr", tables, lines), plan_import.province, allowed)
    except ImportRefused as refused:
        _fail(pk, refused.messages)
        return
    drafts.fill_import(pk, data, {**ocr, "state": "done"})


def _fail(pk: int, messages: list[str]) -> None:
    _set_progress(pk, {"state": "failed", "messages": messages})
    drafts.cancel_import(pk, None)
