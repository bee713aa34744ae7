"""Sign-in in two steps for the accounts with a second factor. The first step is Django's LoginView with
chiso's form, unchanged for everybody else (django-axes still counts and locks failed passwords there). When
the password is right and the account has a confirmed device, nobody is logged in: the session only remembers
who is half-way (their id, backend and password hash, for a few minutes) and the second page asks for the
code. Only a code accepted by django-otp logs the person in (django.contrib.auth.login, with the device
persisted in the session by django_otp.login through the user_logged_in signal).

"Quên mật khẩu" sets a new password and never logs in (PasswordResetConfirmView.post_reset_login stays False),
so it ends on this same sign-in; the back office's login page sends here too."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice

from chiso.accounts import second_factor
from chiso.accounts.models import User
from chiso.accounts.second_factor_forms import CodeForm

PENDING_KEY = "chiso_second_factor_pending"
# Set at sign-in when CHISO_REQUIRE_SECOND_FACTOR asks a coordinator or admin without a factor to set one up.
ENROL_FIRST_KEY = "chiso_second_factor_enrol_first"
# Time allowed between the password and the code: long enough to unlock a phone and open the app.
PENDING_SECONDS = 5 * 60


class SignInView(LoginView):
    """LoginView, except that a right password for an account with a second factor leads to the code page."""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if second_factor.has_second_factor(user):
            start_second_step(self.request, user, self.get_success_url())
            return redirect("accounts:second_factor_sign_in")
        response = super().form_valid(form)
        if settings.CHISO_REQUIRE_SECOND_FACTOR and second_factor.may_use_second_factor(user):
            # The instance requires it of coordinators and admins: nothing else opens until it is set up.
            self.request.session[ENROL_FIRST_KEY] = True
            return redirect("accounts:second_factor_enable")
        return response


def start_second_step(request: HttpRequest, user: User, next_url: str) -> None:
    """Remember who passed the password, in a fresh session key (no fixation of the half-way session)."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {"user": user.pk, "backend": user.backend,
                                    "hash": user.get_session_auth_hash(), "since": time.time(), "next": next_url}


def _pending_user(request: HttpRequest) -> tuple[User, str] | None:
    """The half-way user and where they were going, unless the step expired or the password changed since."""
    pending: dict[str, Any] | None = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - float(pending.get("since", 0)) > PENDING_SECONDS:
        return None
    user_id = pending.get("user")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not constant_time_compare(user.get_session_auth_hash(), pending.get("hash", "")):
        return None
    if pending.get("backend") not in settings.AUTHENTICATION_BACKENDS:
        return None  # the settings changed between the two steps (a deploy): sign in again
    user.backend = pending["backend"]  # as authenticate() would have set it
    return user, str(pending.get("next") or "/")


def second_step(request: HttpRequest) -> HttpResponse:
    """The code page: the only way past the password for an account with a second factor."""
    if request.user.is_authenticated:
        return redirect("home")
    pending = _pending_user(request)
    if pending is None:
        request.session.pop(PENDING_KEY, None)
        messages.error(request, _("Phiên đăng nhập đã hết hạn hoặc không còn hợp lệ. Mời đăng nhập lại."))
        return redirect("accounts:login")
    user, next_url = pending
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = second_factor.check_code(user, form.cleaned_data["code"])
        if isinstance(outcome, Device):
            return _finish(request, user, outcome, next_url)
        form.add_error("code", outcome.message if isinstance(outcome, second_factor.Throttled) else outcome.value)
    return render(request, "accounts/second_factor_sign_in.html", {"form": form},
                  status=400 if form.errors else 200)


def _finish(request: HttpRequest, user: User, device: Device, next_url: str) -> HttpResponse:
    del request.session[PENDING_KEY]
    user.otp_device = device  # type: ignore[attr-defined]  # django_otp.login persists it on user_logged_in
    login(request, user, backend=user.backend)  # set by _pending_user
    if isinstance(device, StaticDevice):
        left = second_factor.recovery_codes_left(user)
        messages.warning(request, _("Bạn vừa dùng một mã khôi phục; còn %(n)s mã. Nên tạo lại mã khôi phục nếu "
                                    "sắp hết.") % {"n": left})
    return HttpResponseRedirect(next_url)


class RequireSecondFactorEnrolment:
    """With CHISO_REQUIRE_SECOND_FACTOR, a coordinator or admin who signed in without a second factor sees only
    the pages that set it up (and sign-out) until it is on. Reads the session flag only: no query per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.session.get(ENROL_FIRST_KEY) and request.path not in _enrolment_paths():
            messages.warning(request, _("Hệ thống yêu cầu tài khoản điều phối và quản trị bật xác thực hai lớp. Mời "
                                        "bật trước khi tiếp tục."))
            return redirect("accounts:second_factor_enable")
        return self.get_response(request)


def _enrolment_paths() -> set[str]:
    return {reverse(name) for name in ("accounts:second_factor_enable", "accounts:recovery_codes",
                                       "accounts:recovery_codes_download", "accounts:logout", "set_language")}
