"""Checks that run before a plan is issued. Apps that know more about a plan than plans itself does
(the results app knows which weak components have no task) register a check here, so plans does
not depend on them. A check returns warnings in Vietnamese; the person issuing sees them and must
confirm to issue anyway."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chiso.plans.models import Plan

IssueCheck = Callable[["Plan"], list[str]]

_issue_checks: list[IssueCheck] = []


def register_issue_check(check: IssueCheck) -> None:
    if check not in _issue_checks:
        _issue_checks.append(check)


def issue_warnings(plan: Plan) -> list[str]:
    return [warning for check in _issue_checks for warning in check(plan)]
