"""A plan being imported: the uploaded original, what the importer read from it, and the user's corrections,
kept until the user confirms it (it then points to the plan it became) or cancels it."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chiso.accounts.models import Role

if TYPE_CHECKING:
    from chiso.accounts.models import User


class ImportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang xem trước")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    CANCELLED = "cancelled", _("Đã hủy")


def import_path(instance: PlanImport, filename: str) -> str:
    """A random name under the province's folder: the original name is kept in the row, never trusted on disk."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"imports/{instance.province_id}/{uuid.uuid4().hex}{suffix}"


class PlanImportQuerySet(models.QuerySet["PlanImport"]):
    def visible_to(self, user: User) -> PlanImportQuerySet:
        """Who may import sees the imports they could have made: coordinators their province's, a focal point
        its own unit's. Everyone else sees none (the original of a confirmed import is reached through its plan)."""
        if user.is_instance_admin:
            return self.all()
        if user.role == Role.COORDINATOR:
            return self.filter(province_id=user.province_id)
        if user.role == Role.FOCAL_POINT and user.unit_id:
            return self.filter(owner_unit_id=user.unit_id)
        return self.none()


class PlanImport(models.Model):
    province = models.ForeignKey("orgs.Province", on_delete=models.CASCADE, related_name="+")
    # UBND tỉnh for a province plan; the focal point's unit for a unit's own plan.
    owner_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("đơn vị ban hành"))
    # The province plan a unit's imported plan implements, chosen at upload (optional).
    parent = models.ForeignKey("plans.Plan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("thực hiện kế hoạch"))
    frameworks = models.ManyToManyField("frameworks.Framework", related_name="+", verbose_name=_("bộ chỉ số"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    file = models.FileField(_("tệp gốc"), upload_to=import_path, max_length=255, blank=True)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    kind = models.CharField(_("định dạng"), max_length=10)  # docx, xlsx, pdf, text
    header: models.JSONField[Any, Any] = models.JSONField(_("thông tin văn bản"), default=dict)
    # Each row: the mapped row of importing.mapping.map_row plus a stable `key`, its own `version` (rows are
    # edited one at a time from one page) and `problems`.
    rows: models.JSONField[Any, Any] = models.JSONField(_("các dòng"), default=list)
    unreadable: models.JSONField[Any, Any] = models.JSONField(_("các dòng không hiểu"), default=list)
    status = models.CharField(_("trạng thái"), max_length=20, choices=ImportStatus.choices,
                              default=ImportStatus.DRAFT)
    plan = models.OneToOneField("plans.Plan", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="source_import", verbose_name=_("kế hoạch đã tạo"))
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    lock_version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlanImportQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=["frameworks"])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["province", "status"])]
        verbose_name = _("bản nhập kế hoạch")
        verbose_name_plural = _("bản nhập kế hoạch")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_draft(self) -> bool:
        return self.status == ImportStatus.DRAFT

    def row(self, key: int) -> dict[str, Any] | None:
        return next((row for row in self.rows if row["key"] == key), None)

    def next_key(self) -> int:
        return max([0, *(r["key"] for r in self.rows), *(u["key"] for u in self.unreadable)]) + 1

