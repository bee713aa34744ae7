"""The emulation ranking as a list that scales: by state (tasks not done, reports missing, not ranked), by
kind, searched, in rank order (its natural order: a ranking has nothing waiting for anyone), by name in
Vietnamese order or by a column. One page: a province's ~190 units are read whole, as a ranking is."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from chiso.monitoring.dashboards.emulation import EmulationTable, UnitScore
from chiso.orgs import unit_lists

STATES = {
    "nhiem-vu-chua-xong": _("Có nhiệm vụ chưa hoàn thành"),
    "thieu-bao-cao": _("Có báo cáo chưa gửi"),
    "chua-xep-hang": _("Chưa xếp hạng"),
}


def row_states(row: UnitScore) -> set[str]:
    states = set()
    if row.tasks_not_done:
        states.add("nhiem-vu-chua-xong")
    if row.reports_missing:
        states.add("thieu-bao-cao")
    if row.rank is None:
        states.add("chua-xep-hang")
    return states


EMULATION_LIST: unit_lists.UnitList[UnitScore] = unit_lists.UnitList(
    states=STATES, states_of=row_states, unit_of=lambda row: row.unit, per_page=None,
    sorts={**unit_lists.by_number("hang", _("Xếp hạng"), lambda row: row.rank, descending=False),
           **unit_lists.by_name(),
           **unit_lists.by_number("ty-le-nhiem-vu", _("Tỷ lệ nhiệm vụ đúng hạn (cao trước)"),
                                  lambda row: row.task_rate),
           **unit_lists.by_number("ty-le-bao-cao", _("Tỷ lệ báo cáo đúng hạn (cao trước)"),
                                  lambda row: row.report_rate),
           **unit_lists.by_number("chua-hoan-thanh", _("Nhiệm vụ chưa hoàn thành (nhiều trước)"),
                                  lambda row: row.tasks_not_done),
           **unit_lists.by_number("chua-gui", _("Báo cáo chưa gửi (nhiều trước)"), lambda row: row.reports_missing)},
)


def emulation_list(table: EmulationTable, params: QueryDict) -> dict[str, Any]:
    """The ranks stay those of the whole table (or of the chosen block): a filter shows fewer units, it does
    not rank them again."""
    return unit_lists.unit_list(table.rows, params, EMULATION_LIST, keep=["nam", "khoi"])
