"""The page of a user's API tokens: personal tokens for everyone, system tokens for the province's
coordinators. A new token is shown once, on the page that created it; afterwards only its prefix."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chiso.accounts.requests import AuthenticatedRequest
from chiso.api.forms import PersonalTokenForm, SystemTokenForm
from chiso.api.models import ApiToken
from chiso.api.tokens import (
    TokenRefused,
    can_issue_system_tokens,
    create_personal_token,
    create_system_token,
    managed_tokens,
    may_revoke,
    revoke_token,
)
from chiso.core.http import require


@login_required
def token_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    may_issue = can_issue_system_tokens(user)
    personal = PersonalTokenForm(request.POST if request.POST.get("kind") == "personal" else None, prefix="p")
    system = SystemTokenForm(request.POST if request.POST.get("kind") == "system" else None, prefix="s",
                             issuer=user) if may_issue else None
    created, status = None, 200
    if request.method == "POST":
        require(request.POST.get("kind") == "personal" or may_issue)
        form = personal if request.POST.get("kind") == "personal" else system
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                if form is personal:
                    created = create_personal_token(user, data["name"], data["days"])[1]
                else:
                    created = create_system_token(user, data["name"], data["scope"], data.get("unit"), data["days"])[1]
            except TokenRefused as error:
                form.add_error(None, str(error))
        status = 200 if created else 400
    return render(request, "api/tokens.html", {
        "tokens": managed_tokens(user), "personal_form": personal, "system_form": system, "created": created,
    }, status=status)


@login_required
@require_POST
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.filter(pk__in=[t.pk for t in managed_tokens(request.user)]), pk=pk)
    require(may_revoke(request.user, token))
    revoke_token(token)
    messages.success(request, _("Đã thu hồi khóa “%(name)s”.") % {"name": token.name})
    return redirect("api_tokens")
