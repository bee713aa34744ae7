"""The chain of steps of a unit's own plan, shown on its page as on a report: the focal point drafts it, the
unit's leader approves and sends it, Sở Nội vụ receives it or hands it back, with who did what and when. Read
from the plan's own fields and its history (django-simple-history): who derived the draft, and who returned it
after its last sending. Two queries whatever the length of the history."""

from __future__ import annotations

from typing import Any

from django.db.models import Subquery
from django.utils.translation import gettext as _

from chiso.core.workflow import Step
from chiso.plans.models import Plan, PlanStatus

SENT = (PlanStatus.SUBMITTED, PlanStatus.ISSUED)


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
    """Focal point drafts → leader approves and sends → Sở Nội vụ receives or returns."""
    sent = plan.status in SENT
    returned = _last_return(plan) if plan.status == PlanStatus.DRAFT else None
    return [
        Step(_("Cán bộ đầu mối xây dựng dự thảo"), _drafted_by(plan), plan.created_at, True,
             current=plan.status == PlanStatus.DRAFT,
             note=_("Sở Nội vụ đã trả lại, đơn vị chỉnh sửa và gửi lại") if returned else ""),
        Step(_("Lãnh đạo đơn vị duyệt và gửi Sở Nội vụ"), plan.submitted_by if sent else None,
             plan.submitted_at if sent else None, sent,
             note="" if sent else _("Lãnh đạo đơn vị duyệt khi dự thảo hoàn thành")),
        Step(_("Sở Nội vụ tiếp nhận hoặc trả lại"), returned.history_user if returned else None,
             returned.history_date if returned else None, plan.status == PlanStatus.ISSUED,
             current=plan.status == PlanStatus.SUBMITTED,
             note=(_("Chờ Sở Nội vụ xem xét") if plan.status == PlanStatus.SUBMITTED
                   else _("Đã trả lại để đơn vị chỉnh sửa") if returned else "")),
    ]
