"""The cascade of unit plans on a province plan's page as a list that scales: by state (waiting for Sở Nội vụ,
late, sent late, not sent), by kind, searched, in Vietnamese order with what waits for the coordinator first."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from chiso.orgs import unit_lists
from chiso.plans.models import PlanStatus
from chiso.plans.services import CascadeRow

STATES = {
    "cho-xem-xet": _("Đã gửi, chờ xem xét"),
    "tre-han": _("Quá hạn chưa gửi"),
    "gui-muon": _("Gửi muộn"),
    "chua-gui": _("Chưa gửi"),
}


def row_states(row: CascadeRow) -> set[str]:
    states = set()
    if row.plan is not None and row.plan.status == PlanStatus.SUBMITTED:
        states.add("cho-xem-xet")
    if row.is_late:
        states.add("tre-han")
    if row.submitted_late:
        states.add("gui-muon")
    if not row.submitted:
        states.add("chua-gui")
    return states


def urgency(row: CascadeRow) -> int:
    states = row_states(row)
    return 0 if "cho-xem-xet" in states else 1 if "tre-han" in states else 2


CASCADE_LIST: unit_lists.UnitList[CascadeRow] = unit_lists.UnitList(
    states=STATES, states_of=row_states, unit_of=lambda row: row.unit,
    sorts={**unit_lists.waiting_first(urgency), **unit_lists.by_name(),
           **unit_lists.by_number("nhiem-vu", _("Nhiệm vụ được giao (nhiều trước)"), lambda row: row.task_count)},
)


def cascade_list(rows: list[CascadeRow], params: QueryDict) -> dict[str, Any]:
    return unit_lists.unit_list(rows, params, CASCADE_LIST)
