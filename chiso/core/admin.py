"""Django's admin is a back office for the admin role only; users work in chiso's own pages."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from chiso.accounts.models import User
from chiso.frameworks.models import Framework, Node
from chiso.orgs.models import Province, Unit, UnitGroup
from chiso.plans.models import Plan, Task

admin.site.site_header = "chiso — quản trị"


@admin.register(User)
class ChisoUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active", "unit__province")
    fieldsets = (*UserAdmin.fieldsets, ("chiso", {"fields": ("role", "unit", "phone")}))  # type: ignore[misc]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "formed_on", "dissolved_on")
    filter_horizontal = ("predecessors",)


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("name", "short_name", "kind", "province", "is_active")
    list_filter = ("province", "kind")
    search_fields = ("name", "short_name", "code")


admin.site.register(UnitGroup)
admin.site.register(Framework, SimpleHistoryAdmin)
admin.site.register(Node, SimpleHistoryAdmin)
admin.site.register(Plan, SimpleHistoryAdmin)
admin.site.register(Task, SimpleHistoryAdmin)
