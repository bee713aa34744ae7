"""Index frameworks: versioned trees of nodes (PAPI 2021, PAR INDEX 2022–2030, SIPAS…)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chiso.core.bounds import TEXT_MAX, TEXT_VALIDATORS, YEAR_VALIDATORS

if TYPE_CHECKING:
    from chiso.accounts.models import User


class IndexKind(models.TextChoices):
    PAR_INDEX = "PAR_INDEX", "PAR INDEX"
    PAPI = "PAPI", "PAPI"
    SIPAS = "SIPAS", "SIPAS"
    PCI = "PCI", "PCI"
    DTI = "DTI", "DTI"
    OTHER = "OTHER", _("Khác")


class MeasureUnit(models.TextChoices):
    POINTS = "points", _("điểm")
    PERCENT = "percent", "%"


class Scoring(models.TextChoices):
    SURVEY = "survey", _("Điều tra xã hội học (XHH)")
    SELF_ASSESSMENT = "self_assessment", _("Tự đánh giá, thẩm định")
    MIXED = "mixed", _("Kết hợp")


class FrameworkQuerySet(models.QuerySet["Framework"]):
    def visible_to(self, user: User) -> FrameworkQuerySet:
        """Built-in frameworks are shared; a custom framework belongs to its province."""
        if user.is_instance_admin:
            return self.all()
        return self.filter(Q(province__isnull=True) | Q(province_id=user.province_id))

    def editable_by(self, user: User) -> FrameworkQuerySet:
        if user.is_instance_admin:
            return self.all()
        if user.is_coordinator:
            return self.filter(province_id=user.province_id)
        return self.none()


class Framework(models.Model):
    index = models.CharField(_("chỉ số"), max_length=20, choices=IndexKind.choices)
    slug = models.SlugField(_("mã"), max_length=80, unique=True)
    name_vi = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    version = models.CharField(_("phiên bản"), max_length=60)
    valid_from = models.PositiveSmallIntegerField(_("áp dụng từ năm"), null=True, blank=True,
                                                  validators=YEAR_VALIDATORS)
    valid_to = models.PositiveSmallIntegerField(_("áp dụng đến năm"), null=True, blank=True,
                                                validators=YEAR_VALIDATORS)
    unit = models.CharField(_("đơn vị đo"), max_length=10, choices=MeasureUnit.choices, default=MeasureUnit.POINTS)
    total_max = models.DecimalField(_("điểm tối đa"), max_digits=8, decimal_places=3, null=True, blank=True)
    levels = models.JSONField(_("tên các cấp"), default=list, blank=True)
    sources = models.JSONField(_("nguồn"), default=list, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True, max_length=TEXT_MAX, validators=TEXT_VALIDATORS)
    province = models.ForeignKey(
        "orgs.Province", on_delete=models.CASCADE, null=True, blank=True, related_name="frameworks",
        verbose_name=_("tỉnh sở hữu"), help_text=_("Trống: bộ chỉ số dựng sẵn, dùng chung."),
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies",
        verbose_name=_("sao chép từ"),
    )
    lock_version = models.PositiveIntegerField(default=1, editable=False)

    objects = FrameworkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["index", "-valid_from", "slug"]
        verbose_name = _("bộ chỉ số")
        verbose_name_plural = _("bộ chỉ số")

    def __str__(self) -> str:
        return self.name_vi

    def level_name(self, depth: int) -> str:
        if 0 <= depth < len(self.levels):
            return str(self.levels[depth].get("vi", ""))
        return ""


class Node(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    code = models.CharField(_("mã"), max_length=30)
    depth = models.PositiveSmallIntegerField(_("cấp"), default=0)
    # Pre-order position in the tree: sorting by it gives framework order without recursion.
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    name_vi = models.CharField(_("tên"), max_length=500)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=500, blank=True)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=8, decimal_places=3, null=True, blank=True)
    unit = models.CharField(_("đơn vị đo"), max_length=10, choices=MeasureUnit.choices, default=MeasureUnit.POINTS)
    scoring = models.CharField(_("cách chấm"), max_length=20, choices=Scoring.choices, default=Scoring.SURVEY)
    aliases = models.JSONField(_("tên gọi khác"), default=list, blank=True)
    source = models.CharField(_("nguồn"), max_length=500, blank=True)
    confidence = models.CharField(_("độ tin cậy"), max_length=60, blank=True)
    note = models.TextField(_("ghi chú"), blank=True, max_length=TEXT_MAX, validators=TEXT_VALIDATORS)
    lock_version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["framework_id", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="node_code_unique_in_framework")]
        indexes = [models.Index(fields=["framework", "position"])]
        verbose_name = _("nội dung chỉ số")
        verbose_name_plural = _("nội dung chỉ số")

    def __str__(self) -> str:
        return f"{self.code}. {self.name_vi}"

    @property
    def level_name(self) -> str:
        return self.framework.level_name(self.depth)


def subtree_ids(nodes: list[Node], root: Node) -> list[int]:
    """The root and everything below it, from nodes already loaded: in pre-order (by position) a
    subtree is the root followed by every node deeper than it, up to the next one that is not."""
    ids: list[int] = []
    inside = False
    for node in sorted((n for n in nodes if n.framework_id == root.framework_id), key=lambda n: n.position):
        if node.pk == root.pk:
            inside = True
        elif inside and node.depth <= root.depth:
            break
        if inside:
            ids.append(node.pk)
    return ids
