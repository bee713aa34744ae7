"""Chart.js configurations for the monitoring pages, built on the server and drawn by
chiso/core/static/chiso/charts.js (the results app's mechanism). Every chart has its table on the page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from chiso.monitoring.dashboards.plan import Tally
from chiso.results.charts import PALETTE

ON_TIME = "#15803d"
LATE = "#d97706"
OVERDUE = "#b91c1c"
CANNOT_DO = "#475569"
OPEN = "#cbd5e1"
# Height per bar of a horizontal chart, so a province's hundred communes stay readable.
PIXELS_PER_BAR = 22


def chart_height(bars: int, minimum: int = 240) -> int:
    return max(minimum, bars * PIXELS_PER_BAR + 60)


def completion_chart(tallies: Sequence[Tally]) -> dict[str, Any]:
    """One stacked bar per row (index, node or unit): done on time, done late, overdue, cannot be done,
    still open, in % of its assignments, so rows of different sizes compare."""

    def share(part: int, tally: Tally) -> float:
        return round(100 * part / tally.assigned, 1) if tally.assigned else 0

    parts = [
        (_("Hoàn thành đúng hạn"), ON_TIME, lambda t: t.on_time),
        (_("Hoàn thành chậm"), LATE, lambda t: t.done - t.on_time),
        (_("Quá hạn"), OVERDUE, lambda t: t.overdue),
        (_("Không thực hiện được"), CANNOT_DO, lambda t: t.cannot_do),
        (_("Đang thực hiện, chưa đến hạn"), OPEN, lambda t: t.open),
    ]
    return {"type": "bar", "data": {
        "labels": [t.label for t in tallies],
        "datasets": [{"label": label, "data": [share(count(t), t) for t in tallies], "backgroundColor": colour}
                     for label, colour, count in parts]},
        "options": {"indexAxis": "y", "scales": {
            "x": {"stacked": True, "min": 0, "max": 100, "title": {"display": True, "text": _("% lượt giao")}},
            "y": {"stacked": True}}}}


def on_time_chart(total: Tally) -> dict[str, Any]:
    """The plan's assignments by state: the share done on time is the on-time rate."""
    return {"type": "doughnut", "data": {
        "labels": [_("Hoàn thành đúng hạn"), _("Hoàn thành chậm"), _("Quá hạn"), _("Không thực hiện được"),
                   _("Đang thực hiện, chưa đến hạn")],
        "datasets": [{"label": _("Lượt giao"), "data": [total.on_time, total.done - total.on_time, total.overdue,
                                                         total.cannot_do, total.open],
                      "backgroundColor": [ON_TIME, LATE, OVERDUE, CANNOT_DO, OPEN]}]}}


def score_chart(rows: Sequence[tuple[str, float | None, bool]]) -> dict[str, Any]:
    """The emulation ranking: one bar per unit, highest first, the user's own unit highlighted."""
    return {"type": "bar", "data": {
        "labels": [name for name, _score, _own in rows],
        "datasets": [{"label": _("Điểm thi đua"), "data": [score for _name, score, _own in rows],
                      "backgroundColor": [PALETTE[1] if own else PALETTE[0] for _name, _score, own in rows]}]},
        "options": {"indexAxis": "y", "scales": {"x": {"min": 0, "max": 100}, "y": {"ticks": {"autoSkip": False}}},
                    "plugins": {"legend": {"display": False}}}}
