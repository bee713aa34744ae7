"""Frameworks with their nodes, units and unit groups."""


from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import paginate

from chiso.api.endpoints.common import Pages, account
from chiso.api.schemas import FrameworkDetail, FrameworkOut, UnitGroupOut, UnitOut
from chiso.core.text import fold
from chiso.frameworks.models import Framework
from chiso.orgs.models import Unit, UnitGroup

router = Router(tags=["Danh mục"])


@router.get("/frameworks", response=list[FrameworkOut], summary="Bộ chỉ số")
@paginate(Pages)
def framework_list(request: HttpRequest, index: str | None = None) -> QuerySet[Framework]:
    frameworks = Framework.objects.visible_to(account(request)).order_by("index", "-valid_from", "slug")
    return frameworks.filter(index=index) if index else frameworks


@router.get("/frameworks/{framework_id}", response=FrameworkDetail, summary="Một bộ chỉ số và các nội dung")
def framework_detail(request: HttpRequest, framework_id: int) -> Framework:
    return get_object_or_404(Framework.objects.visible_to(account(request)).prefetch_related("nodes"),
                             pk=framework_id)


def _province_units(request: HttpRequest, province: int | None) -> QuerySet[Unit]:
    user = account(request)
    if user.is_instance_admin:
        return Unit.objects.filter(province_id=province) if province else Unit.objects.all()
    return Unit.objects.filter(province_id=user.own_province_id)


@router.get("/units", response=list[UnitOut], summary="Đơn vị của tỉnh")
@paginate(Pages)
def unit_list(request: HttpRequest, province: int | None = None, kind: str | None = None,
              q: str | None = None) -> list[Unit]:
    units = _province_units(request, province)
    if kind:
        units = units.filter(kind=kind)
    rows = list(units)
    if q:
        needle = fold(q)
        rows = [u for u in rows if any(needle in fold(w) for w in u.wordings())]
    # Vietnamese order: by the folded name, so "Đ" sorts with "D" as readers expect.
    return sorted(rows, key=lambda u: (fold(u.name), u.pk))


@router.get("/unit-groups", response=list[UnitGroupOut], summary="Nhóm đơn vị")
@paginate(Pages)
def unit_group_list(request: HttpRequest, province: int | None = None) -> QuerySet[UnitGroup]:
    user = account(request)
    if user.is_instance_admin:
        return UnitGroup.objects.filter(province_id=province) if province else UnitGroup.objects.all()
    return UnitGroup.objects.filter(province_id=user.own_province_id)
