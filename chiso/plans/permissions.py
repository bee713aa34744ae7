"""Who may do what with a plan. One place, so views, templates and tests agree."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from chiso.accounts.models import Role, User
from chiso.plans.models import Plan, PlanStatus


def get_visible_plan(user: User, pk: int) -> Plan:
    """The plan if the user may see it, else 404 (an outsider learns nothing, not even that it exists)."""
    return get_object_or_404(Plan.objects.visible_to(user).select_related(
        "owner_unit", "province", "parent", "submitted_by", "approval_requested_by", "leader_returned_by"), pk=pk)


def can_edit_plan(user: User, plan: Plan) -> bool:
    """Coordinators edit their province's plans, also issued ones (amendments stay in the history);
    a unit's focal point edits its own unit's plan while it is a draft."""
    if plan.status == PlanStatus.SUPERSEDED:
        return False
    if user.manages_province:
        return user.works_in(plan.province_id)
    return user.role == Role.FOCAL_POINT and plan.owner_unit_id == user.unit_id and plan.is_editable


def can_issue_plan(user: User, plan: Plan) -> bool:
    return user.manages_province and user.works_in(plan.province_id) and plan.status in (
        PlanStatus.DRAFT, PlanStatus.SUBMITTED) and not plan.is_unit_plan


def can_submit_plan(user: User, plan: Plan) -> bool:
    """The unit leader approves and sends the unit's plan to Sở Nội vụ."""
    return (user.role == Role.LEADER and plan.is_unit_plan and plan.owner_unit_id == user.unit_id
            and plan.is_editable)


def can_request_plan_approval(user: User, plan: Plan) -> bool:
    """The unit's focal point asks the leader to approve and send the unit's draft plan."""
    return (user.role == Role.FOCAL_POINT and plan.is_unit_plan and plan.owner_unit_id == user.unit_id
            and plan.status == PlanStatus.DRAFT)


def can_return_plan(user: User, plan: Plan) -> bool:
    """Sở Nội vụ hands a sent unit plan back to the unit, with its reason."""
    return user.manages_province and user.works_in(plan.province_id) and plan.is_unit_plan and (
        plan.status == PlanStatus.SUBMITTED)


def can_derive_plan(user: User, plan: Plan) -> bool:
    return (user.is_unit_staff and user.unit_id is not None and not plan.is_unit_plan
            and plan.status == PlanStatus.ISSUED and plan.province_id == user.province_id
            and plan.tasks.filter(assignments__unit_id=user.unit_id).exists())


def can_accept_plan(user: User, plan: Plan) -> bool:
    """Sở Nội vụ accepts a unit plan the unit's leader sent (it is issued from then on)."""
    return can_return_plan(user, plan)


def can_return_plan_to_focal_point(user: User, plan: Plan) -> bool:
    """The unit's leader hands the draft the focal point asked them to approve back, with a comment."""
    return (user.role == Role.LEADER and plan.is_unit_plan and plan.owner_unit_id == user.unit_id
            and plan.status == PlanStatus.DRAFT and plan.approval_requested_at is not None)
