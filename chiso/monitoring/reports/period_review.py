"""The coordinator's review list of a period as a list of units that scales: states, filters, the reports
waiting for review first, then the late units, a page at a time."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from chiso.monitoring.lateness import ReportRow
from chiso.monitoring.models import ReportStatus
from chiso.monitoring.reports.chasing import chosen_unit_ids
from chiso.orgs import unit_lists

STATES = {
    "cho-tham-dinh": _("Chờ thẩm định"),
    "tre-han": _("Quá hạn chưa gửi"),
    "tra-lai": _("Bị trả lại"),
    "da-chap-nhan": _("Đã chấp nhận"),
    "chua-gui": _("Chưa gửi"),
}


def row_states(row: ReportRow) -> set[str]:
    states = set()
    status = row.report.status if row.report else None
    if status == ReportStatus.SUBMITTED:
        states.add("cho-tham-dinh")
    if status == ReportStatus.RETURNED:
        states.add("tra-lai")
    if status == ReportStatus.ACCEPTED:
        states.add("da-chap-nhan")
    if row.is_late:
        states.add("tre-han")
    if not (row.report and row.report.first_submitted_at):
        states.add("chua-gui")
    return states


def urgency(row: ReportRow) -> int:
    """What waits for the coordinator first: a report to appraise, then a unit to chase."""
    states = row_states(row)
    return 0 if "cho-tham-dinh" in states else 1 if "tre-han" in states else 2 if "tra-lai" in states else 3


def review_list(rows: list[ReportRow], params: QueryDict) -> dict[str, Any]:
    chosen = unit_lists.read_filter(params, STATES)
    kept = unit_lists.filter_rows(rows, chosen, unit_of=lambda r: r.unit, states_of=row_states, urgency=urgency)
    page = unit_lists.page_of(kept, chosen)
    counts = unit_lists.counts_by_state(rows, row_states, STATES)
    labels = {key: label for key, (label, _kinds) in unit_lists.KIND_GROUPS.items()}
    for row in page.object_list:
        row.group = labels[unit_lists.kind_group(row.unit)]
    return {
        "filter": chosen, "page": page, "shown": page.object_list, "matching": len(kept),
        "states": [(key, label, counts[key]) for key, label in STATES.items()],
        "kinds": [(key, label) for key, (label, _kinds) in unit_lists.KIND_GROUPS.items()],
        "sorts": list(unit_lists.SORTS.items()),
        "chased": urlencode([("don-vi", pk) for pk in chosen_unit_ids(params.getlist("da-nhac"))]),
    }
