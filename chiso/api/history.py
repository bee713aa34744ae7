"""Every change the API makes carries the token's name in django-simple-history's change reason.

The API's authentication puts the token on the request (`request.api_token`); simple-history's request
middleware keeps the request for the length of it, so whichever service function saves a historised row, its
history record says which token did it — without each service having to know about the API."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


def change_reason(token_name: str) -> str:
    return _("Qua API, khóa “%(name)s”") % {"name": token_name}


@receiver(pre_create_historical_record)
def _mark_api_writes(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    request = getattr(HistoricalRecords.context, "request", None)
    token = getattr(request, "api_token", None)
    if token is not None and not getattr(history_instance, "history_change_reason", None):
        history_instance.history_change_reason = change_reason(token.name)[:100]
