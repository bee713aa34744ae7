"""The coordinator's first-use checklist: what a province needs before it can plan and monitor, each step
with whether it is done and where to do it. Data only; `_onboarding_checklist.html` draws it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chiso.accounts.models import Role, User
from chiso.onboarding.models import GroupReview
from chiso.orgs.models import Province, Unit
from chiso.plans.models import Plan
from chiso.results.models import Result


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    done: bool
    url: str
    action: str


@dataclass(frozen=True)
class Checklist:
    steps: list[Step]

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def complete(self) -> bool:
        return self.done_count == len(self.steps)


def _progress(province_id: int, last_year: int) -> Mapping[str, Any]:
    """What the province has, in one query (the coordinator's home is read many times a day)."""
    in_province = {"province_id": OuterRef("pk")}
    unit_count = (Unit.objects.filter(**in_province).order_by().values("province_id")
                  .annotate(n=Count("id")).values("n"))
    return Province.objects.filter(pk=province_id).annotate(
        unit_count=Subquery(unit_count),
        groups_reviewed=Exists(GroupReview.objects.filter(**in_province)),
        has_staff=Exists(User.objects.filter(unit__province_id=OuterRef("pk"),
                                         role__in=[Role.FOCAL_POINT, Role.LEADER])),
        has_plan=Exists(Plan.objects.filter(**in_province)),
        has_results=Exists(Result.objects.filter(**in_province, unit__isnull=True, year=last_year)),
    ).values("unit_count", "groups_reviewed", "has_staff", "has_plan", "has_results").get()


def checklist_for(user: User) -> Checklist | None:
    """The checklist for a coordinator (or an admin working in a province); None for everyone else.
    One query, whatever the size of the province."""
    if not (user.is_authenticated and user.manages_province and user.unit_id):
        return None
    last_year = timezone.localdate().year - 1
    has = _progress(user.own_province_id, last_year)
    return Checklist([
        Step("units", _("Nhập danh sách đơn vị của tỉnh"), (has["unit_count"] or 0) > 1, reverse("orgs:unit_import"),
             _("Nhập đơn vị")),
        Step("groups", _("Rà soát các nhóm đơn vị dùng trong kế hoạch (“UBND cấp xã”, “Các sở, ban, ngành”…)"),
             bool(has["groups_reviewed"]), reverse("orgs:unit_list"), _("Xem nhóm đơn vị")),
        Step("accounts", _("Tạo tài khoản cho cán bộ đầu mối và lãnh đạo các đơn vị"), bool(has["has_staff"]),
             reverse("accounts:account_import"), _("Nhập tài khoản")),
        Step("plan", _("Nhập hoặc soạn kế hoạch đầu tiên"), bool(has["has_plan"]),
             reverse("documents:import_start"), _("Nhập kế hoạch")),
        Step("results", _("Nhập kết quả chỉ số năm %(year)s của tỉnh") % {"year": last_year},
             bool(has["has_results"]), reverse("results:result_create"), _("Nhập kết quả")),
    ])
