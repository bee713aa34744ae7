"""Saving a confirmed import: one transaction that creates the draft plan and every task through
plans.services.save_task, or nothing at all."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from chiso.documents.importing.errors import ImportRefused
from chiso.frameworks.models import Framework, Node
from chiso.orgs.models import Province, Unit, UnitGroup
from chiso.plans.models import Plan, PlanStatus
from chiso.plans.services import TaskData, save_task


def _problems(rows: list[dict[str, Any]]) -> list[str]:
    problems = []
    for row in rows:
        if not row["node_ids"]:
            problems.append(f"Dòng {row['id']} ({row['source']}): chưa chọn chỉ số/tiêu chí.")
        if not row["content"].strip():
            problems.append(f"Dòng {row['id']} ({row['source']}): chưa có nội dung nhiệm vụ.")
    return problems


def save_plan(province: Province, data: dict[str, Any], frameworks: list[Framework], *, original: bytes,
              original_name: str, owner_unit: Unit | None = None) -> Plan:
    """Refuses (ImportRefused, nothing written) while a row lacks its node or its content."""
    problems = _problems(data["rows"])
    if problems:
        raise ImportRefused(problems)
    header = data["header"]
    owner = owner_unit or Unit.objects.get(province=province, kind="province_committee")
    nodes = {n.pk: n for n in Node.objects.filter(pk__in={i for r in data["rows"] for i in r["node_ids"]})}
    units = {u.pk: u for u in Unit.objects.filter(province=province)}
    groups = {g.pk: g for g in UnitGroup.objects.filter(province=province)}
    with transaction.atomic():
        issued = header.get("issued_on")
        plan = Plan.objects.create(
            province=province, owner_unit=owner, issuer=(header.get("issuer") or owner.name).upper()[:255],
            number=(header.get("number") or "")[:20], symbol=(header.get("symbol") or "KH-UBND")[:60],
            place=(header.get("place") or "")[:120], issued_on=dt.date.fromisoformat(issued) if issued else None,
            title=(header.get("title") or "Kế hoạch nhập từ tệp")[:600], status=PlanStatus.DRAFT,
            source_note=f"Nhập từ tệp {original_name}"[:500],
        )
        plan.frameworks.set(frameworks)
        for order, row in enumerate(data["rows"], start=1):
            save_task(plan, TaskData(
                content=row["content"], nodes=[nodes[i] for i in row["node_ids"] if i in nodes],
                lead_units=[units[i] for i in row["lead_unit_ids"] if i in units],
                lead_groups=[groups[i] for i in row["lead_group_ids"] if i in groups],
                coordinating_units=[units[i] for i in row["coordinating_unit_ids"] if i in units],
                coordinating_groups=[groups[i] for i in row["coordinating_group_ids"] if i in groups],
                target=row["target"], schedule_text=row["schedule_text"], outputs=row["outputs"],
                notes=row["notes"], number=row["number"][:20], lead_text=row["lead_text"],
                coordinating_text=row["coordinating_text"], order=order,
            ))
        # The original stays with the plan; written last so a failed save leaves no file behind.
        stored = default_storage.save(f"imports/plan-{plan.pk}/{original_name[-80:]}", ContentFile(original))
        plan.source_note = f"Nhập từ tệp {original_name} (lưu tại {stored})"[:500]
        plan.save(update_fields=["source_note"])
    return plan
