"""Django's admin is a back office for the admin role only; users work in chiso's own pages."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from chiso.accounts.models import User

admin.site.site_header = "chiso — quản trị"


@admin.register(User)
class ChisoUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active", "unit__province")
    fieldsets = (*UserAdmin.fieldsets, ("chiso", {"fields": ("role", "unit", "phone")}))  # type: ignore[misc]  # stubs allow None fieldsets
