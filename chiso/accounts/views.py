"""Account pages: a coordinator (or an admin) manages the accounts of their own province; another province's
account is a 404. Plus the invitation page (no login: the link is the credential) and the admin's page for a
province's first coordinator."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chiso.accounts import second_factor, services
from chiso.accounts.forms import AccountFilterForm, AccountForm, AccountImportForm, CoordinatorForm
from chiso.accounts.importing import read_accounts, sign_preview, unsign_preview
from chiso.accounts.invitations import account_for_token
from chiso.accounts.models import Role, User
from chiso.accounts.requests import AuthenticatedRequest
from chiso.core.http import require
from chiso.core.locking import StaleEdit, form_status, mark_stale
from chiso.core.tabular import ImportRejected
from chiso.core.text import fold


def _managed_accounts(request: AuthenticatedRequest) -> Any:
    """The accounts this user may manage: their own province's, for admins and coordinators only."""
    user = request.user
    require(user.manages_province and user.unit_id is not None)
    return services.accounts_of_province(user.own_province_id)


def _managed_account(request: AuthenticatedRequest, pk: int) -> User:
    return get_object_or_404(_managed_accounts(request).select_related("unit"), pk=pk)


def _matches(account: User, needle: str) -> bool:
    return needle in fold(f"{account.get_full_name()} {account.email} {account.username}")


@login_required
def account_list(request: AuthenticatedRequest) -> HttpResponse:
    accounts = _managed_accounts(request).select_related("unit")
    filters = AccountFilterForm(request.GET or None, province_id=request.user.own_province_id)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["role"]:
            accounts = accounts.filter(role=data["role"])
        if data["unit"]:
            accounts = accounts.filter(unit_id=data["unit"])
        if data["active"]:
            accounts = accounts.filter(is_active=data["active"] == "1")
        needle = fold(data["q"])
        rows = [a for a in accounts if _matches(a, needle)] if needle else list(accounts)
    else:
        rows = list(accounts)
    return render(request, "accounts/account_list.html", {
        "accounts": services.sorted_accounts(rows), "filters": filters, "province": request.user.own_unit.province})


@login_required
def account_create(request: AuthenticatedRequest) -> HttpResponse:
    _managed_accounts(request)
    form = AccountForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        [account] = services.create_accounts([{key: data[key] for key in ("full_name", "email", "phone", "unit", "role")}])
        messages.success(request, _("Đã tạo tài khoản %(name)s và gửi thư mời đến %(email)s.")
                         % {"name": account.get_full_name(), "email": account.email})
        return redirect("accounts:account_list")
    return render(request, "accounts/account_form.html", {"form": form}, status=form_status(form))


@login_required
def account_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = _managed_account(request, pk)
    form = AccountForm(request.POST or None, actor=request.user, account=account)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        last_name, first_name = services.split_full_name(data["full_name"])
        changes = {"first_name": first_name, "last_name": last_name, "email": data["email"], "phone": data["phone"],
                   "role": data["role"], "unit": data["unit"]}
        try:
            services.update_account(account, data["lock_version"] or 0, changes)
        except StaleEdit:
            mark_stale(form)
        else:
            messages.success(request, _("Đã lưu tài khoản %(name)s.") % {"name": account.get_full_name()})
            return redirect("accounts:account_list")
    # Only the instance admin may reset someone's second factor (a lost phone): only they are told of it.
    second_factor_on = request.user.is_instance_admin and second_factor.has_second_factor(account)
    return render(request, "accounts/account_form.html", {"form": form, "account": account,
                                                          "second_factor_on": second_factor_on},
                  status=form_status(form))


@login_required
@require_POST
def account_set_active(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = _managed_account(request, pk)
    active = request.POST.get("active") == "1"
    if account.pk == request.user.pk and not active:
        messages.error(request, _("Không thể tự khóa tài khoản của chính mình."))
        return redirect("accounts:account_list")
    services.set_account_active(account, active)
    messages.success(request, (_("Đã mở lại tài khoản %(name)s.") if active else _("Đã khóa tài khoản %(name)s."))
                     % {"name": account.get_full_name()})
    return redirect("accounts:account_list")


@login_required
@require_POST
def account_reset(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = _managed_account(request, pk)
    require(account.is_active and bool(account.email))
    services.reset_account(account)
    messages.success(request, _("Mật khẩu cũ của %(name)s không còn dùng được; đã gửi đường dẫn đặt mật khẩu mới "
                                "đến %(email)s.") % {"name": account.get_full_name(), "email": account.email})
    return redirect("accounts:account_list")


@login_required
def account_import(request: AuthenticatedRequest) -> HttpResponse:
    """Upload → every line checked → preview (nothing saved yet) → confirm: all accounts or none."""
    _managed_accounts(request)
    province = request.user.own_unit.province
    form = AccountImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "errors": []}
    try:
        if request.method == "POST" and "preview" in request.POST:
            accounts = unsign_preview(request.POST["preview"], province, request.user)
            created = services.create_accounts(accounts)
            messages.success(request, _("Đã tạo %(n)s tài khoản và gửi thư mời.") % {"n": len(created)})
            return redirect("accounts:account_list")
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            accounts = read_accounts(upload, upload.name, province, request.user)
            context.update(preview=sign_preview(accounts),
                           accounts=[{**a, "role_label": Role(a["role"]).label} for a in accounts])
    except ImportRejected as rejected:
        context["errors"] = rejected.errors
    status = 400 if (context["errors"] or form.errors) else 200
    return render(request, "accounts/account_import.html", context, status=status)


@login_required
def province_coordinator_create(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user.is_instance_admin)
    form = CoordinatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account = services.create_province_coordinator(
            province=data["province"], unit_code=data["unit_code"], unit_name=data["unit_name"],
            full_name=data["full_name"], email=data["email"], phone=data["phone"])
        messages.success(request, _("Đã tạo tài khoản điều phối %(name)s của %(province)s và gửi thư mời.")
                         % {"name": account.get_full_name(), "province": data["province"].name})
        return redirect("home")
    return render(request, "accounts/coordinator_form.html", {"form": form}, status=form_status(form))


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invited person chooses a password; the link then stops working."""
    account = account_for_token(token)
    if account is None:
        return render(request, "accounts/invitation_invalid.html", status=410)
    form = SetPasswordForm(account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        if request.user.is_authenticated and request.user.pk == account.pk:
            update_session_auth_hash(request, account)
        messages.success(request, _("Đã đặt mật khẩu. Mời đăng nhập bằng %(login)s.") % {"login": account.username})
        return redirect("accounts:login")
    return render(request, "accounts/invitation_accept.html", {"form": form, "account": account},
                  status=400 if form.errors else 200)
