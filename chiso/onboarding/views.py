from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chiso.accounts.requests import AuthenticatedRequest
from chiso.core.http import require
from chiso.onboarding.models import GroupReview


@login_required
@require_POST
def groups_reviewed(request: AuthenticatedRequest) -> HttpResponse:
    """The coordinator confirms the province's group wordings are right (they stay editable)."""
    user = request.user
    require(user.manages_province and user.unit_id is not None)
    GroupReview.objects.update_or_create(province_id=user.own_province_id, defaults={"reviewed_by": user})
    messages.success(request, _("Đã ghi nhận: các nhóm đơn vị của tỉnh đã được rà soát."))
    return redirect("home")
