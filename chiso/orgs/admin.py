from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from chiso.core.admin import VersionedAdmin
from chiso.orgs.models import Province, Unit, UnitGroup


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "formed_on", "dissolved_on")
    filter_horizontal = ("predecessors",)


@admin.register(Unit)
class UnitAdmin(VersionedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "short_name", "kind", "province", "is_active")
    list_filter = ("province", "kind")
    search_fields = ("name", "short_name", "code")


@admin.register(UnitGroup)
class UnitGroupAdmin(VersionedAdmin):
    list_display = ("name", "province", "scope")
    list_filter = ("province",)
