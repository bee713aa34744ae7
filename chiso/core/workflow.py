"""State changes of documents that move through a workflow (a plan sent, returned, issued; a report
submitted, returned, accepted): one refusal type and one way for a view to run a change; and the gate before
a unit's leader sends a document still incomplete (shown what is missing, they must confirm)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from chiso.core.bounds import NUL_MESSAGE, TEXT_MAX, holds_nul
from chiso.core.http import int_param, require
from chiso.core.locking import StaleEdit


class InvalidTransition(Exception):
    """The change is not allowed from the object's current state; the message says why, in Vietnamese."""


def clean_comment(comment: str, missing: str | None) -> str:
    """The comment a return or a review carries, as typed in a box outside any form: stripped, required unless
    `missing` is None (then the message when it is empty), not longer than a comment may be, and without the
    NUL character that no database column takes (PostgreSQL refuses it: a server error before)."""
    comment = comment.strip()
    if not comment and missing is not None:
        raise InvalidTransition(missing)
    if holds_nul(comment):
        raise InvalidTransition(NUL_MESSAGE)
    if len(comment) > TEXT_MAX:
        raise InvalidTransition(_("Ý kiến dài quá %(max)s ký tự, hãy viết ngắn gọn hơn.") % {"max": TEXT_MAX})
    return comment


# The box ticked on core/_before_sending.html: "I have seen what is incomplete and send anyway".
CONFIRM_FIELD = "confirm_incomplete"


@dataclass(frozen=True)
class Gap:
    """One thing still incomplete in a document about to be sent (core/_before_sending.html), and the page
    where it is fixed, if there is one."""

    text: str
    link: str = ""

    def __str__(self) -> str:
        return self.text


def unconfirmed_gaps(request: HttpRequest, obj: Any, allowed: bool, gaps: Callable[[], list[Any]]) -> list[Any]:
    """What the sender has not confirmed: the document's gaps, unless they ticked the box. Nothing to hold the
    sending for when they may not send (403 follows) or their page showed an older version (409 follows): those
    answers come first, as run_transition gives them, and the gaps are then not even computed."""
    expected = int_param(request.POST.get("lock_version"))
    if not allowed or request.POST.get(CONFIRM_FIELD) == "1":
        return []
    if expected is not None and getattr(obj, "lock_version", expected) != expected:
        return []
    return gaps()


@dataclass
class Step:
    """One step of an approval chain shown on a document (core/_approval_chain.html): who did it and when,
    whether it is done or the one waiting now, and a note (a comment, what it waits for)."""

    label: str
    who: Any  # the user who acted, shown by name; None while nobody has
    when: dt.datetime | None
    done: bool
    current: bool = False
    note: str = ""


def leader_steps(document: Any, waiting_leader: bool, sent: bool) -> list[Step]:
    """The two middle steps every unit document goes through, read from its fields of the same names: the
    focal point asks the unit's leader (approval_requested_by/_at), the leader approves and sends to Sở Nội vụ
    (submitted_by/_at)."""
    return [
        Step(_("Trình lãnh đạo đơn vị duyệt"), document.approval_requested_by, document.approval_requested_at,
             waiting_leader or sent, current=waiting_leader,
             note=_("Chờ lãnh đạo đơn vị duyệt") if waiting_leader else ""),
        Step(_("Lãnh đạo đơn vị duyệt và gửi Sở Nội vụ"), document.submitted_by if sent else None,
             document.submitted_at if sent else None, sent),
    ]


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
                   to: str, expected_version: int | None = None, **to_kwargs: Any) -> HttpResponse:
    """StaleEdit if the page asking for the change showed an older version of the object (checked first: a
    change since, such as a submission or a review, also changes what is allowed, and the user must be told
    the object changed rather than that they may not act); 403 unless allowed; run the change; tell the
    user what happened or why not; go back to the page."""
    if expected_version is not None and getattr(obj, "lock_version", expected_version) != expected_version:
        raise StaleEdit
    require(allowed)
    try:
        action(obj)
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(to, **to_kwargs)
