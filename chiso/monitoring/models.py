"""Implementation monitoring: reporting periods of a plan, each unit's periodic report with one line per
assignment and its evidence files, the immutable versions a unit submits, and the notifications
(reminders) sent about deadlines."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chiso.core.bounds import TEXT_MAX, TEXT_VALIDATORS, at_most, plausible_date
from chiso.plans.models import Plan, ReportKind, Task

if TYPE_CHECKING:
    from chiso.accounts.models import User


class PeriodQuerySet(models.QuerySet["ReportingPeriod"]):
    def visible_to(self, user: User) -> PeriodQuerySet:
        """The periods of the plans the user sees."""
        return self.filter(plan__in=Plan.objects.visible_to(user).values("pk"))


class UnitReportQuerySet(models.QuerySet["UnitReport"]):
    def visible_to(self, user: User) -> UnitReportQuerySet:
        """Coordinators and viewers see their province's reports; unit staff their own unit's, of the
        periods they see; anyone else none."""
        if user.is_instance_admin:
            return self.all()
        if user.sees_whole_province:
            return self.filter(period__plan__province_id=user.province_id)
        if user.is_unit_staff and user.unit_id:
            return self.filter(unit_id=user.unit_id, period__in=ReportingPeriod.objects.visible_to(user))
        return self.none()


class EvidenceQuerySet(models.QuerySet["Evidence"]):
    def visible_to(self, user: User) -> EvidenceQuerySet:
        """Evidence of the reports the user sees."""
        return self.filter(line__report__in=UnitReport.objects.visible_to(user))


class ReportingPeriod(models.Model):
    """One report the units owe for a plan: 'Quý III/2025', due 15/9/2025. Generated from the plan's
    reporting rules (chiso.monitoring.periods); the coordinator edits deadlines and adds ad-hoc ones."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="reporting_periods")
    kind = models.CharField(_("loại báo cáo"), max_length=20, choices=ReportKind.choices)
    label = models.CharField(_("kỳ báo cáo"), max_length=120)
    start = models.DateField(_("từ ngày"), validators=[plausible_date])
    end = models.DateField(_("đến ngày"), validators=[plausible_date])
    due_date = models.DateField(_("hạn gửi báo cáo"), validators=[plausible_date])
    rule = models.ForeignKey(
        "plans.ReportingRule", on_delete=models.SET_NULL, null=True, blank=True, related_name="periods",
        verbose_name=_("theo chế độ báo cáo"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()
    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["plan_id", "due_date", "id"]
        constraints = [
            # Generating twice adds nothing: a period is known by its plan, kind and first day.
            models.UniqueConstraint(fields=["plan", "kind", "start"], name="period_unique_in_plan"),
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="period_end_after_start"),
        ]
        indexes = [models.Index(fields=["due_date"])]
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")

    def __str__(self) -> str:
        return self.label


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã gửi, chờ thẩm định")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã chấp nhận")


# A report whose unit may still change it.
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class UnitReport(models.Model):
    """A unit's report for one period. Lines are edited while it is a draft (or returned); each submission
    freezes a ReportVersion, so what the coordinator reviewed stays readable after later corrections."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="reports")
    status = models.CharField(_("trạng thái"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    summary = models.TextField(_("đánh giá chung"), blank=True, max_length=TEXT_MAX, validators=TEXT_VALIDATORS)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("kế thừa từ báo cáo"),
    )
    version_count = models.PositiveIntegerField(_("số lần gửi"), default=0)
    first_submitted_at = models.DateTimeField(_("gửi lần đầu"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lần gần nhất"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("thẩm định lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    review_comment = models.TextField(_("ý kiến thẩm định"), blank=True, max_length=TEXT_MAX,
                                      validators=TEXT_VALIDATORS)
    # The hand-off inside the unit: the focal point asks the leader to approve; the leader may hand the draft
    # back with a comment. Both stay on the draft (no new status), so every rule about editable reports holds.
    approval_requested_at = models.DateTimeField(_("trình lãnh đạo duyệt lúc"), null=True, blank=True)
    approval_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    leader_returned_at = models.DateTimeField(_("lãnh đạo trả lại lúc"), null=True, blank=True)
    leader_returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    leader_comment = models.TextField(_("ý kiến của lãnh đạo đơn vị"), blank=True, max_length=TEXT_MAX,
                                      validators=TEXT_VALIDATORS)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = UnitReportQuerySet.as_manager()

    class Meta:
        ordering = ["period_id", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="one_report_per_unit_and_period")]
        indexes = [models.Index(fields=["unit", "status"])]
        verbose_name = _("báo cáo của đơn vị")
        verbose_name_plural = _("báo cáo của đơn vị")

    def __str__(self) -> str:
        return f"{self.unit} — {self.period}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class LineStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    DONE_LATE = "done_late", _("Hoàn thành chậm")
    CANNOT_DO = "cannot_do", _("Không thực hiện được")


# A task reported in one of these states is no longer waiting for its unit: it is not overdue.
CLOSED_LINE_STATUSES = (LineStatus.DONE, LineStatus.DONE_LATE, LineStatus.CANNOT_DO)


class CurrentLines(models.Manager["ReportLine"]):
    """Lines of assignments the unit still holds. A line whose assignment was withdrawn (the task edited
    in the issued plan, the unit no longer leads it) is kept with its evidence, so that versions already
    sent stay whole and their files downloadable, but it no longer belongs to the live report."""

    def get_queryset(self) -> models.QuerySet[ReportLine]:
        return super().get_queryset().filter(assignment__isnull=False)


class ReportLine(models.Model):
    """What the unit reports about one of its assignments in one period."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="lines")
    # SET_NULL, not CASCADE: withdrawing an assignment must not delete what the unit has already reported.
    assignment = models.ForeignKey("plans.Assignment", on_delete=models.SET_NULL, null=True,
                                   related_name="report_lines")
    status = models.CharField(_("tình trạng"), max_length=20, choices=LineStatus.choices,
                              default=LineStatus.NOT_STARTED)
    reason = models.TextField(_("lý do"), blank=True, max_length=TEXT_MAX, validators=TEXT_VALIDATORS)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0, validators=[at_most(100)])
    work_done = models.TextField(_("kết quả thực hiện"), blank=True, max_length=TEXT_MAX,
                                 validators=TEXT_VALIDATORS)
    indicator_value = models.DecimalField(_("giá trị chỉ tiêu đạt được"), max_digits=12, decimal_places=3,
                                          null=True, blank=True)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True, validators=[plausible_date])
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    # The default manager is the one `report.lines` uses; deletion goes through the unfiltered base
    # manager, so a withdrawn line still leaves with its report.
    with_withdrawn = models.Manager()
    objects = CurrentLines()

    class Meta:
        default_manager_name = "objects"
        base_manager_name = "with_withdrawn"
        ordering = ["report_id", "assignment__task__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "assignment"], name="one_line_per_assignment"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="progress_at_most_100"),
        ]
        verbose_name = _("dòng báo cáo")
        verbose_name_plural = _("dòng báo cáo")

    def __str__(self) -> str:
        return f"{self.report} — {self.assignment.task if self.assignment else '—'}"

    @property
    def current_task(self) -> Task:
        """The task of a current line (read through `objects`, which leaves withdrawn lines out)."""
        if self.assignment is None:
            raise ValueError("a withdrawn line has no current task")
        return self.assignment.task


def evidence_path(instance: Evidence, filename: str) -> str:
    """A random name under the unit's folder: the original name is kept in the row, never trusted on disk."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"evidence/{instance.unit_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """An evidence document (văn bản minh chứng). Files are stored under MEDIA_ROOT, outside the web root,
    and only served by a permission-checked view. Removing one from a draft only hides it: a submitted
    version may still point to it."""

    line = models.ForeignKey(ReportLine, on_delete=models.CASCADE, related_name="evidence")
    # The unit is repeated so that a file's owner is known without joining through the report.
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    file = models.FileField(_("tệp"), upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    # Shown on the plan's public page (once its report is accepted) only when the province marks it so.
    is_public = models.BooleanField(_("công khai"), default=False)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["line_id", "uploaded_at", "id"]
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")

    def __str__(self) -> str:
        return self.original_name


class ReportVersion(models.Model):
    """A frozen copy of a report as it was submitted, with the outcome of its review. Never edited after
    the review: corrections make a new version."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("lần gửi"))
    content: models.JSONField[Any, Any] = models.JSONField(_("nội dung"))
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    outcome = models.CharField(_("kết quả thẩm định"), max_length=20, choices=ReportStatus.choices,
                               default=ReportStatus.SUBMITTED)
    review_comment = models.TextField(_("ý kiến thẩm định"), blank=True, max_length=TEXT_MAX,
                                      validators=TEXT_VALIDATORS)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["report_id", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")]
        verbose_name = _("phiên bản báo cáo")
        verbose_name_plural = _("phiên bản báo cáo")

    def __str__(self) -> str:
        return f"{self.report} — {self.number}"


class NotificationKind(models.TextChoices):
    REPORT_DUE = "report_due", _("Sắp đến hạn báo cáo")
    REPORT_LATE = "report_late", _("Báo cáo quá hạn")
    TASK_DUE = "task_due", _("Nhiệm vụ sắp đến hạn")
    TASK_LATE = "task_late", _("Nhiệm vụ quá hạn")
    DIGEST = "digest", _("Tổng hợp cho Sở Nội vụ")
    REPORT_RETURNED = "report_returned", _("Báo cáo bị trả lại")
    REPORT_ACCEPTED = "report_accepted", _("Báo cáo được chấp nhận")
    APPROVAL_REQUESTED = "approval_requested", _("Đề nghị lãnh đạo duyệt báo cáo")
    LEADER_RETURNED = "leader_returned", _("Lãnh đạo đơn vị trả lại báo cáo")
    CHASE = "chase", _("Đôn đốc gửi báo cáo")
    PLAN_APPROVAL_REQUESTED = "plan_approval_requested", _("Đề nghị lãnh đạo duyệt kế hoạch của đơn vị")
    PLAN_LEADER_RETURNED = "plan_leader_returned", _("Lãnh đạo đơn vị trả lại kế hoạch")
    PLAN_RETURNED = "plan_returned", _("Kế hoạch của đơn vị bị Sở Nội vụ trả lại")


class EmailState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")
    NONE = "none", _("Không có địa chỉ")


class Notification(models.Model):
    """One message to one person about one event, shown in the app and mailed. The unique (recipient,
    event_key) is what makes reminders idempotent: a rerun, a second worker or a restart finds the row
    and sends nothing again."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event_key = models.CharField(max_length=200)
    kind = models.CharField(_("loại"), max_length=30, choices=NotificationKind.choices)
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(max_length=10, choices=EmailState.choices, default=EmailState.PENDING)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=500, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_key"], name="one_notification_per_event"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"]), models.Index(fields=["email_state"])]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")

    def __str__(self) -> str:
        return self.title


class EmulationWeights(models.Model):
    """How a province turns monitoring into the yearly emulation score (thi đua) of its units: the weight of
    on-time task completion against report timeliness, and how much a late completion or a late report still
    earns. One row per province, edited by its coordinators with history; the formula is in
    chiso.monitoring.dashboards.emulation and on the ranking page."""

    province = models.OneToOneField("orgs.Province", on_delete=models.CASCADE, related_name="emulation_weights")
    task_weight = models.PositiveSmallIntegerField(
        _("trọng số hoàn thành nhiệm vụ đúng hạn"), default=70, validators=[at_most(100)],
        help_text=_("Phần điểm dành cho việc hoàn thành nhiệm vụ được giao đúng hạn."))
    report_weight = models.PositiveSmallIntegerField(
        _("trọng số báo cáo đúng hạn"), default=30, validators=[at_most(100)], help_text=_("Phần điểm dành cho việc gửi báo cáo định kỳ đúng hạn."))
    late_task_credit = models.DecimalField(
        _("hoàn thành chậm được tính"), max_digits=3, decimal_places=2, default=Decimal("0.50"),
        help_text=_("Từ 0 đến 1: một nhiệm vụ hoàn thành chậm được tính bằng bao nhiêu nhiệm vụ đúng hạn."))
    late_report_credit = models.DecimalField(
        _("báo cáo chậm được tính"), max_digits=3, decimal_places=2, default=Decimal("0.50"),
        help_text=_("Từ 0 đến 1: một báo cáo gửi sau hạn được tính bằng bao nhiêu báo cáo đúng hạn."))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    lock_version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(task_weight__gt=0) | models.Q(report_weight__gt=0),
                                   name="emulation_some_weight",
                                   violation_error_message=_("Ít nhất một trọng số phải lớn hơn 0.")),
            models.CheckConstraint(condition=models.Q(late_task_credit__gte=0, late_task_credit__lte=1,
                                                      late_report_credit__gte=0, late_report_credit__lte=1),
                                   name="emulation_credits_between_0_and_1",
                                   violation_error_message=_("Mức tính cho việc chậm phải từ 0 đến 1.")),
        ]
        verbose_name = _("cách tính điểm thi đua")
        verbose_name_plural = _("cách tính điểm thi đua")

    def __str__(self) -> str:
        return f"{self.province} — {self.task_weight}/{self.report_weight}"
