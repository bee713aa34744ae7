"""The hand-off inside a unit before its own plan leaves for Sở Nội vụ, as for a report: the focal point asks
the leader to approve and send the draft (the leader is told), the leader approves and sends it or hands it back
with a comment (the focal point is told), and the chain of steps shown on the plan's page: the focal point
drafts it, asks the leader, the leader approves and sends it (or returns it), Sở Nội vụ accepts it or hands it
back with a reason, with who did what and when. Read from the plan's own fields and its history
(django-simple-history): who derived the draft, who returned it after its last sending, who accepted it. At
most two queries whatever the length of the history."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from chiso.accounts.models import User
from chiso.core.locking import StaleEdit
from chiso.core.workflow import InvalidTransition, Step, clean_comment, leader_steps, save_transition
from chiso.plans.models import Plan, PlanStatus

SENT = (PlanStatus.SUBMITTED, PlanStatus.ISSUED)

# Who tells the leader: monitoring owns notifications and registers here (plans must not import it).
ApprovalListener = Callable[[Plan, User], None]
_listeners: list[ApprovalListener] = []


def register_approval_listener(listener: ApprovalListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


# Who tells the focal point that the plan came back, and why: (plan, who returned it, comment, by the leader?).
ReturnListener = Callable[[Plan, User, str, bool], None]
_return_listeners: list[ReturnListener] = []


def register_return_listener(listener: ReturnListener) -> None:
    if listener not in _return_listeners:
        _return_listeners.append(listener)


def returned(plan: Plan, user: User, comment: str, *, by_leader: bool) -> None:
    for listener in _return_listeners:
        listener(plan, user, comment, by_leader)


def locked_plan(plan: Plan, expected_version: int | None = None) -> Plan:
    """Re-read the plan under a row lock, so two clicks on a transition cannot both pass its check; a page
    showing an older version (someone acted meanwhile) gets StaleEdit (409)."""
    fresh = Plan.objects.select_for_update().get(pk=plan.pk)
    if expected_version is not None and fresh.lock_version != expected_version:
        raise StaleEdit
    return fresh


@transaction.atomic
def request_approval(plan: Plan, user: User, *, expected_version: int | None = None) -> None:
    """The focal point has finished the unit's draft: the leader is asked to approve and send it. Asking
    again reminds the leader (a new moment, a new notification)."""
    fresh = locked_plan(plan, expected_version)
    if not fresh.is_unit_plan or fresh.status != PlanStatus.DRAFT:
        raise InvalidTransition(_("Chỉ trình duyệt được kế hoạch của đơn vị đang là dự thảo."))
    if not fresh.tasks.exists():
        raise InvalidTransition(_("Kế hoạch chưa có nhiệm vụ nào."))
    save_transition(plan, fresh, approval_requested_at=timezone.now(), approval_requested_by=user)
    for listener in _listeners:
        listener(plan, user)


@transaction.atomic
def return_to_focal_point(plan: Plan, user: User, comment: str, *, expected_version: int | None = None) -> None:
    """The leader hands the draft waiting for their approval back with what to correct; it stays a draft the
    focal point edits and asks the leader again."""
    comment = clean_comment(comment, _("Ghi rõ ý kiến để cán bộ đầu mối biết cần sửa gì."))
    fresh = locked_plan(plan, expected_version)
    if not fresh.is_unit_plan or fresh.status != PlanStatus.DRAFT or fresh.approval_requested_at is None:
        raise InvalidTransition(_("Chỉ trả lại được dự thảo kế hoạch đang chờ lãnh đạo đơn vị duyệt."))
    fresh._history_user = user  # type: ignore[attr-defined]  # simple-history's who-did-it, also outside a request
    save_transition(plan, fresh, leader_returned_at=timezone.now(), leader_returned_by=user, leader_comment=comment,
                    approval_requested_at=None, approval_requested_by=None)
    returned(plan, user, comment, by_leader=True)


def _drafted_by(plan: Plan) -> Any:
    created = plan.history.filter(history_type="+").select_related("history_user").first()
    return created.history_user if created is not None else None


def _last_return(plan: Plan) -> Any:
    """The record of Sở Nội vụ handing the plan back: the first draft record after its last sending."""
    history = plan.history.all()
    last_sent = history.filter(status=PlanStatus.SUBMITTED).order_by("-history_date").values("history_date")[:1]
    return (history.filter(status=PlanStatus.DRAFT, history_date__gt=Subquery(last_sent))
            .select_related("history_user").order_by("history_date").first())


def _acceptance(plan: Plan) -> Any:
    """The record of Sở Nội vụ accepting the plan: its first record as issued (later ones are amendments)."""
    return (plan.history.filter(status=PlanStatus.ISSUED).select_related("history_user")
            .order_by("history_date").first())


def _leader_step(plan: Plan, waiting_leader: bool, sent: bool) -> list[Step]:
    """The leader's two steps; while a draft the leader handed back is being corrected, the second says who
    returned it, when and why."""
    asked, leader = leader_steps(plan, waiting_leader, sent)
    if plan.status == PlanStatus.DRAFT and plan.leader_returned_at and not waiting_leader:
        leader = dataclasses.replace(
            leader, who=plan.leader_returned_by, when=plan.leader_returned_at, current=False,
            note=_("Lãnh đạo đơn vị trả lại: %(c)s") % {"c": plan.leader_comment})
    return [asked, leader]


def _coordinator_step(plan: Plan, waiting_leader: bool) -> Step:
    label = _("Sở Nội vụ tiếp nhận hoặc trả lại")
    if plan.status == PlanStatus.ISSUED:
        accepted = _acceptance(plan)
        return Step(label, accepted.history_user if accepted else None, accepted.history_date if accepted else None,
                    True, note=_("Sở Nội vụ đã tiếp nhận"))
    if plan.status == PlanStatus.SUBMITTED:
        return Step(label, None, None, False, current=True, note=_("Chờ Sở Nội vụ xem xét"))
    back = _last_return(plan) if plan.status == PlanStatus.DRAFT else None
    if back is None:
        return Step(label, None, None, False)
    reason = plan.return_comment or back.return_comment
    note = (_("Sở Nội vụ trả lại: %(c)s") % {"c": reason} if reason
            else _("Đã trả lại để đơn vị chỉnh sửa"))
    return Step(label, back.history_user, back.history_date, False, note=note)


def unit_plan_chain(plan: Plan) -> list[Step]:
    """Focal point drafts → asks the leader → leader approves and sends (or returns) → Sở Nội vụ accepts or
    returns."""
    sent = plan.status in SENT
    waiting_leader = plan.status == PlanStatus.DRAFT and plan.approval_requested_at is not None
    coordinator = _coordinator_step(plan, waiting_leader)
    returned_by_coordinator = coordinator.who is not None and not coordinator.done
    leader_back = plan.leader_returned_at is not None and plan.status == PlanStatus.DRAFT
    return [
        Step(_("Cán bộ đầu mối xây dựng dự thảo"), _drafted_by(plan), plan.created_at, True,
             current=plan.status == PlanStatus.DRAFT and not waiting_leader,
             note=(_("Sở Nội vụ đã trả lại, đơn vị chỉnh sửa và gửi lại")
                   if returned_by_coordinator and not waiting_leader and not leader_back else "")),
        *_leader_step(plan, waiting_leader, sent),
        coordinator,
    ]
