"""What the back office shares: read-only pages for rows whose writes belong to a service, and optimistic
locking for the rows it edits (two admins editing the same account or group do not overwrite each other:
the change form carries the version it showed; saving claims it, core.locking)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from chiso.core.locking import STALE_MESSAGE, StaleEdit, claim_version


class ReadOnlyAdminMixin:
    """Rows whose writes belong to a service (locking, history, versions) are shown, never added, changed
    or deleted in the admin, which would bypass it."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionedAdmin(admin.ModelAdmin):
    change_form_template = "admin/versioned_change_form.html"

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        if change:
            sent = request.POST.get("lock_version", "")
            claim_version(obj, int(sent) if sent.isascii() and sent.isdigit() and len(sent) < 10 else 0)
        super().save_model(request, obj, form, change)

    def changeform_view(self, request: HttpRequest, object_id: str | None = None, form_url: str = "",
                        extra_context: dict[str, Any] | None = None) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit:  # the admin's own transaction has rolled back the whole save
            return TemplateResponse(request, "admin/stale_edit.html", {
                **self.admin_site.each_context(request), "message": STALE_MESSAGE, "title": STALE_MESSAGE,
                "opts": self.model._meta, "back": request.path,
            }, status=409)
