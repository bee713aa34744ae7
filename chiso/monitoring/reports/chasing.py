"""The chase action of the review list: remind the chosen late units (chiso.monitoring.reminders.chase)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from chiso.accounts.requests import AuthenticatedRequest
from chiso.core.http import require
from chiso.monitoring import permissions as perm
from chiso.monitoring.reminders.chase import chase_units


def chosen_unit_ids(values: list[str]) -> list[int]:
    """Checkbox values as ids; anything else is dropped (the service keeps only units owing the report)."""
    return [int(v) for v in values if v.isascii() and v.isdigit() and len(v) < 10][:500]


@login_required
@require_POST
def period_chase(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    period = perm.get_visible_period(request.user, pk)
    require(perm.can_manage_periods(request.user, period.plan))
    back = reverse("monitoring:period_detail", args=[period.pk])
    ids = chosen_unit_ids(request.POST.getlist("don-vi"))
    if not ids:
        messages.error(request, _("Chọn ít nhất một đơn vị để đôn đốc."))
        return redirect(f"{back}?trang-thai=tre-han")
    late, sent = chase_units(period, ids, timezone.localdate())
    if not late:
        messages.info(request, _("Các đơn vị đã chọn không có gì quá hạn trong kỳ này; không gửi nhắc."))
        return redirect(back)
    messages.success(request, ngettext(
        "Đã nhắc %(units)s đơn vị (%(sent)s thông báo mới; đơn vị đã được nhắc hôm nay không nhận lại).",
        "Đã nhắc %(units)s đơn vị (%(sent)s thông báo mới; đơn vị đã được nhắc hôm nay không nhận lại).",
        len(late)) % {"units": len(late), "sent": sent})
    # Back to the list with the units just chased: the page offers their reminder letter.
    chased = [("trang-thai", "tre-han"), *(("da-nhac", item.unit.pk) for item in late)]
    return redirect(f"{back}?{urlencode(chased)}")
