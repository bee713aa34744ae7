"""The hand-off inside a unit before its own plan leaves for Sở Nội vụ, as for a report: the focal point asks
the leader to approve and send the draft (the leader is told), and the chain of steps shown on the plan's page:
the focal point drafts it, asks the leader, the leader approves and sends it, Sở Nội vụ receives it or hands it
back, with who did what and when. Read from the plan's own fields and its history (django-simple-history): who
derived the draft, and who returned it after its last sending. Two queries whatever the length of the history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from chiso.accounts.models import User
from chiso.core.workflow import InvalidTransition, Step, leader_steps, save_transition
from chiso.plans.models import Plan, PlanStatus

SENT = (PlanStatus.SUBMITTED, PlanStatus.ISSUED)

# Who tells the leader: monitoring owns notifications and registers here (plans must not import it).
ApprovalListener = Callable[[Plan, User], None]
_listeners: list[ApprovalListener] = []


def register_approval_listener(listener: ApprovalListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


@transaction.atomic
def request_approval(plan: Plan, user: User) -> None:
    """The focal point has finished the unit's draft: the leader is asked to approve and send it. Asking
    again reminds the leader (a new moment, a new notification)."""
    fresh = Plan.objects.select_for_update().get(pk=plan.pk)
    if not fresh.is_unit_plan or fresh.status != PlanStatus.DRAFT:
        raise InvalidTransition(_("Chỉ trình duyệt được kế hoạch của đơn vị đang là dự thảo."))
    if not fresh.tasks.exists():
        raise InvalidTransition(_("Kế hoạch chưa có nhiệm vụ nào."))
    save_transition(plan, fresh, approval_requested_at=timezone.now(), approval_requested_by=user)
    for listener in _listeners:
        listener(plan, user)


def _drafted_by(plan: Plan) -> Any:
    created = plan.history.filter(history_type="+").select_related("history_user").first()
    return created.history_user if created is not None else None


def _last_return(plan: Plan) -> Any:
    """The record of Sở Nội vụ handing the plan back: the first draft record after its last sending."""
    history = plan.history.all()
    last_sent = history.filter(status=PlanStatus.SUBMITTED).order_by("-history_date").values("history_date")[:1]
    return (history.filter(status=PlanStatus.DRAFT, history_date__gt=Subquery(last_sent))
            .select_related("history_user").order_by("history_date").first())


def unit_plan_chain(plan: Plan) -> list[Step]:
    """Focal point drafts → asks the leader → leader approves and sends → Sở Nội vụ receives or returns."""
    sent = plan.status in SENT
    waiting_leader = plan.status == PlanStatus.DRAFT and plan.approval_requested_at is not None
    returned = _last_return(plan) if plan.status == PlanStatus.DRAFT else None
    return [
        Step(_("Cán bộ đầu mối xây dựng dự thảo"), _drafted_by(plan), plan.created_at, True,
             current=plan.status == PlanStatus.DRAFT and not waiting_leader,
             note=_("Sở Nội vụ đã trả lại, đơn vị chỉnh sửa và gửi lại") if returned and not waiting_leader else ""),
        *leader_steps(plan, waiting_leader, sent),
        Step(_("Sở Nội vụ tiếp nhận hoặc trả lại"), returned.history_user if returned else None,
             returned.history_date if returned else None, plan.status == PlanStatus.ISSUED,
             current=plan.status == PlanStatus.SUBMITTED,
             note=(_("Chờ Sở Nội vụ xem xét") if plan.status == PlanStatus.SUBMITTED
                   else _("Đã trả lại để đơn vị chỉnh sửa") if returned else "")),
    ]
