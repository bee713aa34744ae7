"""Imports are read-only here: their writes (row corrections, confirmation, the original file) go through
documents.importing.drafts and importing.saving, which keep versions and the file on disk consistent."""

from django.contrib import admin

from chiso.documents.models import PlanImport
from chiso.plans.admin import ReadOnlyAdmin


@admin.register(PlanImport)
class PlanImportAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "kind", "province", "owner_unit", "status", "uploaded_by", "created_at", "plan")
    list_filter = ("status", "kind", "province")
    search_fields = ("original_name",)
    exclude = ("rows", "unreadable", "header")
