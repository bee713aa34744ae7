"""Django's admin is a back office for the admin role only; users work in chiso's own pages."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from chiso.accounts.models import User
from chiso.core.admin import VersionedAdmin

admin.site.site_header = "chiso — quản trị"


@admin.register(User)
class ChisoUserAdmin(VersionedAdmin, UserAdmin):
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
