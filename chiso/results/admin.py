from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from chiso.results.models import Result, Score


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    raw_id_fields = ["node"]


@admin.register(Result)
class ResultAdmin(SimpleHistoryAdmin):
    list_display = ["framework", "year", "province", "unit", "total", "rank", "group", "origin"]
    list_filter = ["framework__index", "year", "origin"]
    search_fields = ["province__name", "unit__name"]
    raw_id_fields = ["unit", "updated_by"]
    inlines = [ScoreInline]
