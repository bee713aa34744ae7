"""Multi-row writes on plans: saving a task with its assignments, deriving and submitting a unit's
plan, issuing a plan. Each function owns its transaction; views, commands and importers call them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from chiso.accounts.models import User
from chiso.core.locking import claim_version
from chiso.core.text import collation_key
from chiso.core.workflow import InvalidTransition, clean_comment, save_transition
from chiso.frameworks.models import Node
from chiso.orgs.models import Unit, UnitGroup
from chiso.orgs.naming import plan_letterhead
from chiso.plans.approval import locked_plan, returned
from chiso.plans.models import TASK_HISTORY, Assignment, Plan, PlanStatus, Task
from chiso.plans.schedules import parse_schedule


def plan_year(plan: Plan) -> int | None:
    for date in (plan.period_start, plan.period_end, plan.issued_on):
        if date:
            return date.year
    return None


@dataclass
class TaskData:
    content: str
    nodes: list[Node]
    lead_units: list[Unit]
    lead_groups: list[UnitGroup]
    coordinating_units: list[Unit]
    coordinating_groups: list[UnitGroup]
    target: str = ""
    schedule_text: str = ""
    outputs: str = ""
    notes: str = ""
    number: str = ""
    group_heading: str = ""
    lead_text: str = ""
    coordinating_text: str = ""
    monitoring_unit: Unit | None = None
    due_date: dt.date | None = None
    order: int | None = None
    source_task: Task | None = None


def _agency_text(units: list[Unit], groups: list[UnitGroup]) -> str:
    return "; ".join([g.name for g in groups] + [u.name for u in units])


def _apply(task: Task, data: TaskData, *, keep_lead_text: bool, keep_coordinating_text: bool) -> None:
    task.content = data.content
    task.target = data.target
    task.number = data.number
    task.group_heading = data.group_heading
    task.schedule_text = data.schedule_text
    task.outputs = data.outputs
    task.notes = data.notes
    task.monitoring_unit = data.monitoring_unit
    task.source_task = data.source_task or task.source_task
    # The wording as the document printed it stays until the agencies themselves change.
    if data.lead_text or not keep_lead_text:
        task.lead_text = data.lead_text or _agency_text(data.lead_units, data.lead_groups)
    if data.coordinating_text or not keep_coordinating_text:
        task.coordinating_text = data.coordinating_text or _agency_text(
            data.coordinating_units, data.coordinating_groups)
    schedule = parse_schedule(data.schedule_text, plan_year(task.plan))
    task.schedule_kind = schedule.kind
    task.start_date = schedule.start
    # A due date typed by the user wins over one read from the schedule text, and is kept apart from it
    # so that changing the schedule text later moves a date that was only ever derived.
    task.fixed_due_date = data.due_date
    task.due_date = data.due_date or schedule.due


def sync_assignments(task: Task) -> None:
    """One assignment per lead unit, groups expanded, so each unit reports on its own share."""
    wanted: dict[int, UnitGroup | None] = {unit.pk: None for unit in task.lead_units.all()}
    for group in task.lead_groups.all():
        for unit_id in group.members(issuer=task.plan.owner_unit).values_list("pk", flat=True):
            wanted.setdefault(unit_id, group)
    existing = {a.unit_id: a for a in task.assignments.all()}
    task.assignments.exclude(unit_id__in=wanted.keys()).delete()
    to_create = [
        Assignment(task=task, unit_id=unit_id, via_group=group, due_date=task.due_date)
        for unit_id, group in wanted.items() if unit_id not in existing
    ]
    Assignment.objects.bulk_create(to_create)
    changed = []
    for unit_id, assignment in existing.items():
        if unit_id not in wanted:
            continue
        via_group = wanted[unit_id]
        if assignment.via_group_id != (via_group.pk if via_group else None) or assignment.due_date != task.due_date:
            assignment.via_group, assignment.due_date = via_group, task.due_date
            changed.append(assignment)
    Assignment.objects.bulk_update(changed, ["via_group", "due_date"])


@transaction.atomic
def save_task(plan: Plan, data: TaskData, *, task: Task | None = None, expected_version: int | None = None) -> Task:
    if task is None:
        task = Task(plan=plan)
        if data.order is None:
            task.order = (plan.tasks.aggregate(m=Max("order"))["m"] or 0) + 1
    else:
        if expected_version is not None:
            claim_version(task, expected_version)
    if data.order is not None:
        task.order = data.order
    created = task.pk is None
    _apply(
        task, data,
        keep_lead_text=not created and _same(task.lead_units, data.lead_units)
        and _same(task.lead_groups, data.lead_groups),
        keep_coordinating_text=not created and _same(task.coordinating_units, data.coordinating_units)
        and _same(task.coordinating_groups, data.coordinating_groups),
    )
    # One history record per save, taken after the m2m sets, instead of one per set() call.
    task.skip_history_when_saving = True  # type: ignore[attr-defined]  # simple-history's switch, not a field
    try:
        task.save()
        task.nodes.set(data.nodes)
        task.lead_units.set(data.lead_units)
        task.lead_groups.set(data.lead_groups)
        task.coordinating_units.set(data.coordinating_units)
        task.coordinating_groups.set(data.coordinating_groups)
    finally:
        del task.skip_history_when_saving  # type: ignore[attr-defined]  # set above, see there
    TASK_HISTORY.create_historical_record(task, "+" if created else "~")
    sync_assignments(task)
    return task


def _same(related: Any, chosen: list[Any]) -> bool:
    return set(related.values_list("pk", flat=True)) == {obj.pk for obj in chosen}


@transaction.atomic
def delete_task(task: Task) -> None:
    task.delete()


@transaction.atomic
def derive_unit_plan(parent: Plan, unit: Unit) -> Plan:
    """A unit's own draft plan, pre-filled with the parent plan's tasks assigned to it. Locking the parent
    row serialises two clicks; the unique constraint on (parent, owner_unit) backs it up."""
    Plan.objects.select_for_update().filter(pk=parent.pk).exists()
    existing = Plan.objects.filter(parent=parent, owner_unit=unit).first()
    if existing:
        return existing
    governing, issuer, symbol = plan_letterhead(unit, parent.issuer)
    plan = Plan.objects.create(
        province=parent.province, owner_unit=unit, issuer=issuer, issuer_parent=governing, place=parent.place,
        symbol=symbol,
        title=_("Kế hoạch của %(unit)s thực hiện %(parent)s") % {"unit": unit.name, "parent": parent.title},
        period_text=parent.period_text, period_start=parent.period_start, period_end=parent.period_end,
        parent=parent, status=PlanStatus.DRAFT,
    )
    plan.frameworks.set(parent.frameworks.all())
    assigned = (
        Task.objects.filter(plan=parent, assignments__unit=unit)
        .prefetch_related("nodes", "coordinating_units", "coordinating_groups")
        .order_by("order")
    )
    for order, source in enumerate(assigned, start=1):
        save_task(plan, TaskData(
            content=source.content, nodes=list(source.nodes.all()), lead_units=[unit], lead_groups=[],
            coordinating_units=list(source.coordinating_units.all()),
            coordinating_groups=list(source.coordinating_groups.all()),
            target=source.target, schedule_text=source.schedule_text, outputs=source.outputs,
            number=source.number, group_heading=source.group_heading, coordinating_text=source.coordinating_text,
            due_date=source.fixed_due_date, order=order, source_task=source,
        ))
    return plan


def _locked(plan: Plan, expected_version: int | None = None) -> Plan:
    return locked_plan(plan, expected_version)


@transaction.atomic
def submit_unit_plan(plan: Plan, user: User, *, expected_version: int | None = None) -> None:
    fresh = _locked(plan, expected_version)
    if not fresh.is_unit_plan or fresh.status != PlanStatus.DRAFT:
        raise InvalidTransition(_("Chỉ gửi được kế hoạch đơn vị đang ở trạng thái dự thảo."))
    if not fresh.tasks.exists():
        raise InvalidTransition(_("Kế hoạch chưa có nhiệm vụ nào."))
    # Sent, the plan leaves the unit: the comments of its earlier hand-backs stay in its history only.
    fresh._history_user = user  # type: ignore[attr-defined]  # simple-history's who-did-it, also outside a request
    save_transition(plan, fresh, status=PlanStatus.SUBMITTED, submitted_at=timezone.now(), submitted_by=user,
                    leader_returned_at=None, leader_returned_by=None, leader_comment="", return_comment="")


@transaction.atomic
def return_unit_plan(plan: Plan, user: User, comment: str, *, expected_version: int | None = None) -> None:
    """Sở Nội vụ hands a sent unit plan back with its reason; the unit's focal point is told."""
    comment = clean_comment(comment, _("Ghi rõ lý do trả lại để đơn vị biết cần sửa gì."))
    fresh = _locked(plan, expected_version)
    if not fresh.is_unit_plan or fresh.status != PlanStatus.SUBMITTED:
        raise InvalidTransition(_("Chỉ trả lại được kế hoạch của đơn vị đã gửi Sở Nội vụ."))
    # A returned plan is a draft again: it no longer counts as sent, and the focal point asks the leader anew.
    fresh._history_user = user  # type: ignore[attr-defined]  # read back by the chain as who returned it
    save_transition(plan, fresh, status=PlanStatus.DRAFT, submitted_at=None, submitted_by=None,
                    approval_requested_at=None, approval_requested_by=None, return_comment=comment)
    returned(plan, user, comment, by_leader=False)


def _issue(plan: Plan, fresh: Plan, issued_on: dt.date | None, number: str) -> None:
    """An issued plan carries its number and date (Decree 30): the issue form asks for the ones it lacks."""
    if not fresh.tasks.exists():
        raise InvalidTransition(_("Kế hoạch chưa có nhiệm vụ nào."))
    save_transition(plan, fresh, status=PlanStatus.ISSUED, issued_on=fresh.issued_on or issued_on or timezone.localdate(),
                    number=fresh.number or number.strip())


@transaction.atomic
def issue_plan(plan: Plan, issued_on: dt.date | None = None, number: str = "") -> None:
    fresh = _locked(plan)
    if fresh.status not in (PlanStatus.DRAFT, PlanStatus.SUBMITTED):
        raise InvalidTransition(_("Kế hoạch này đã ban hành hoặc đã được thay thế."))
    _issue(plan, fresh, issued_on, number)
    for replaced in fresh.replaces.select_for_update():
        save_transition(replaced, replaced, status=PlanStatus.SUPERSEDED)


@transaction.atomic
def accept_unit_plan(plan: Plan, user: User, issued_on: dt.date | None = None, number: str = "", *,
                     expected_version: int | None = None) -> None:
    """Sở Nội vụ accepts a unit plan the unit's leader sent: it counts as issued from then on, with the
    number and date the unit signed it under."""
    fresh = _locked(plan, expected_version)
    if not fresh.is_unit_plan or fresh.status != PlanStatus.SUBMITTED:
        raise InvalidTransition(_("Chỉ tiếp nhận được kế hoạch của đơn vị đã gửi Sở Nội vụ."))
    fresh._history_user = user  # type: ignore[attr-defined]  # read back by the chain as who accepted it
    _issue(plan, fresh, issued_on, number)


@dataclass
class CascadeRow:
    unit: Unit
    task_count: int
    plan: Plan | None
    is_late: bool

    due: dt.date | None = None

    @property
    def submitted(self) -> bool:
        return self.plan is not None and self.plan.status != PlanStatus.DRAFT

    @property
    def submitted_late(self) -> bool:
        """Sent, but after the deadline: the mark stays once the plan is in."""
        return bool(self.submitted and self.due and self.plan and self.plan.submitted_at
                    and timezone.localdate(self.plan.submitted_at) > self.due)


def cascade_status(plan: Plan, today: dt.date) -> list[CascadeRow]:
    """Which units with assignments in the plan have submitted their own plan, and who is late.
    Three queries whatever the number of units."""
    counts = dict(
        Assignment.objects.filter(task__plan=plan).values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n")
    )
    unit_map = {u.pk: u for u in Unit.objects.filter(pk__in=counts.keys())}
    derived = {p.owner_unit_id: p for p in plan.derived_plans.all()}
    deadline_passed = bool(plan.unit_plans_due and today > plan.unit_plans_due)
    rows = []
    for unit_id, count in counts.items():
        row = CascadeRow(unit=unit_map[unit_id], task_count=count, plan=derived.get(unit_id), is_late=False,
                         due=plan.unit_plans_due)
        row.is_late = deadline_passed and not row.submitted
        rows.append(row)
    rows.sort(key=lambda r: (not r.is_late, r.unit.kind, collation_key(r.unit.name)))
    return rows
