"""Provinces and their units: departments, communes and wards, internal offices, outside bodies."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from chiso.accounts.models import User


class ProvinceQuerySet(models.QuerySet["Province"]):
    def on_map_in(self, year: int) -> ProvinceQuerySet:
        end = dt.date(year, 12, 31)
        return self.filter(Q(formed_on__isnull=True) | Q(formed_on__lte=end),
                           Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=end))


class Province(models.Model):
    """A province on the map of a given period. Provinces merged on 1/7/2025 (63 → 34);
    a merged province records the former provinces it was formed from."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    formed_on = models.DateField(_("ngày thành lập"), null=True, blank=True)
    dissolved_on = models.DateField(_("ngày giải thể/sáp nhập"), null=True, blank=True)
    is_city = models.BooleanField(_("thành phố trực thuộc Trung ương"), default=False)
    # Other names published tables use ("Thừa Thiên Huế", "TP. Hồ Chí Minh", a former province's plain name).
    aliases = models.JSONField(_("tên gọi khác"), default=list, blank=True)
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, related_name="successors", blank=True, verbose_name=_("tỉnh cũ hợp thành")
    )

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")

    def __str__(self) -> str:
        return self.name

    @property
    def designation(self) -> str:
        """How a document names it: "tỉnh Bắc Kạn", "thành phố Hà Nội"."""
        kind = _("thành phố") if self.is_city else _("tỉnh")
        return f"{kind} {self.name}"

    def on_map_in(self, year: int) -> bool:
        """Whether the province existed at the end of `year`: the map a year's ranking is made on."""
        end = dt.date(year, 12, 31)
        return (self.formed_on is None or self.formed_on <= end) and (self.dissolved_on is None or self.dissolved_on >= end)


class UnitKind(models.TextChoices):
    PROVINCE_COMMITTEE = "province_committee", _("UBND tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    OFFICE = "office", _("Phòng, đơn vị thuộc sở")
    OUTSIDE = "outside", _("Cơ quan, tổ chức ngoài UBND")
    DISTRICT = "district", _("Cấp huyện (trước 2025)")
    VILLAGE = "village", _("Thôn, tổ dân phố")


class UnitQuerySet(models.QuerySet["Unit"]):
    def visible_to(self, user: User) -> UnitQuerySet:
        """The units whose boards the user may open: every one for the instance admin, the province's for
        coordinators and viewers, their own for unit staff."""
        if user.is_instance_admin:
            return self.all()
        if user.sees_whole_province:
            return self.filter(province_id=user.province_id)
        return self.filter(pk=user.unit_id) if user.unit_id else self.none()


class Unit(models.Model):
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="units", verbose_name=_("tỉnh"))
    code = models.SlugField(_("mã"), max_length=80)
    name = models.CharField(_("tên đầy đủ"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=120, blank=True)
    kind = models.CharField(_("loại"), max_length=30, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    aliases = models.JSONField(_("tên gọi khác"), default=list, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    history = HistoricalRecords()
    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["province", "code"], name="unit_code_unique_in_province")]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self) -> str:
        return self.short_name or self.name

    def wordings(self) -> list[str]:
        """Every way a plan may name this unit."""
        return [w for w in [self.name, self.short_name, *self.aliases] if w]


class GroupScope(models.TextChoices):
    PROVINCE = "province", _("Toàn tỉnh")
    OWN_DEPARTMENT = "own_department", _("Trong sở ban hành kế hoạch")


class UnitGroup(models.Model):
    """A class of units that plans name as one ("UBND cấp xã", "Các sở, ban, ngành")."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="unit_groups")
    name = models.CharField(_("tên nhóm"), max_length=200)
    aliases = models.JSONField(_("tên gọi khác"), default=list, blank=True)
    kinds = models.JSONField(_("loại đơn vị thuộc nhóm"), default=list, blank=True)
    scope = models.CharField(_("phạm vi"), max_length=20, choices=GroupScope.choices, default=GroupScope.PROVINCE)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["province", "name"], name="unit_group_unique_name")]
        verbose_name = _("nhóm đơn vị")
        verbose_name_plural = _("nhóm đơn vị")

    def __str__(self) -> str:
        return self.name

    def wordings(self) -> list[str]:
        return [self.name, *self.aliases]

    @property
    def resolves(self) -> bool:
        return bool(self.kinds)

    def members(self, issuer: Unit | None = None) -> QuerySet[Unit]:
        """The units this group stands for; an own-department group needs the issuing department."""
        units = Unit.objects.filter(province_id=self.province_id, is_active=True, kind__in=self.kinds)
        if not self.kinds:
            return units.none()
        if self.scope == GroupScope.OWN_DEPARTMENT:
            return units.filter(parent=issuer) if issuer else units.none()
        return units

