"""Saving a confirmed import: one transaction that creates the draft plan and every task through
plans.services.save_task, links the import (and so the original file) to it, or writes nothing at all.

What keeps a row from being saved is decided here (`row_problems`), so the preview shows the same problems
the save would refuse."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from chiso.core.history import record_as
from chiso.core.locking import claim_version
from chiso.documents.importing.errors import ImportRefused
from chiso.frameworks.models import Framework, Node
from chiso.orgs.models import Province, Unit, UnitGroup
from chiso.plans.models import Plan, PlanStatus, Task
from chiso.plans.services import TaskData, save_task

if TYPE_CHECKING:
    from chiso.accounts.models import User
    from chiso.documents.models import PlanImport

SCHEDULE_MAX = Task._meta.get_field("schedule_text").max_length or 300
LEAD_TEXT_MAX = Task._meta.get_field("lead_text").max_length or 600
COORDINATING_TEXT_MAX = Task._meta.get_field("coordinating_text").max_length or 1000


def row_problems(row: dict[str, Any], node_ids: set[int]) -> list[dict[str, Any]]:
    """What is wrong with a row: blocking problems keep the whole import from being confirmed; the others
    are shown so the user checks them (an agency the importer did not recognise, no lead agency)."""
    problems: list[dict[str, Any]] = []

    def add(message: str, blocking: bool) -> None:
        problems.append({"message": message, "blocking": blocking})

    if not row["content"].strip():
        add("Chưa có nội dung nhiệm vụ.", True)
    if not row["node_ids"]:
        add("Chưa chọn chỉ số/tiêu chí.", True)
    elif any(i not in node_ids for i in row["node_ids"]):
        add("Nội dung chỉ số không thuộc các bộ chỉ số của bản nhập.", True)
    if len(row["schedule_text"]) > SCHEDULE_MAX:
        add(f"Thời gian thực hiện dài quá {SCHEDULE_MAX} ký tự.", True)
    if not row["lead_unit_ids"] and not row["lead_group_ids"]:
        add("Chưa có cơ quan chủ trì.", False)
    for wording in row.get("lead_unknown") or []:
        add(f"Không nhận ra cơ quan chủ trì “{wording}”.", False)
    for wording in row.get("coordinating_unknown") or []:
        add(f"Không nhận ra cơ quan phối hợp “{wording}”.", False)
    return problems


def blocking_problems(rows: list[dict[str, Any]], node_ids: set[int]) -> list[str]:
    messages = []
    for position, row in enumerate(rows, start=1):
        for problem in row_problems(row, node_ids):
            if problem["blocking"]:
                message = problem["message"]
                messages.append(f"Dòng {position} ({row['source']}): {message[0].lower()}{message[1:]}")
    return messages


def _create_plan(plan_import: PlanImport, frameworks: list[Framework]) -> Plan:
    province, header, rows = plan_import.province, plan_import.header, plan_import.rows
    nodes = {n.pk: n for n in Node.objects.filter(framework__in=frameworks)}
    units = {u.pk: u for u in Unit.objects.filter(province=province)}
    groups = {g.pk: g for g in UnitGroup.objects.filter(province=province)}
    problems = blocking_problems(rows, set(nodes))
    if plan_import.parent_id and Plan.objects.filter(parent_id=plan_import.parent_id,
                                                     owner_unit_id=plan_import.owner_unit_id).exists():
        problems.append("Đơn vị đã có kế hoạch thực hiện kế hoạch cấp trên đã chọn: hãy sửa kế hoạch đó, "
                        "hoặc hủy bản nhập này.")
    if problems:
        raise ImportRefused(problems)
    owner = plan_import.owner_unit
    issued = header.get("issued_on")
    plan = Plan.objects.create(
        province=province, owner_unit=owner, parent_id=plan_import.parent_id,
        issuer=(header.get("issuer") or owner.name).upper()[:255],
        number=(header.get("number") or "")[:20], symbol=(header.get("symbol") or "KH-UBND")[:60],
        place=(header.get("place") or "")[:120], issued_on=dt.date.fromisoformat(issued) if issued else None,
        title=(header.get("title") or "Kế hoạch nhập từ tệp")[:600], status=PlanStatus.DRAFT,
        source_note=f"Nhập từ tệp {plan_import.original_name}"[:500],
    )
    plan.frameworks.set(frameworks)
    for order, row in enumerate(rows, start=1):
        save_task(plan, TaskData(
            content=row["content"].strip(), nodes=[nodes[i] for i in row["node_ids"]],
            lead_units=[units[i] for i in row["lead_unit_ids"] if i in units],
            lead_groups=[groups[i] for i in row["lead_group_ids"] if i in groups],
            coordinating_units=[units[i] for i in row["coordinating_unit_ids"] if i in units],
            coordinating_groups=[groups[i] for i in row["coordinating_group_ids"] if i in groups],
            target=row["target"], schedule_text=row["schedule_text"], outputs=row["outputs"],
            notes=row["notes"], number=row["number"][:20], group_heading=row.get("group", "")[:300],
            lead_text=row["lead_text"][:LEAD_TEXT_MAX],
            coordinating_text=row["coordinating_text"][:COORDINATING_TEXT_MAX], order=order,
        ))
    return plan


def confirm_import(plan_import_id: int, user: User | None, expected_version: int | None) -> Plan:
    """The preview becomes a draft plan, all or nothing. The import row is locked first so that two
    confirmations (two clicks, two people) cannot both create a plan; `expected_version` (the page's) refuses
    a confirmation of rows someone else changed meanwhile (StaleEdit)."""
    from chiso.documents.models import ImportStatus, PlanImport

    with transaction.atomic():
        plan_import = PlanImport.objects.select_for_update().select_related("province", "owner_unit").get(
            pk=plan_import_id)
        if plan_import.status != ImportStatus.DRAFT:
            raise ImportRefused("Bản nhập này đã được xác nhận hoặc đã hủy.")
        if expected_version is not None:
            claim_version(plan_import, expected_version)
        plan = _create_plan(plan_import, list(plan_import.frameworks.all()))
        plan_import.plan = plan
        plan_import.status = ImportStatus.CONFIRMED
        plan_import.confirmed_at = timezone.now()
        plan_import.confirmed_by = user
        record_as(plan_import, user)
        plan_import.save()
    return plan


def save_plan(province: Province, data: dict[str, Any], frameworks: list[Framework], *, original: bytes,
              original_name: str, owner_unit: Unit | None = None, user: User | None = None) -> Plan:
    """Import without a preview (the import_plan command): the same import row and the same confirmation,
    so the original is kept with the plan either way. Refuses (ImportRefused, nothing written, no file left
    behind) while a row lacks its node or its content."""
    from chiso.documents.importing.drafts import start_import

    owner = owner_unit or Unit.objects.get(province=province, kind="province_committee")
    plan_import = None
    try:
        with transaction.atomic():
            plan_import = start_import(province=province, owner_unit=owner, user=user, data=data,
                                       frameworks=frameworks, original=original, original_name=original_name)
            return confirm_import(plan_import.pk, user, None)
    except BaseException:
        if plan_import is not None and plan_import.file:
            plan_import.file.delete(save=False)
        raise
