"""Users and their roles. Every user belongs to a unit, and through it to a province."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from chiso.orgs.models import Unit


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    COORDINATOR = "coordinator", _("Điều phối (Sở Nội vụ)")
    FOCAL_POINT = "focal_point", _("Cán bộ đầu mối")
    LEADER = "leader", _("Lãnh đạo đơn vị")
    VIEWER = "viewer", _("Lãnh đạo tỉnh (chỉ xem)")
    APPRAISER = "appraiser", _("Thẩm định viên Chỉ số CCHC")


class User(AbstractUser):
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("đơn vị")
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """Vietnamese order: family name first (Nguyễn Thị Hà)."""
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def province_id(self) -> int | None:
        return self.unit.province_id if self.unit is not None else None

    @property
    def own_unit(self) -> Unit:
        """The user's unit where a permission check has already required one; 403 for a user without."""
        if self.unit is None:
            raise PermissionDenied
        return self.unit

    @property
    def own_province_id(self) -> int:
        """The user's province where a permission check has already required one; 403 for a user without."""
        return self.own_unit.province_id

    @property
    def is_instance_admin(self) -> bool:
        """The admin role (or a Django superuser) manages every province of the instance."""
        return self.is_active and (self.is_superuser or self.role == Role.ADMIN)

    def works_in(self, province_id: int | None) -> bool:
        """The one "same province" rule: the province is the user's own; the instance admin works in all."""
        return self.is_instance_admin or (province_id is not None and province_id == self.province_id)

    def has_perm(self, perm: str, obj: models.Model | None = None) -> bool:
        # The admin role runs the back office as a superuser would; no per-model grants to keep in step.
        return self.is_instance_admin or super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_instance_admin or super().has_module_perms(app_label)

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def manages_province(self) -> bool:
        """Admins and coordinators edit province-wide data (plans, frameworks, units)."""
        return self.is_instance_admin or self.role == Role.COORDINATOR

    @property
    def authors_in_province(self) -> bool:
        """May create province-wide things (plans, frameworks, units): needs a province to put them in."""
        return self.manages_province and self.unit_id is not None

    @property
    def sees_whole_province(self) -> bool:
        return self.manages_province or self.role == Role.VIEWER

    @property
    def is_unit_staff(self) -> bool:
        return self.role in (Role.FOCAL_POINT, Role.LEADER)
