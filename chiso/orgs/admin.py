from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from chiso.orgs.models import Province, Unit, UnitGroup


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
