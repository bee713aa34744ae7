"""The hand-off inside a unit before its report leaves for Sở Nội vụ: the focal point asks the leader to
approve, the leader hands the draft back with a comment or approves and sends it; what is still incomplete
is shown before sending; and the chain of steps (who did what, when) shown on the report."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chiso.accounts.models import Role, User
from chiso.core.workflow import InvalidTransition, Step, clean_comment, leader_steps, save_transition
from chiso.monitoring.models import (
    EDITABLE_STATUSES,
    Evidence,
    LineStatus,
    NotificationKind,
    ReportStatus,
    UnitReport,
)
from chiso.monitoring.reminders.notifications import Message, deliver_after_commit, record, unit_staff
from chiso.monitoring.reports.services import _locked
from chiso.monitoring.state import DONE


def _tell(report: UnitReport, role: str, kind: str, title: str, body: str, stamp: dt.datetime) -> None:
    """In-app and e-mail to the unit's people of one role; the event key carries the moment, so asking twice
    in a day tells twice but a double click does not."""
    link = reverse("monitoring:report_detail", args=[report.pk])
    key = f"{kind}:{report.pk}:{stamp.isoformat(timespec='seconds')}"
    people = [u for u in unit_staff([report.unit_id]).get(report.unit_id, []) if u.role == role]
    if record([Message(u.pk, key, kind, title, body, link) for u in people]):
        deliver_after_commit()


@transaction.atomic
def request_approval(report: UnitReport, user: User, *, expected_version: int | None = None) -> None:
    """The focal point has finished the draft: the leader is asked to approve and send it."""
    fresh = _locked(report, expected_version)
    if fresh.status not in EDITABLE_STATUSES:
        raise InvalidTransition(_("Chỉ trình duyệt được báo cáo đang là dự thảo hoặc bị trả lại."))
    now = timezone.now()
    save_transition(report, fresh, approval_requested_at=now, approval_requested_by=user)
    title = _("Đề nghị duyệt báo cáo %(period)s") % {"period": report.period.label}
    body = _("%(name)s đã hoàn thành dự thảo và đề nghị lãnh đạo đơn vị duyệt, gửi Sở Nội vụ.") % {"name": user}
    _tell(report, Role.LEADER, NotificationKind.APPROVAL_REQUESTED, title, body, now)


@transaction.atomic
def return_to_focal_point(report: UnitReport, user: User, comment: str, *,
                          expected_version: int | None = None) -> None:
    """The leader hands the draft back with what to correct; it stays a draft the focal point edits."""
    comment = clean_comment(comment, _("Ghi rõ ý kiến để cán bộ đầu mối biết cần sửa gì."))
    fresh = _locked(report, expected_version)
    if fresh.status not in EDITABLE_STATUSES:
        raise InvalidTransition(_("Báo cáo đã gửi Sở Nội vụ, không trả lại được nữa."))
    now = timezone.now()
    save_transition(report, fresh, leader_returned_at=now, leader_returned_by=user, leader_comment=comment,
          approval_requested_at=None, approval_requested_by=None)
    title = _("Lãnh đạo đơn vị trả lại báo cáo %(period)s") % {"period": report.period.label}
    _tell(report, Role.FOCAL_POINT, NotificationKind.LEADER_RETURNED, title, comment, now)


def needs_evidence(outputs: str) -> bool:
    """A task whose plan names a product (Sản phẩm/kết quả: "Văn bản triển khai; Báo cáo") is proven by it:
    once done, its line needs an evidence file."""
    return bool(outputs.strip())


def incomplete_lines(report: UnitReport) -> list[str]:
    """What the leader should know before sending: lines nobody has updated (no status, no progress) and
    done lines without the evidence their task's product calls for. One query."""
    live = Evidence.objects.filter(line=OuterRef("pk"), removed_at__isnull=True)
    lines = (report.lines.select_related("assignment__task").annotate(has_evidence=Exists(live))
             .order_by("assignment__task__order", "id"))
    problems = []
    for line in lines:
        task = line.current_task
        name = task.number or task.content[:60]
        if line.status == LineStatus.NOT_STARTED and not line.progress and not line.work_done.strip():
            problems.append(_("Nhiệm vụ %(n)s: chưa cập nhật tình trạng, tiến độ.") % {"n": name})
        elif line.status in DONE and needs_evidence(task.outputs) and not line.has_evidence:
            problems.append(_("Nhiệm vụ %(n)s: đã hoàn thành nhưng chưa có minh chứng (%(product)s).")
                            % {"n": name, "product": task.outputs[:80]})
    return problems


def filled_share(reports: list[UnitReport]) -> dict[int, tuple[int, int]]:
    """Report id → (lines updated, lines), one query for all the reports."""
    rows = (UnitReport.objects.filter(pk__in=[r.pk for r in reports])
            .annotate(total=Count("lines", filter=Q(lines__assignment__isnull=False)),
                      filled=Count("lines", filter=Q(lines__assignment__isnull=False)
                                   & (~Q(lines__status=LineStatus.NOT_STARTED) | Q(lines__progress__gt=0))))
            .values_list("pk", "filled", "total"))
    return {pk: (filled, total) for pk, filled, total in rows}


def approval_chain(report: UnitReport) -> list[Step]:
    """Focal point drafts → leader approves and sends → Sở Nội vụ accepts or returns, with who and when.
    Read from the report's own fields (select_related on the page), no query of its own."""
    sent = report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED) or (
        report.status == ReportStatus.RETURNED and report.submitted_at is not None)
    waiting_leader = report.status in EDITABLE_STATUSES and report.approval_requested_at is not None
    reviewed = report.status in (ReportStatus.ACCEPTED, ReportStatus.RETURNED)
    steps = [
        Step(_("Cán bộ đầu mối lập dự thảo"), report.created_by, report.created_at, True,
             current=report.status in EDITABLE_STATUSES and not waiting_leader,
             note=(_("Lãnh đạo đơn vị trả lại: %(c)s") % {"c": report.leader_comment}
                   if report.leader_returned_at and not waiting_leader and report.status in EDITABLE_STATUSES
                   else "")),
        *leader_steps(report, waiting_leader, sent),
        Step(_("Sở Nội vụ thẩm định"), report.reviewed_by if reviewed else None,
             report.reviewed_at if reviewed else None, report.status == ReportStatus.ACCEPTED,
             current=report.status == ReportStatus.SUBMITTED,
             note=(report.get_status_display() if reviewed else
                   _("Chờ Sở Nội vụ thẩm định") if report.status == ReportStatus.SUBMITTED else "")),
    ]
    return steps
