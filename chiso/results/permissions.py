"""Who sees and changes which results.

Provincial results are published figures: every signed-in user sees those of every province (they
compare themselves with the others). A province's own index of its units is internal: only people of
that province see it. Changing results belongs to the province's coordinators — for their province,
the former provinces it was formed from and its units — and to the instance admin, who also keeps
the national tables of the other provinces."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from chiso.accounts.models import User
from chiso.orgs.models import Province
from chiso.results.models import Result


def get_visible_result(user: User, pk: int) -> Result:
    return get_object_or_404(Result.objects.visible_to(user).select_related("framework", "province", "unit"), pk=pk)


def editable_province_ids(user: User) -> set[int]:
    if user.is_instance_admin:
        return set(Province.objects.values_list("pk", flat=True))
    if user.is_coordinator and user.province_id:
        return {user.province_id, *Province.objects.filter(successors=user.province_id).values_list("pk", flat=True)}
    return set()


def can_edit_result(user: User, result: Result) -> bool:
    if user.is_instance_admin:
        return True
    if not user.is_coordinator:
        return False
    if result.unit_id:
        return result.province_id == user.province_id
    return result.province_id in editable_province_ids(user)


def can_enter_results(user: User) -> bool:
    return user.is_instance_admin or (user.is_coordinator and user.province_id is not None)

