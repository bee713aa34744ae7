"""State changes of documents that move through a workflow (a plan sent, returned, issued; a report
submitted, returned, accepted): one refusal type and one way for a view to run a change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from chiso.core.http import require


class InvalidTransition(Exception):
    """The change is not allowed from the object's current state; the message says why, in Vietnamese."""


def save_transition(obj: Any, fresh: Any, **changes: Any) -> None:
    """Write a transition on `fresh` (the row re-read under lock) and copy it onto `obj`, the caller's
    instance. Bumping lock_version turns any edit form opened before it into a stale edit."""
    for name, value in changes.items():
        setattr(fresh, name, value)
    fresh.lock_version += 1
    fresh.save(update_fields=[*changes, "lock_version", "updated_at"])
    for name in (*changes, "lock_version"):
        setattr(obj, name, getattr(fresh, name))


def run_transition(request: HttpRequest, obj: Any, allowed: bool, action: Callable[[Any], Any], done: str,
                   to: str, **to_kwargs: Any) -> HttpResponse:
    """403 unless allowed; run the change; tell the user what happened or why not; go back to the page."""
    require(allowed)
    try:
        action(obj)
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(to, **to_kwargs)
