"""The province's own administrative-reform index of its departments and communes (Chỉ số CCHC cấp sở, cấp xã).

A criteria tree is a `frameworks.Framework` owned by the province; what the unit-level index adds to each node
(the scoring rule as written, evidence asked for, method, allowed values) lives here in a one-to-one row, so
frameworks stays unchanged. A yearly `Round` says which tree applies to which unit type, which units take
part and the deadline of each stage; each participant has a score sheet (`Participant` + one `Entry` per
criterion) that goes from self-assessment through two appraisals to the published result."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chiso.core.bounds import TEXT_MAX, TEXT_VALIDATORS, YEAR_VALIDATORS, plausible_date


class Method(models.TextChoices):
    SELF = "self", _("Tự đánh giá, thẩm định")
    SURVEY = "survey", _("Điều tra xã hội học")
    PROVINCE = "province", _("Tỉnh chấm")


class CriterionDetail(models.Model):
    """What a unit-level tree says about one node beyond its code, name and maximum."""

    node = models.OneToOneField("frameworks.Node", on_delete=models.CASCADE, related_name="criterion")
    rule_text = models.TextField(_("cách chấm điểm"), blank=True, max_length=TEXT_MAX, validators=TEXT_VALIDATORS)
    evidence_required = models.TextField(_("tài liệu kiểm chứng"), blank=True, max_length=TEXT_MAX, validators=TEXT_VALIDATORS)
    explanation_required = models.BooleanField(_("bắt buộc giải trình"), default=False)
    method = models.CharField(_("phương pháp"), max_length=10, choices=Method.choices, default=Method.SELF)
    # The values a unit may pick ("0; 0,5; 1"), as decimal strings; empty = any value from 0 to the maximum.
    choices = models.JSONField(_("các mức điểm"), default=list, blank=True)
    allows_not_applicable = models.BooleanField(_("được chọn “không áp dụng”"), default=False)
    lock_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("tiêu chí chấm điểm")
        verbose_name_plural = _("tiêu chí chấm điểm")

    def __str__(self) -> str:
        return str(self.node)

    def choice_values(self) -> list[Decimal]:
        return [Decimal(str(value)) for value in self.choices]


class TreeSettings(models.Model):
    """A unit-level tree's bonus and penalty maxima and whether it is a demonstration tree."""

    framework = models.OneToOneField("frameworks.Framework", on_delete=models.CASCADE, related_name="unit_index")
    bonus_max = models.DecimalField(_("điểm thưởng tối đa"), max_digits=6, decimal_places=2, default=Decimal(0))
    penalty_max = models.DecimalField(_("điểm trừ tối đa"), max_digits=6, decimal_places=2, default=Decimal(0))
    demonstration = models.BooleanField(_("bộ tiêu chí minh hoạ"), default=False)

    class Meta:
        verbose_name = _("thiết lập bộ tiêu chí đơn vị")
        verbose_name_plural = _("thiết lập bộ tiêu chí đơn vị")

    def __str__(self) -> str:
        return str(self.framework)


class UnitType(models.TextChoices):
    DEPARTMENTS = "departments", _("Sở, ban, ngành")
    COMMUNES = "communes", _("UBND xã, phường")
    PROVINCE = "province", _("Tỉnh (tự đánh giá Chỉ số CCHC cấp tỉnh)")


class Stage(models.TextChoices):
    SELF = "self", _("Tự đánh giá")
    APPRAISAL1 = "appraisal1", _("Thẩm định lần 1")
    EXPLANATION = "explanation", _("Giải trình")
    APPRAISAL2 = "appraisal2", _("Thẩm định lần 2")
    PUBLICATION = "publication", _("Công bố")


STAGE_ORDER = [Stage.SELF, Stage.APPRAISAL1, Stage.EXPLANATION, Stage.APPRAISAL2, Stage.PUBLICATION]


def default_thresholds() -> list[dict[str, str]]:
    return [{"name": "Tốt", "min": "90"}, {"name": "Khá", "min": "80"},
            {"name": "Trung bình", "min": "65"}, {"name": "Yếu", "min": "0"}]


class Round(models.Model):
    """One year's assessment in a province."""

    province = models.ForeignKey("orgs.Province", on_delete=models.CASCADE, related_name="index_rounds")
    year = models.PositiveSmallIntegerField(_("năm đánh giá"), validators=YEAR_VALIDATORS)
    name = models.CharField(_("tên đợt đánh giá"), max_length=200)
    # [{"name": "Tốt", "min": "90"}, …], highest first: a unit gets the first class whose minimum % it reaches.
    thresholds = models.JSONField(_("ngưỡng xếp loại"), default=default_thresholds)
    decision_text = models.CharField(_("quyết định công bố"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("đợt đánh giá Chỉ số CCHC")
        verbose_name_plural = _("đợt đánh giá Chỉ số CCHC")

    def __str__(self) -> str:
        return self.name


class RoundTree(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="trees")
    unit_type = models.CharField(_("loại đơn vị"), max_length=20, choices=UnitType.choices)
    framework = models.ForeignKey("frameworks.Framework", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("bộ tiêu chí"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "unit_type"], name="one_tree_per_unit_type")]

    def __str__(self) -> str:
        return f"{self.round} — {self.get_unit_type_display()}"


class RoundStage(models.Model):
    """A stage's deadline for everyone; `closed_at` is set once, by the closing job, after the deadline."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("giai đoạn"), max_length=20, choices=Stage.choices)
    deadline = models.DateTimeField(_("hạn"), validators=[plausible_date])
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)

    class Meta:
        ordering = ["deadline"]
        constraints = [models.UniqueConstraint(fields=["round", "stage"], name="one_deadline_per_stage")]

    def __str__(self) -> str:
        return f"{self.round} — {self.get_stage_display()}"


class SheetStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa bắt đầu")
    IN_PROGRESS = "in_progress", _("Đang tự chấm")
    SENT = "sent", _("Đã gửi")
    APPRAISED = "appraised", _("Đã thẩm định lần 1")
    EXPLAINED = "explained", _("Đã giải trình")
    FINAL = "final", _("Đã có điểm cuối cùng")


class Participant(models.Model):
    """A unit taking part in a round, with its score sheet's state and its totals once computed."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participants")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="index_sheets")
    unit_type = models.CharField(_("loại đơn vị"), max_length=20, choices=UnitType.choices)
    framework = models.ForeignKey("frameworks.Framework", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("tình trạng"), max_length=20, choices=SheetStatus.choices,
                              default=SheetStatus.NOT_STARTED)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("lãnh đạo ký gửi"))
    explained_at = models.DateTimeField(_("giải trình lúc"), null=True, blank=True)
    bonus = models.DecimalField(_("điểm thưởng"), max_digits=6, decimal_places=2, default=Decimal(0))
    bonus_reason = models.CharField(_("lý do điểm thưởng"), max_length=500, blank=True)
    penalty = models.DecimalField(_("điểm trừ"), max_digits=6, decimal_places=2, default=Decimal(0))
    penalty_reason = models.CharField(_("lý do điểm trừ"), max_length=500, blank=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["round_id", "unit_type", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="one_sheet_per_unit_and_round")]
        verbose_name = _("phiếu chấm điểm")
        verbose_name_plural = _("phiếu chấm điểm")

    def __str__(self) -> str:
        return f"{self.unit} — {self.round}"


class Reopening(models.Model):
    """The coordinator reopened a closed stage for one unit, until a new deadline, with a reason."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="reopenings")
    stage = models.CharField(_("giai đoạn"), max_length=20, choices=Stage.choices)
    until = models.DateTimeField(_("mở đến"), validators=[plausible_date])
    reason = models.TextField(_("lý do"), max_length=TEXT_MAX, validators=TEXT_VALIDATORS)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.participant} — {self.get_stage_display()}"


class Entry(models.Model):
    """One criterion (a leaf of the tree) on one unit's sheet, through every stage."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="entries")
    node = models.ForeignKey("frameworks.Node", on_delete=models.PROTECT, related_name="+")
    self_score = models.DecimalField(_("điểm tự chấm"), max_digits=7, decimal_places=2, null=True, blank=True)
    not_applicable = models.BooleanField(_("không áp dụng"), default=False)
    figures = models.TextField(_("số liệu"), blank=True, max_length=TEXT_MAX, validators=TEXT_VALIDATORS)
    explanation = models.TextField(_("thuyết minh"), blank=True, max_length=TEXT_MAX, validators=TEXT_VALIDATORS)
    # [{"number": "12/KH-SCT", "date": "2025-01-15", "section": "mục II, trang 3"}, …]
    documents = models.JSONField(_("văn bản tham chiếu"), default=list, blank=True)
    appraisal1_score = models.DecimalField(_("điểm thẩm định lần 1"), max_digits=7, decimal_places=2,
                                           null=True, blank=True)
    appraisal1_comment = models.TextField(_("ý kiến thẩm định lần 1"), blank=True, max_length=TEXT_MAX, validators=TEXT_VALIDATORS)
    explanation_requested = models.BooleanField(_("đề nghị giải trình"), default=False)
    answer = models.TextField(_("nội dung giải trình"), blank=True, max_length=TEXT_MAX, validators=TEXT_VALIDATORS)
    final_score = models.DecimalField(_("điểm cuối cùng"), max_digits=7, decimal_places=2, null=True, blank=True)
    final_comment = models.TextField(_("ý kiến thẩm định lần 2"), blank=True, max_length=TEXT_MAX, validators=TEXT_VALIDATORS)
    lock_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["participant_id", "node__position"]
        constraints = [models.UniqueConstraint(fields=["participant", "node"], name="one_entry_per_criterion")]

    def __str__(self) -> str:
        return f"{self.participant} — {self.node.code}"

    @property
    def standing_score(self) -> Decimal | None:
        """The score that counts now: the final score, else the first appraisal, else the unit's own."""
        for value in (self.final_score, self.appraisal1_score, self.self_score):
            if value is not None:
                return value
        return None

    @property
    def appraised_score(self) -> Decimal | None:
        return self.final_score if self.final_score is not None else self.appraisal1_score


class ScoreChange(models.Model):
    """Every change of a score: which score, from what to what, by whom, why."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=30)
    old = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    new = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    reason = models.TextField(blank=True, max_length=TEXT_MAX, validators=TEXT_VALIDATORS)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.entry} — {self.field}"


def entry_file_path(instance: EntryEvidence, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()
    return f"unitindex/{instance.entry.participant.unit_id}/{uuid.uuid4().hex}{suffix}"


class EntryEvidence(models.Model):
    """Evidence on a criterion: a file uploaded here, or a file the unit already attached to a report line
    (picked, not copied: the dossier reads the report's file)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=entry_file_path, max_length=255, blank=True)
    report_evidence = models.ForeignKey("monitoring.Evidence", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.SELF)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry_id", "added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["entry", "report_evidence"],
                                               condition=models.Q(report_evidence__isnull=False),
                                               name="report_evidence_picked_once")]

    def __str__(self) -> str:
        return self.original_name

    def stored_file(self) -> models.fields.files.FieldFile:
        return self.report_evidence.file if self.report_evidence is not None else self.file


class SheetVersion(models.Model):
    """A sent sheet, frozen: what the leader signed."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    stage = models.CharField(max_length=20, choices=Stage.choices)
    content = models.JSONField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["participant_id", "number"]
        constraints = [models.UniqueConstraint(fields=["participant", "number"], name="sheet_version_number")]

    def __str__(self) -> str:
        return f"{self.participant} — {self.number}"


class AppraiserAssignment(models.Model):
    """What an appraiser may see and score: a whole unit's sheet, or one criterion (with what is under it)
    across every unit of the round that uses its tree."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="appraisers")
    appraiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    node = models.ForeignKey("frameworks.Node", on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [models.CheckConstraint(
            condition=models.Q(participant__isnull=False) | models.Q(node__isnull=False),
            name="appraiser_assigned_something")]

    def __str__(self) -> str:
        return f"{self.appraiser} — {self.participant or self.node}"


class DossierStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Lỗi")


class Dossier(models.Model):
    """The evidence dossier (.zip) of one unit for one round, built in the background."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="dossiers")
    status = models.CharField(max_length=10, choices=DossierStatus.choices, default=DossierStatus.QUEUED)
    done_files = models.PositiveIntegerField(default=0)
    total_files = models.PositiveIntegerField(default=0)
    path = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.participant} — {self.created_at:%d/%m/%Y}"

    @property
    def percent(self) -> int:
        return 100 if self.status == DossierStatus.DONE else (
            int(self.done_files * 100 / self.total_files) if self.total_files else 0)
