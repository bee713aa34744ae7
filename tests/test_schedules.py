import datetime as dt

import pytest

from chiso.plans.schedules import parse_schedule

D = dt.date


@pytest.mark.parametrize(
    ("text", "kind", "start", "due"),
    [
        ("Thường xuyên", "ongoing", None, None),
        ("Thường \nxuyên", "ongoing", None, None),
        ("Năm 2025", "period", D(2025, 1, 1), D(2025, 12, 31)),
        ("Quý III và Quý IV", "period", D(2025, 7, 1), D(2025, 12, 31)),
        ("Quý IV", "period", D(2025, 10, 1), D(2025, 12, 31)),
        ("Quý I đến Quý III năm 2021", "period", D(2021, 1, 1), D(2021, 9, 30)),
        ("Trước ngày 15/7/2025", "date", None, D(2025, 7, 15)),
        ("Kế hoạch (trước ngày 15/7/2025)", "date", None, D(2025, 7, 15)),
        ("23/5/2021", "date", None, D(2021, 5, 23)),
        ("Trước ngày 15 của tháng cuối cùng kỳ báo cáo", "recurring", None, None),
        ("6 tháng cuối năm 2021", "period", D(2021, 7, 1), D(2021, 12, 31)),
        ("Tháng 12 hàng năm", "recurring", D(2025, 12, 1), D(2025, 12, 31)),
        ("Theo nhiệm kỳ", "event", None, None),
        ("Trước, trong và sau bầu cử", "event", None, None),
        ("", "unspecified", None, None),
        ("Truoc ngay 15/7/2025", "date", None, D(2025, 7, 15)),  # OCR without diacritics
    ],
)
def test_schedule_text_is_read_into_kind_and_dates(text, kind, start, due):
    parsed = parse_schedule(text, context_year=2025)
    assert (parsed.kind, parsed.start, parsed.due) == (kind, start, due)


def test_impossible_date_is_not_invented():
    assert parse_schedule("Trước ngày 31/2/2025", 2025).due is None
