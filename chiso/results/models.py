"""Published index results: a province's (or one of its units') scores for one framework and year.

A result keeps what was published: the total as printed (official totals are not always the sum of
the rounded parts), the rank and its denominator, the PAPI group. Scores may be partial: a node
without a published value has no Score row, and is never read as zero."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from chiso.accounts.models import User


class Group(models.IntegerChoices):
    """PAPI's four groups, by quartile of the year's provincial scores."""

    HIGHEST = 1, _("nhóm đạt điểm cao nhất")
    HIGH_AVERAGE = 2, _("nhóm đạt điểm trung bình cao")
    LOW_AVERAGE = 3, _("nhóm đạt điểm trung bình thấp")
    LOWEST = 4, _("nhóm đạt điểm thấp nhất")


class Origin(models.TextChoices):
    BUILTIN = "builtin", _("Dữ liệu dựng sẵn")
    ENTERED = "entered", _("Nhập tay")
    IMPORTED = "imported", _("Nhập từ tệp")


class ResultQuerySet(models.QuerySet["Result"]):
    def provincial(self) -> ResultQuerySet:
        return self.filter(unit__isnull=True)

    def of_index(self, index: str) -> ResultQuerySet:
        return self.filter(framework__index=index)

    def visible_to(self, user: User) -> ResultQuerySet:
        """Published provincial results are public to every signed-in user; a province's index of its own
        units only to people of that province (chiso.results.permissions)."""
        if user.is_instance_admin:
            return self.all()
        return self.filter(Q(unit__isnull=True) | Q(province_id=user.province_id))


class Result(models.Model):
    framework = models.ForeignKey("frameworks.Framework", on_delete=models.PROTECT, related_name="results",
                                  verbose_name=_("bộ chỉ số"))
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    province = models.ForeignKey("orgs.Province", on_delete=models.CASCADE, related_name="results",
                                 verbose_name=_("tỉnh, thành phố"))
    # Set for a province's own index of its departments and communes; empty for the province itself.
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, null=True, blank=True, related_name="results",
                             verbose_name=_("đơn vị"))
    total = models.DecimalField(_("tổng điểm công bố"), max_digits=9, decimal_places=4, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("xếp hạng công bố"), null=True, blank=True)
    rank_of = models.PositiveSmallIntegerField(_("trên tổng số"), null=True, blank=True)
    group = models.PositiveSmallIntegerField(_("nhóm công bố"), choices=Group.choices, null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=500, blank=True)
    origin = models.CharField(_("xuất xứ"), max_length=10, choices=Origin.choices, default=Origin.ENTERED)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    lock_version = models.PositiveIntegerField(default=1, editable=False)

    objects = ResultQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "province__name"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "year", "province"], condition=Q(unit__isnull=True),
                                    name="one_province_result_per_framework_year"),
            models.UniqueConstraint(fields=["framework", "year", "unit"], condition=Q(unit__isnull=False),
                                    name="one_unit_result_per_framework_year"),
        ]
        indexes = [models.Index(fields=["year", "framework"])]
        verbose_name = _("kết quả chỉ số")
        verbose_name_plural = _("kết quả chỉ số")

    def __str__(self) -> str:
        return f"{self.framework.get_index_display()} {self.year} — {self.subject_name}"

    @property
    def subject_name(self) -> str:
        return self.unit.name if self.unit is not None else self.province.designation


class Score(models.Model):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="scores")
    node = models.ForeignKey("frameworks.Node", on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(_("điểm"), max_digits=9, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["result", "node"], name="one_score_per_node")]
        verbose_name = _("điểm")
        verbose_name_plural = _("điểm")

    def __str__(self) -> str:
        return f"{self.node.code}: {self.value}"
