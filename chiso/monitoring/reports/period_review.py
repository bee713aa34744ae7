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


REVIEW_LIST: unit_lists.UnitList[ReportRow] = unit_lists.UnitList(
    states=STATES, states_of=row_states, unit_of=lambda row: row.unit,
    sorts={**unit_lists.waiting_first(urgency), **unit_lists.by_name(),
           **unit_lists.by_number("so-lan-gui", _("Số lần gửi (nhiều trước)"),
                                  lambda row: row.report.version_count if row.report else None)},
)


def review_list(rows: list[ReportRow], params: QueryDict) -> dict[str, Any]:
    return {**unit_lists.unit_list(rows, params, REVIEW_LIST),
            "chased": urlencode([("don-vi", pk) for pk in chosen_unit_ids(params.getlist("da-nhac"))])}
