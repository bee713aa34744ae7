"""The second factor on the account page of a coordinator or an admin: turn it on (QR code, the key typed in
groups, a code to confirm), see the ten recovery codes once (and download them), make new ones, turn it off
(password and a current code); and the instance admin's reset for someone who lost their phone. Other roles
get a 403 here and see no link to it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.models import Device

from chiso.accounts import second_factor
from chiso.accounts.models import User
from chiso.accounts.requests import AuthenticatedRequest
from chiso.accounts.second_factor_forms import CodeForm, TurnOffForm
from chiso.accounts.two_step_sign_in import ENROL_FIRST_KEY
from chiso.core.http import require

NEW_CODES_KEY = "chiso_new_recovery_codes"


def _require_eligible(request: AuthenticatedRequest) -> None:
    """Coordinators and admins; also anyone whose role changed since, so they can still turn it off."""
    require(second_factor.may_use_second_factor(request.user) or second_factor.has_second_factor(request.user))


def _error(outcome: Any) -> str:
    return outcome.message if isinstance(outcome, second_factor.Throttled) else str(outcome.value)


def _current_code_accepted(request: AuthenticatedRequest, form: Any) -> bool:
    """A valid form whose code the user's device accepts now; otherwise the refusal is put on the code field."""
    if not form.is_valid():
        return False
    outcome = second_factor.check_code(request.user, form.cleaned_data["code"])
    if isinstance(outcome, Device):
        return True
    form.add_error("code", _error(outcome))
    return False


def _settings_page(request: AuthenticatedRequest, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    device = second_factor.confirmed_totp(user)
    context = {"device": device, "codes_left": second_factor.recovery_codes_left(user) if device else 0,
               "regenerate_form": forms.get("regenerate_form") or CodeForm(prefix="regenerate"),
               "turn_off_form": forms.get("turn_off_form") or TurnOffForm(prefix="turn_off", user=user)}
    return render(request, "accounts/second_factor.html", context, status=status)


@login_required
def second_factor_settings(request: AuthenticatedRequest) -> HttpResponse:
    _require_eligible(request)
    request.session.pop(NEW_CODES_KEY, None)  # recovery codes are shown once: leaving their page ends it
    return _settings_page(request)


@login_required
def second_factor_enable(request: AuthenticatedRequest) -> HttpResponse:
    require(second_factor.may_use_second_factor(request.user))
    if second_factor.has_second_factor(request.user):
        return redirect("accounts:second_factor")
    if request.method == "POST" and not second_factor.TOTPDevice.objects.filter(
            user=request.user, confirmed=False).exists():
        return redirect("accounts:second_factor_enable")  # a stale form: show a fresh key first
    device = second_factor.unconfirmed_totp(request.user)
    form = CodeForm(request.POST or None, recovery_allowed=False)
    if request.method == "POST" and form.is_valid():
        code = second_factor.normalise_code(form.cleaned_data["code"])
        outcome = second_factor.check_totp(request.user, device, code)
        if isinstance(outcome, Device):
            request.session[NEW_CODES_KEY] = second_factor.confirm_second_factor(device)
            request.session.pop(ENROL_FIRST_KEY, None)
            messages.success(request, _("Đã bật xác thực hai lớp. Từ lần đăng nhập sau, chiso sẽ hỏi mã trên "
                                        "ứng dụng sau mật khẩu."))
            return redirect("accounts:recovery_codes")
        form.add_error("code", _error(outcome))
    return render(request, "accounts/second_factor_enable.html", {
        "form": form, "qr": second_factor.qr_svg(device), "secret": second_factor.secret_in_groups(device)},
        status=400 if form.errors else 200)


@login_required
def recovery_codes(request: AuthenticatedRequest) -> HttpResponse:
    _require_eligible(request)
    codes = request.session.get(NEW_CODES_KEY)
    if not codes:
        return redirect("accounts:second_factor")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@login_required
def recovery_codes_download(request: AuthenticatedRequest) -> HttpResponse:
    _require_eligible(request)
    codes = request.session.get(NEW_CODES_KEY)
    if not codes:
        return redirect("accounts:second_factor")
    lines = [_("Mã khôi phục xác thực hai lớp của %(login)s trên chiso") % {"login": request.user.username},
             _("Mỗi mã dùng được một lần, thay cho mã trên ứng dụng khi không có điện thoại."), "", *codes, ""]
    response = HttpResponse("\r\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="chiso-ma-khoi-phuc.txt"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def recovery_codes_regenerate(request: AuthenticatedRequest) -> HttpResponse:
    _require_eligible(request)
    require(second_factor.has_second_factor(request.user))
    form = CodeForm(request.POST, prefix="regenerate")
    if _current_code_accepted(request, form):
        request.session[NEW_CODES_KEY] = second_factor.regenerate_recovery_codes(request.user)
        messages.success(request, _("Đã tạo mười mã khôi phục mới; các mã cũ không còn dùng được."))
        return redirect("accounts:recovery_codes")
    return _settings_page(request, status=400, regenerate_form=form)


@login_required
@require_POST
def second_factor_turn_off(request: AuthenticatedRequest) -> HttpResponse:
    _require_eligible(request)
    require(second_factor.has_second_factor(request.user))
    form = TurnOffForm(request.POST, prefix="turn_off", user=request.user)
    if _current_code_accepted(request, form):
        second_factor.remove_second_factor(request.user, request.user)
        messages.success(request, _("Đã tắt xác thực hai lớp. Đăng nhập giờ chỉ cần mật khẩu."))
        return redirect("accounts:second_factor")
    return _settings_page(request, status=400, turn_off_form=form)


@login_required
@require_POST
def second_factor_reset(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The instance admin's way out for a lost phone: the account signs in with its password only until its
    owner turns the factor on again."""
    require(request.user.is_instance_admin)
    account = get_object_or_404(User, pk=pk)
    if not second_factor.has_second_factor(account):
        messages.info(request, _("Tài khoản %(name)s chưa bật xác thực hai lớp.") % {"name": account})
    else:
        second_factor.remove_second_factor(account, request.user)
        messages.success(request, _("Đã đặt lại xác thực hai lớp của %(name)s; lần đăng nhập tới chỉ cần mật "
                                    "khẩu.") % {"name": account})
    if account.province_id is not None and account.province_id == request.user.province_id:
        return redirect("accounts:account_edit", pk=account.pk)
    return redirect("accounts:account_list")
