"""The plan dashboard's table of units as a list that scales: by state (overdue tasks, last report not sent,
everything done), by kind, searched, sorted by name in Vietnamese order or by a column, with the units the
coordinator must chase first (most overdue, then not reported, then least done)."""

from __future__ import annotations

from typing import Any, cast

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from chiso.monitoring.dashboards.plan import PlanDashboard, Tally
from chiso.orgs import unit_lists
from chiso.orgs.models import Unit

STATES = {
    "qua-han": _("Có nhiệm vụ quá hạn"),
    "chua-bao-cao": _("Chưa gửi báo cáo kỳ gần nhất"),
    "hoan-thanh": _("Đã hoàn thành mọi nhiệm vụ"),
}


def unit_of(tally: Tally) -> Unit:
    return cast(Unit, tally.key)


def plan_units(dashboard: PlanDashboard, params: QueryDict) -> dict[str, Any]:
    """The dashboard's by-unit tallies filtered and ordered; one page: a province has ~150 units and the chart
    above shows every unit the filter keeps."""
    not_reported = {unit.pk for unit in dashboard.not_reported}

    def states_of(tally: Tally) -> set[str]:
        states = set()
        if tally.overdue:
            states.add("qua-han")
        if unit_of(tally).pk in not_reported:
            states.add("chua-bao-cao")
        if tally.assigned and tally.done == tally.assigned:
            states.add("hoan-thanh")
        return states

    def urgency(tally: Tally) -> tuple[int, bool, int]:
        return -tally.overdue, unit_of(tally).pk not in not_reported, tally.done_percent

    spec: unit_lists.UnitList[Tally] = unit_lists.UnitList(
        states=STATES, states_of=states_of, unit_of=unit_of, per_page=None,
        sorts={**unit_lists.waiting_first(urgency), **unit_lists.by_name(),
               **unit_lists.by_number("luot-giao", _("Lượt giao (nhiều trước)"), lambda t: t.assigned),
               **unit_lists.by_number("da-bao-cao", _("Đã báo cáo (ít trước)"), lambda t: t.reported,
                                      descending=False),
               **unit_lists.by_number("hoan-thanh", _("Tỷ lệ hoàn thành (thấp trước)"), lambda t: t.done_percent,
                                      descending=False),
               **unit_lists.by_number("qua-han", _("Quá hạn (nhiều trước)"), lambda t: t.overdue)},
    )
    return unit_lists.unit_list(dashboard.by_unit, params, spec)
