"""Back office for the unit index: criteria details and tree settings are editable (they are the
province's data); rounds and sheets are read here, their writes belong to the services."""

from django.contrib import admin
from django.http import HttpRequest

from chiso.unitindex.models import CriterionDetail, Participant, Round, RoundStage, ScoreChange, TreeSettings


@admin.register(CriterionDetail)
class CriterionDetailAdmin(admin.ModelAdmin):
    list_display = ["node", "method", "allows_not_applicable", "explanation_required"]
    list_filter = ["method", "node__framework"]
    search_fields = ["node__code", "node__name_vi"]
    raw_id_fields = ["node"]


@admin.register(TreeSettings)
class TreeSettingsAdmin(admin.ModelAdmin):
    list_display = ["framework", "bonus_max", "penalty_max", "demonstration"]


class RoundStageInline(admin.TabularInline):
    model = RoundStage
    extra = 0


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "province", "published_at"]
    list_filter = ["year", "province"]
    inlines = [RoundStageInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["unit", "round", "unit_type", "status", "sent_at"]
    list_filter = ["status", "unit_type", "round"]
    search_fields = ["unit__name"]
    raw_id_fields = ["unit", "signed_by"]

    def has_change_permission(self, request: HttpRequest, obj: Participant | None = None) -> bool:
        return False


@admin.register(ScoreChange)
class ScoreChangeAdmin(admin.ModelAdmin):
    list_display = ["entry", "field", "old", "new", "by", "at"]

    def has_change_permission(self, request: HttpRequest, obj: ScoreChange | None = None) -> bool:
        return False
