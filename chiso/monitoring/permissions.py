"""Who may see and do what in monitoring. Unit staff see their own unit's reports; coordinators and
viewers their province's; an outsider gets 404, someone who sees but may not act 403."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from chiso.accounts.models import Role, User
from chiso.monitoring.models import EDITABLE_STATUSES, Evidence, ReportingPeriod, ReportStatus, UnitReport
from chiso.plans.models import Assignment, Plan


def get_visible_period(user: User, pk: int) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod.objects.visible_to(user).select_related("plan", "plan__province"), pk=pk)


def get_visible_report(user: User, pk: int) -> UnitReport:
    return get_object_or_404(UnitReport.objects.visible_to(user).select_related(
        "period__plan", "unit", "submitted_by", "reviewed_by", "created_by", "approval_requested_by",
        "leader_returned_by"), pk=pk)


def get_visible_evidence(user: User, pk: int) -> Evidence:
    """Evidence of a report the user may see; anyone else, another unit included, gets 404."""
    return get_object_or_404(Evidence.objects.visible_to(user).select_related("line__report__period__plan"), pk=pk)


def can_manage_periods(user: User, plan: Plan) -> bool:
    return user.manages_province and user.works_in(plan.province_id) and not plan.is_unit_plan


def can_review_period(user: User, period: ReportingPeriod) -> bool:
    """The province-wide view of who has reported: coordinators and provincial leadership."""
    return user.sees_whole_province and user.works_in(period.plan.province_id)


def reports_for_unit(user: User, period: ReportingPeriod) -> bool:
    """The user's unit owes a report for the period."""
    return bool(user.is_unit_staff and user.unit_id and Assignment.objects.filter(
        task__plan_id=period.plan_id, unit_id=user.unit_id).exists())


def can_open_report(user: User, period: ReportingPeriod) -> bool:
    return user.role == Role.FOCAL_POINT and reports_for_unit(user, period)


def can_edit_report(user: User, report: UnitReport) -> bool:
    """The unit's focal point drafts and corrects; nobody changes a report under review or accepted."""
    return user.role == Role.FOCAL_POINT and report.unit_id == user.unit_id and report.status in EDITABLE_STATUSES


def can_submit_report(user: User, report: UnitReport) -> bool:
    """The unit leader approves and sends the report to Sở Nội vụ."""
    return user.role == Role.LEADER and report.unit_id == user.unit_id and report.status in EDITABLE_STATUSES


def can_review_report(user: User, report: UnitReport) -> bool:
    return (user.manages_province and user.works_in(report.period.plan.province_id)
            and report.status == ReportStatus.SUBMITTED)


def can_request_approval(user: User, report: UnitReport) -> bool:
    """The focal point who drafts the report asks the unit's leader to approve it."""
    return can_edit_report(user, report)


def can_return_to_focal_point(user: User, report: UnitReport) -> bool:
    """The leader who would send the report may hand it back to the focal point instead."""
    return can_submit_report(user, report)


def can_publish_evidence(user: User, evidence: Evidence) -> bool:
    """The province decides what it publishes: its coordinator (or the admin) marks a file of one of its
    reports public, or takes the mark off. A file removed from the report is never published."""
    return (evidence.removed_at is None and user.manages_province
            and user.works_in(evidence.line.report.period.plan.province_id))
