"""The coordinator's first-use checklist: what a province needs before it can plan and monitor, each step
with whether it is done and where to do it. Data only; `_onboarding_checklist.html` draws it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chiso.accounts.models import Role, User
from chiso.onboarding.models import GroupReview
from chiso.orgs.models import Unit
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


def checklist_for(user: User) -> Checklist | None:
    """The checklist for a coordinator (or an admin working in a province); None for everyone else.
    Five queries, whatever the size of the province."""
    if not (user.is_authenticated and user.manages_province and user.unit_id):
        return None
    province_id = user.own_province_id
    last_year = timezone.localdate().year - 1
    units = Unit.objects.filter(province_id=province_id).count()
    staff = User.objects.filter(unit__province_id=province_id, role__in=[Role.FOCAL_POINT, Role.LEADER]).exists()
    return Checklist([
        Step("units", _("Nhập danh sách đơn vị của tỉnh"), units > 1, reverse("orgs:unit_import"),
             _("Nhập đơn vị")),
        Step("groups", _("Rà soát các nhóm đơn vị dùng trong kế hoạch (“UBND cấp xã”, “Các sở, ban, ngành”…)"),
             GroupReview.objects.filter(province_id=province_id).exists(), reverse("orgs:unit_list"),
             _("Xem nhóm đơn vị")),
        Step("accounts", _("Tạo tài khoản cho cán bộ đầu mối và lãnh đạo các đơn vị"), staff,
             reverse("accounts:account_import"), _("Nhập tài khoản")),
        Step("plan", _("Nhập hoặc soạn kế hoạch đầu tiên"), Plan.objects.filter(province_id=province_id).exists(),
             reverse("documents:import_start"), _("Nhập kế hoạch")),
        Step("results", _("Nhập kết quả chỉ số năm %(year)s của tỉnh") % {"year": last_year},
             Result.objects.filter(province_id=province_id, unit__isnull=True, year=last_year).exists(),
             reverse("results:result_create"), _("Nhập kết quả")),
    ])
