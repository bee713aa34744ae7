"""Plans (kế hoạch), their targets, reporting regime, tasks of the appendix and per-unit assignments."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chiso.core.bounds import (
    DOCUMENT_TEXT_MAX,
    DOCUMENT_TEXT_VALIDATORS,
    TEXT_MAX,
    TEXT_VALIDATORS,
    YEAR_VALIDATORS,
    at_least,
    at_most,
    plausible_date,
)
from chiso.frameworks.models import IndexKind

if TYPE_CHECKING:
    from chiso.accounts.models import User


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã gửi Sở Nội vụ")
    ISSUED = "issued", _("Đã ban hành")
    SUPERSEDED = "superseded", _("Đã được thay thế")


_DERIVED_TITLE = re.compile(r"^Kế hoạch của .+? thực hiện (?P<rest>.+)$", re.DOTALL)


class PlanQuerySet(models.QuerySet["Plan"]):
    def visible_to(self, user: User) -> PlanQuerySet:
        """Coordinators and viewers see their whole province; unit staff see their own unit's
        plans and the plans their province has sent out (not other units' drafts)."""
        if user.is_instance_admin:
            return self.all()
        in_province = self.filter(province_id=user.province_id)
        if user.sees_whole_province:
            return in_province
        return in_province.filter(
            Q(owner_unit_id=user.unit_id)
            | Q(parent__isnull=True, status__in=[PlanStatus.ISSUED, PlanStatus.SUPERSEDED])
        )

    def for_rows(self) -> PlanQuerySet:
        """What a list of plans shows: issuer, parent plan and the number of tasks, in one query. The count is a
        subquery, worked out for the rows shown: a join grouped by plan counted every task of the province's
        hundreds of plans before keeping the page's few (19 ms of the coordinator's home on a national
        province)."""
        tasks = (Task.objects.filter(plan=models.OuterRef("pk")).order_by().values("plan")
                 .annotate(n=models.Count("pk")).values("n"))
        return self.select_related("owner_unit", "parent").annotate(
            task_count=Coalesce(models.Subquery(tasks), 0))


class Plan(models.Model):
    province = models.ForeignKey("orgs.Province", on_delete=models.CASCADE, related_name="plans")
    owner_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="plans", verbose_name=_("đơn vị ban hành"),
        help_text=_("UBND tỉnh cho kế hoạch của tỉnh; sở hoặc xã cho kế hoạch của đơn vị."),
    )
    issuer = models.CharField(_("cơ quan ban hành (như in trên văn bản)"), max_length=255)
    issuer_parent = models.CharField(_("cơ quan chủ quản"), max_length=255, blank=True)
    number = models.CharField(_("số"), max_length=20, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=60, default="KH-UBND", blank=True)
    place = models.CharField(_("địa danh"), max_length=120, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True, validators=[plausible_date])
    title = models.CharField(_("trích yếu"), max_length=600)
    period_text = models.CharField(_("thời kỳ"), max_length=120, blank=True)
    period_start = models.DateField(_("từ ngày"), null=True, blank=True, validators=[plausible_date])
    period_end = models.DateField(_("đến ngày"), null=True, blank=True, validators=[plausible_date])
    frameworks = models.ManyToManyField(
        "frameworks.Framework", related_name="plans", verbose_name=_("bộ chỉ số áp dụng"), blank=True
    )
    legal_basis = models.TextField(_("căn cứ"), blank=True, max_length=DOCUMENT_TEXT_MAX,
                                           validators=DOCUMENT_TEXT_VALIDATORS)
    preamble = models.TextField(_("mở đầu, đánh giá kết quả"), blank=True, max_length=DOCUMENT_TEXT_MAX,
                                        validators=DOCUMENT_TEXT_VALIDATORS)
    purpose = models.TextField(_("mục đích, yêu cầu"), blank=True, max_length=DOCUMENT_TEXT_MAX,
                                       validators=DOCUMENT_TEXT_VALIDATORS)
    body = models.TextField(_("nội dung, nhiệm vụ, giải pháp"), blank=True, max_length=DOCUMENT_TEXT_MAX,
                                    validators=DOCUMENT_TEXT_VALIDATORS)
    implementation = models.TextField(_("tổ chức thực hiện"), blank=True, max_length=DOCUMENT_TEXT_MAX,
                                              validators=DOCUMENT_TEXT_VALIDATORS)
    funding = models.TextField(_("kinh phí"), blank=True, max_length=DOCUMENT_TEXT_MAX,
                                       validators=DOCUMENT_TEXT_VALIDATORS)
    recipients = models.JSONField(_("nơi nhận"), default=list, blank=True)
    signer_on_behalf = models.CharField(_("quyền hạn ký (TM.)"), max_length=120, blank=True)
    signer_capacity = models.CharField(_("ký thay (KT.)"), max_length=120, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="derived_plans",
        verbose_name=_("thực hiện kế hoạch"),
    )
    replaces = models.ManyToManyField(
        "self", symmetrical=False, related_name="replaced_by", blank=True, verbose_name=_("thay thế kế hoạch")
    )
    status = models.CharField(_("trạng thái"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    unit_plans_due = models.DateField(
        _("hạn đơn vị gửi kế hoạch"), null=True, blank=True, validators=[plausible_date],
        help_text=_("Hạn các đơn vị được giao nhiệm vụ gửi kế hoạch của đơn vị về Sở Nội vụ."),
    )
    # A unit plan: the focal point asked the unit's leader to approve and send it (cleared when returned).
    approval_requested_at = models.DateTimeField(_("trình lãnh đạo duyệt lúc"), null=True, blank=True)
    approval_requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The unit's leader handed the draft back to the focal point with what to correct (kept until it is sent).
    leader_returned_at = models.DateTimeField(_("lãnh đạo đơn vị trả lại lúc"), null=True, blank=True)
    leader_returned_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    leader_comment = models.TextField(_("ý kiến của lãnh đạo đơn vị"), blank=True, max_length=TEXT_MAX,
                                      validators=TEXT_VALIDATORS)
    # Sở Nội vụ's reason for handing a sent unit plan back (who and when are read from the history).
    return_comment = models.TextField(_("lý do Sở Nội vụ trả lại"), blank=True, max_length=TEXT_MAX,
                                      validators=TEXT_VALIDATORS)
    source_note = models.CharField(_("nguồn dữ liệu"), max_length=500, blank=True)
    # Opt-in by the coordinator: the plan's public page (chiso.public) answers 404 until this is set.
    is_public = models.BooleanField(_("công khai tiến độ"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic lock: an edit based on an older version is refused instead of overwriting.
    lock_version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=["frameworks", "replaces"])

    class Meta:
        ordering = [models.F("period_start").desc(nulls_last=True), "-id"]
        constraints = [
            # One own plan per unit for each province plan it implements.
            models.UniqueConstraint(fields=["parent", "owner_unit"], name="one_unit_plan_per_parent"),
        ]
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")

    def __str__(self) -> str:
        return self.reference or self.title

    @property
    def reference(self) -> str:
        """'154/KH-UBND'; empty while the plan has no number yet (a draft, or a sample left blank)."""
        if not self.number:
            return ""
        return f"{self.number}/{self.symbol}" if self.symbol else self.number

    @property
    def is_unit_plan(self) -> bool:
        return self.parent_id is not None

    @property
    def subject(self) -> str:
        """The title as printed under "KẾ HOẠCH": a derived plan's stored title repeats the kind ("Kế hoạch của
        Phường Minh Xuân thực hiện …"), printed as "Thực hiện …" (as documents.exports.headers does)."""
        match = _DERIVED_TITLE.match(self.title)
        return f"Thực hiện {match.group('rest')}" if self.parent_id and match else self.title

    @property
    def implementation_apart(self) -> str:
        """'Tổ chức thực hiện' when the body does not already carry it: an imported or transcribed plan keeps
        the whole text in its body, and the page would show that section (and its reporting regime) twice."""
        text = self.implementation.strip()
        return "" if text and " ".join(text.split()) in " ".join(self.body.split()) else text

    @property
    def is_editable(self) -> bool:
        return self.status == PlanStatus.DRAFT


class TargetKind(models.TextChoices):
    SCORE = "score", _("Điểm")
    PERCENT = "percent", _("Tỷ lệ %")
    RANK = "rank", _("Thứ hạng")
    RANK_CHANGE = "rank_change", _("Tăng bậc")
    GROUP = "group", _("Nhóm")
    FREE = "free", _("Diễn đạt tự do")


class Comparator(models.TextChoices):
    AT_LEAST = ">=", _("trở lên")
    AT_MOST = "<=", _("trở xuống")
    EQUAL = "=", _("bằng")


class PlanTarget(models.Model):
    """A chỉ tiêu: structured where the wording allows, the verbatim text always kept."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    text = models.TextField(_("chỉ tiêu"), max_length=TEXT_MAX, validators=TEXT_VALIDATORS)
    index = models.CharField(_("chỉ số"), max_length=20, choices=IndexKind.choices, blank=True)
    node = models.ForeignKey("frameworks.Node", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(_("loại"), max_length=20, choices=TargetKind.choices, default=TargetKind.FREE)
    comparator = models.CharField(_("so sánh"), max_length=2, choices=Comparator.choices, blank=True)
    value = models.DecimalField(_("giá trị"), max_digits=10, decimal_places=3, null=True, blank=True)
    value_text = models.CharField(_("giá trị (chữ)"), max_length=120, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True, validators=YEAR_VALIDATORS)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan_id", "order", "id"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")

    def __str__(self) -> str:
        return self.text

    @property
    def value_label(self) -> str:
        """A group target's stored code in words ('high_avg' → 'trung bình cao'); other texts as typed."""
        return str(GROUP_WORDS.get(self.value_text, self.value_text))


# The PAPI group codes a target may store (results.targets reads them), as the page says them.
GROUP_WORDS = {"highest": _("cao nhất"), "high_avg": _("trung bình cao"), "low_avg": _("trung bình thấp"),
               "lowest": _("thấp nhất")}


class ReportKind(models.TextChoices):
    QUARTERLY = "quarterly", _("Hằng quý")
    SIX_MONTHLY = "six_monthly", _("6 tháng")
    YEARLY = "yearly", _("Hằng năm")
    AD_HOC = "ad_hoc", _("Đột xuất")


class ReportingRule(models.Model):
    """One line of a plan's reporting regime: which report, and by which day of which month.
    month empty = the last month of the period (quarterly reports 'trước ngày 15 của tháng cuối quý')."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reporting_rules")
    kind = models.CharField(_("loại báo cáo"), max_length=20, choices=ReportKind.choices)
    day = models.PositiveSmallIntegerField(_("ngày"), null=True, blank=True, validators=[at_least(1), at_most(31)])
    month = models.PositiveSmallIntegerField(_("tháng"), null=True, blank=True, validators=[at_least(1), at_most(12)])
    text = models.CharField(_("quy định (nguyên văn)"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan_id", "id"]
        verbose_name = _("chế độ báo cáo")
        verbose_name_plural = _("chế độ báo cáo")

    def __str__(self) -> str:
        return self.text or self.get_kind_display()


class ScheduleKind(models.TextChoices):
    ONGOING = "ongoing", _("Thường xuyên")
    DATE = "date", _("Thời hạn")
    PERIOD = "period", _("Trong khoảng thời gian")
    EVENT = "event", _("Theo sự kiện")
    RECURRING = "recurring", _("Định kỳ")
    UNSPECIFIED = "unspecified", _("Chưa xác định")


# Named so that plans.services.save_task can write one record after all m2m sets of a save.
TASK_HISTORY = HistoricalRecords(
    excluded_fields=["updated_at"],
    m2m_fields=["nodes", "lead_units", "lead_groups", "coordinating_units", "coordinating_groups"],
)


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    nodes = models.ManyToManyField("frameworks.Node", related_name="tasks", verbose_name=_("nội dung chỉ số"))
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    number = models.CharField(_("TT"), max_length=20, blank=True)
    group_heading = models.CharField(_("nhóm trong phụ lục"), max_length=300, blank=True)
    content = models.TextField(_("nhiệm vụ, giải pháp"), max_length=TEXT_MAX, validators=TEXT_VALIDATORS)
    target = models.TextField(_("chỉ tiêu"), blank=True, max_length=TEXT_MAX, validators=TEXT_VALIDATORS)
    lead_text = models.CharField(_("cơ quan chủ trì (nguyên văn)"), max_length=600, blank=True)
    lead_units = models.ManyToManyField(
        "orgs.Unit", related_name="led_tasks", blank=True, verbose_name=_("cơ quan chủ trì")
    )
    lead_groups = models.ManyToManyField(
        "orgs.UnitGroup", related_name="led_tasks", blank=True, verbose_name=_("nhóm chủ trì")
    )
    coordinating_text = models.CharField(_("cơ quan phối hợp (nguyên văn)"), max_length=1000, blank=True)
    coordinating_units = models.ManyToManyField(
        "orgs.Unit", related_name="coordinated_tasks", blank=True, verbose_name=_("cơ quan phối hợp")
    )
    coordinating_groups = models.ManyToManyField(
        "orgs.UnitGroup", related_name="coordinated_tasks", blank=True, verbose_name=_("nhóm phối hợp")
    )
    monitoring_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="monitored_tasks",
        verbose_name=_("đơn vị theo dõi"),
    )
    schedule_text = models.CharField(_("thời gian thực hiện"), max_length=300, blank=True)
    schedule_kind = models.CharField(
        _("loại thời hạn"), max_length=20, choices=ScheduleKind.choices, default=ScheduleKind.UNSPECIFIED
    )
    start_date = models.DateField(_("bắt đầu"), null=True, blank=True, validators=[plausible_date])
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True, validators=[plausible_date])
    # A due date the user typed; when empty, due_date is read from schedule_text on every save.
    fixed_due_date = models.DateField(_("hạn do người dùng đặt"), null=True, blank=True,
                                      validators=[plausible_date])
    outputs = models.TextField(_("sản phẩm, kết quả"), blank=True, max_length=TEXT_MAX, validators=TEXT_VALIDATORS)
    notes = models.TextField(_("ghi chú"), blank=True, max_length=TEXT_MAX, validators=TEXT_VALIDATORS)
    source_task = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="derived_tasks",
        verbose_name=_("nhiệm vụ tỉnh giao"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)

    history = TASK_HISTORY

    class Meta:
        ordering = ["plan_id", "order", "id"]
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")

    def __str__(self) -> str:
        return self.content[:80]

    # What makes a task actionable, one definition for the coverage check and the warning before a unit plan
    # is sent. Read through .all() so that a prefetch of lead_units and lead_groups answers without a query.
    @property
    def has_lead(self) -> bool:
        """A unit or a group of units leads it (the printed wording alone names nobody who reports)."""
        return bool(self.lead_units.all()) or bool(self.lead_groups.all())

    @property
    def has_time_frame(self) -> bool:
        """A due date, or a schedule the text was read as (regular, periodic, on an event)."""
        return self.due_date is not None or self.schedule_kind not in ("", ScheduleKind.UNSPECIFIED)

    @property
    def is_actionable(self) -> bool:
        return self.has_lead and self.has_time_frame


class Assignment(models.Model):
    """One lead unit's share of a task: each lead unit reports on its own share."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="assignments")
    via_group = models.ForeignKey(
        "orgs.UnitGroup", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("giao qua nhóm"),
    )
    due_date = models.DateField(_("hạn"), null=True, blank=True, validators=[plausible_date])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["task_id", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="assignment_unique_unit")]
        indexes = [models.Index(fields=["unit", "due_date"])]
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")

    def __str__(self) -> str:
        return f"{self.unit} — {self.task}"
