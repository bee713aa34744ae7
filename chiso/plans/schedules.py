"""Reading a task's 'Thời gian thực hiện' into a kind and, where the text allows, dates.

Plans write time frames as prose: "Thường xuyên", "Năm 2025", "Quý III và Quý IV",
"Trước ngày 15/7/2025", "6 tháng cuối năm 2021", "Tháng 12 hàng năm", "Theo nhiệm kỳ".
The verbatim text is always kept; the parse only adds a start and a due date."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from chiso.core.text import fold
from chiso.plans.models import ScheduleKind


@dataclass(frozen=True)
class Schedule:
    kind: str
    start: dt.date | None = None
    due: dt.date | None = None


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?(?!\d)")
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_QUARTER = re.compile(r"quy\s*(iv|iii|ii|i|[1-4])\b")
_MONTH = re.compile(r"thang\s*(\d{1,2})(?:\s*(?:/|nam)\s*(20\d{2}))?")
_EVENT_WORDS = ("nhiem ky", "bau cu", "theo ke hoach", "khi co", "theo yeu cau", "theo lo trinh", "theo chi dao",
                "theo quy dinh", "theo chuong trinh", "dot xuat")
_ONGOING_WORDS = ("thuong xuyen", "lien tuc", "hang ngay")
_RECURRING_WORDS = ("hang nam", "hang quy", "hang thang", "dinh ky", "ky bao cao", "moi ky")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_schedule(text: str, context_year: int | None = None) -> Schedule:
    """Parse a schedule text. context_year is the plan's year, used when the text names none."""
    folded = fold(text)
    if not folded:
        return Schedule(ScheduleKind.UNSPECIFIED)
    years = [int(y) for y in _YEAR.findall(folded)]
    year = years[-1] if years else context_year

    by_date = _by_date(folded, year)
    if by_date is not None:
        return by_date
    if any(word in folded for word in _ONGOING_WORDS):
        return Schedule(ScheduleKind.ONGOING)

    quarters = sorted({_ROMAN[q] for q in _QUARTER.findall(folded)})
    if quarters and year:
        if "den" in folded and len(quarters) >= 2:
            quarters = list(range(quarters[0], quarters[-1] + 1))
        return Schedule(
            ScheduleKind.PERIOD,
            start=dt.date(year, 3 * quarters[0] - 2, 1),
            due=_month_end(year, 3 * quarters[-1]),
        )

    if "6 thang" in folded and year:
        if "cuoi" in folded:
            return Schedule(ScheduleKind.PERIOD, dt.date(year, 7, 1), dt.date(year, 12, 31))
        if "dau" in folded:
            return Schedule(ScheduleKind.PERIOD, dt.date(year, 1, 1), dt.date(year, 6, 30))

    by_month = _by_month(folded, year)
    if by_month is not None:
        return by_month
    if any(word in folded for word in _RECURRING_WORDS):
        return Schedule(ScheduleKind.RECURRING)
    if any(word in folded for word in _EVENT_WORDS):
        return Schedule(ScheduleKind.EVENT)
    if years:
        return Schedule(ScheduleKind.PERIOD, dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31))
    return Schedule(ScheduleKind.EVENT)


def _by_date(folded: str, year: int | None) -> Schedule | None:
    """A text naming dates is due on the last of them; one naming only impossible dates has none."""
    dates = []
    date_tokens = _DATE.findall(folded)
    for day, month, y in date_tokens:
        d = _safe_date(int(y) if y else (year or 0), int(month), int(day)) if (y or year) else None
        if d:
            dates.append(d)
    if dates:
        return Schedule(ScheduleKind.DATE, start=None, due=max(dates))
    if date_tokens:
        # A date was written but is impossible (31/2): keep the text, invent no due date.
        return Schedule(ScheduleKind.DATE)
    return None


def _by_month(folded: str, year: int | None) -> Schedule | None:
    """A month text: "Tháng 12 (năm 2025)", once or every year."""
    month_match = _MONTH.search(folded)
    if not (month_match and 1 <= int(month_match.group(1)) <= 12):
        return None
    month = int(month_match.group(1))
    month_year = int(month_match.group(2)) if month_match.group(2) else year
    kind = ScheduleKind.RECURRING if any(w in folded for w in _RECURRING_WORDS) else ScheduleKind.PERIOD
    if month_year:
        return Schedule(kind, dt.date(month_year, month, 1), _month_end(month_year, month))
    return Schedule(kind)
