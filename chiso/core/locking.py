"""Optimistic locking: an edit based on an older version is refused instead of overwriting.

Models that take part carry `lock_version`; forms send back the version they were opened with."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

STALE_MESSAGE = _("Nội dung này vừa được người khác cập nhật. Tải lại trang để xem bản mới rồi sửa lại; "
                  "thay đổi của bạn chưa được lưu.")


class StaleEdit(Exception):
    """Someone else saved the object after this edit was opened."""


def claim_version(instance: models.Model, expected: int) -> None:
    """Bump lock_version only if it is still the one the editor saw. The conditional UPDATE is the lock:
    of two concurrent saves, exactly one matches. Call it inside the transaction that writes the edit."""
    model = type(instance)
    claimed = model._default_manager.filter(pk=instance.pk, lock_version=expected).update(lock_version=expected + 1)
    if not claimed:
        raise StaleEdit
    instance.lock_version = expected + 1  # type: ignore[attr-defined]  # every model locked here has the field


def save_current(form: forms.ModelForm, instance: models.Model) -> bool:
    """Save an edit form in one transaction if `instance` still has the version the form was opened with
    (its `lock_version` field); otherwise save nothing, mark the form stale (409) and return False."""
    try:
        with transaction.atomic():
            claim_version(instance, form.cleaned_data.get("lock_version") or 0)
            form.save()
    except StaleEdit:
        mark_stale(form)
        return False
    return True


def mark_stale(form: forms.BaseForm) -> None:
    form.add_error(None, ValidationError(STALE_MESSAGE, code="stale"))


def form_status(form: forms.BaseForm) -> int:
    """409 for a stale edit, 400 for other errors, 200 for a form shown for the first time."""
    if form.has_error(NON_FIELD_ERRORS, code="stale"):
        return 409
    return 400 if form.errors else 200
