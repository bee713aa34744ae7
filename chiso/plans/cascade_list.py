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


def cascade_list(rows: list[CascadeRow], params: QueryDict) -> dict[str, Any]:
    chosen = unit_lists.read_filter(params, STATES)
    kept = unit_lists.filter_rows(rows, chosen, unit_of=lambda r: r.unit, states_of=row_states, urgency=urgency)
    page = unit_lists.page_of(kept, chosen)
    labels = {key: label for key, (label, _kinds) in unit_lists.KIND_GROUPS.items()}
    for row in page.object_list:
        row.group = labels[unit_lists.kind_group(row.unit)]
    counts = unit_lists.counts_by_state(rows, row_states, STATES)
    return {
        "filter": chosen, "page": page, "cascade_shown": page.object_list, "matching": len(kept),
        "states": [(key, label, counts[key]) for key, label in STATES.items()],
        "kinds": [(key, label) for key, (label, _kinds) in unit_lists.KIND_GROUPS.items()],
        "sorts": list(unit_lists.SORTS.items()),
    }
