"""Django's admin is a back office for the admin role only; users work in chiso's own pages."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from chiso.accounts.models import User
from chiso.accounts.second_factor import has_second_factor, remove_second_factor
from chiso.core.admin import VersionedAdmin

admin.site.site_header = "chiso — quản trị"


# django-otp's own back-office pages would show every authenticator key (and a QR code of it) to whoever opens
# them: chiso's second factor is managed from the account pages only (chiso.accounts.second_factor).
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


@admin.action(description=_("Đặt lại xác thực hai lớp (mất điện thoại)"))
def reset_second_factor(modeladmin: admin.ModelAdmin[User], request: HttpRequest, queryset: QuerySet[User]) -> None:
    """The instance admin's reset for accounts of any province (the account page offers it in their own)."""
    assert isinstance(request.user, User)
    for account in queryset:
        if has_second_factor(account):
            remove_second_factor(account, request.user)


@admin.register(User)
class ChisoUserAdmin(VersionedAdmin, UserAdmin):
    actions = [reset_second_factor]
    list_display = ("username", "first_name", "last_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active", "unit__province")
    fieldsets = (*UserAdmin.fieldsets, ("chiso", {"fields": ("role", "unit", "phone")}))  # type: ignore[misc]  # stubs allow None fieldsets


def _sign_in_through_chiso(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """The back office has no sign-in page of its own: Django's would skip the second factor
    (chiso.accounts.two_step_sign_in). A signed-in person without back-office rights gets a 403, not a loop."""
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), login_url=reverse("accounts:login"))


admin.site.login = _sign_in_through_chiso  # type: ignore[method-assign]  # replacing the bound view on purpose
