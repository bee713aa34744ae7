"""The bell in the header: how many notifications the user has not read. One indexed count per page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from chiso.monitoring.models import Notification


def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(recipient=user, read_at__isnull=True).count()}
