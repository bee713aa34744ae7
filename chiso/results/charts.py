"""Chart.js configurations for the results pages, built server-side and handed to the page with
json_script; chiso/core/static/chiso/charts.js draws them. Kept apart from the views so a chart's
shape is one function and a test can read it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from chiso.results.analysis import Analysis, Trend

# Ten colours told apart also in print and by most colour-blind readers: a line chart of PAPI's total and its
# eight content indices (9 series) never repeats one.
PALETTE = ["#1d4e89", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0f766e", "#a16207", "#be185d", "#475569",
           "#0891b2"]
# Room around the plot so the last point's label and the right axis title are not cut off.
PADDING = {"padding": {"top": 12, "right": 24, "bottom": 4, "left": 4}}


def _f(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), 4)


def profile_chart(analysis: Analysis) -> dict[str, Any]:
    """Top-level components: the subject's score against the maximum and the national median."""
    rows = analysis.rows_at(0)
    datasets = [{"label": analysis.result.subject_name, "data": [_f(r.score) for r in rows],
                 "backgroundColor": PALETTE[0]}]
    if any(r.median is not None for r in rows):
        datasets.append({"label": _("Trung vị cả nước") if not analysis.result.unit_id else _("Trung vị các đơn vị"),
                         "data": [_f(r.median) for r in rows], "backgroundColor": "#94a3b8"})
    if any(r.node.max_points is not None for r in rows):
        datasets.append({"label": _("Điểm tối đa"), "data": [_f(r.node.max_points) for r in rows],
                         "backgroundColor": "#e2e8f0"})
    return {"type": "bar", "data": {"labels": [f"{r.node.code}. {r.node.name_vi}" for r in rows],
                                    "datasets": datasets},
            "options": {"indexAxis": "y", "scales": {"x": {"beginAtZero": True}}}}


def trend_chart(trend: Trend, label: str) -> dict[str, Any]:
    datasets = [{"label": label, "data": [_f(t) for t in trend.totals], "borderColor": PALETTE[0],
                 "backgroundColor": PALETTE[0], "yAxisID": "total", "borderWidth": 3}]
    for position, (code, values) in enumerate(trend.series.items()):
        colour = PALETTE[(position + 1) % len(PALETTE)]
        datasets.append({"label": f"{code}. {trend.names[code]}", "data": [_f(v) for v in values],
                         "borderColor": colour, "backgroundColor": colour, "yAxisID": "parts", "hidden": False})
    return {"type": "line", "data": {"labels": trend.years, "datasets": datasets},
            "options": {"spanGaps": False, "layout": PADDING,
                        "plugins": {"legend": {"position": "bottom", "labels": {"boxWidth": 14}}}, "scales": {
                "total": {"type": "linear", "position": "left", "title": {"display": True, "text": _("Tổng")}},
                "parts": {"type": "linear", "position": "right", "grid": {"drawOnChartArea": False},
                          "title": {"display": True, "text": _("Thành phần")}}}}}


def ranking_chart(rows: list[tuple[str, Decimal | None, bool]]) -> dict[str, Any]:
    """Totals of every province of a year, highest first; the user's own highlighted."""
    return {"type": "bar", "data": {
        "labels": [name for name, _, _ in rows],
        "datasets": [{"label": _("Tổng điểm"), "data": [_f(total) for _, total, _ in rows],
                      "backgroundColor": [PALETTE[1] if own else PALETTE[0] for _, _, own in rows]}]},
        # Every province named: left to itself Chart.js skips labels, the user's own among them.
        "options": {"indexAxis": "y", "layout": PADDING, "plugins": {"legend": {"display": False}},
                    "scales": {"y": {"ticks": {"autoSkip": False}}}}}


def side_by_side_chart(years: list[int], series: dict[str, list[Decimal | None]]) -> dict[str, Any]:
    """A merged province's predecessors: one line each, total over the years."""
    return {"type": "line", "data": {"labels": years, "datasets": [
        {"label": name, "data": [_f(v) for v in values], "borderColor": PALETTE[i % len(PALETTE)],
         "backgroundColor": PALETTE[i % len(PALETTE)]}
        for i, (name, values) in enumerate(series.items())]}}


def gains_chart(labels: list[str], gains: list[Decimal]) -> dict[str, Any]:
    return {"type": "bar", "data": {"labels": labels, "datasets": [
        {"label": _("Điểm có thể tăng thêm"), "data": [_f(g) for g in gains], "backgroundColor": PALETTE[2]}]},
        "options": {"indexAxis": "y", "layout": PADDING, "plugins": {"legend": {"display": False}},
                    "scales": {"y": {"ticks": {"autoSkip": False}}}}}
