"""Survey points (điều tra xã hội học) of a round from a sheet: the template lists every unit and survey
criterion; the upload is checked whole (unit, criterion, points within the maximum) before anything is saved."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from chiso.accounts.models import User
from chiso.core.tabular import ImportRejected, header_map, read_table
from chiso.unitindex.appraisal import set_survey_points
from chiso.unitindex.importing.tree_reader import parse_points
from chiso.unitindex.models import Entry, Method, Round
from chiso.unitindex.scoring import ScoreRejected, check_score

COLUMNS = {"unit_code": ("ma don vi",), "unit": ("don vi", "ten don vi"), "code": ("ma tieu chi",),
           "name": ("tieu chi",), "points": ("diem", "diem dieu tra")}
HEADINGS = ["Mã đơn vị", "Đơn vị", "Mã tiêu chí", "Tiêu chí", "Điểm tối đa", "Điểm"]


def survey_entries(round_: Round) -> list[Entry]:
    return list(Entry.objects.filter(participant__round=round_, node__criterion__method=Method.SURVEY)
                .select_related("participant__unit", "node__criterion").order_by("participant__unit__name",
                                                                                 "node__position"))


def template_xlsx(round_: Round) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Điểm điều tra"
    sheet.append(HEADINGS)
    for entry in survey_entries(round_):
        sheet.append([entry.participant.unit.code, entry.participant.unit.name, entry.node.code, entry.node.name_vi,
                      float(entry.node.max_points or 0), float(entry.final_score) if entry.final_score is not None else None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class SurveyLine:
    unit_code: str
    unit_name: str
    code: str
    points: Decimal


def read_survey(round_: Round, upload: IO[bytes], filename: str) -> list[SurveyLine]:
    rows = read_table(upload, filename, max_bytes=2 * 1024 * 1024, max_rows=20000)
    if not rows:
        raise ImportRejected([_("Tệp rỗng.")])
    columns = header_map(rows[0], COLUMNS)
    if not {"unit_code", "code", "points"} <= columns.keys():
        raise ImportRejected([_("Cần các cột: Mã đơn vị, Mã tiêu chí, Điểm (tải mẫu để xem).")])
    entries = {(e.participant.unit.code, e.node.code): e for e in survey_entries(round_)}
    lines, errors = [], []
    for number, row in enumerate(rows[1:], start=2):
        def cell(key: str, row: list[object] = row) -> object:
            return row[columns[key]] if columns[key] < len(row) else None
        unit_code, code = str(cell("unit_code") or "").strip(), str(cell("code") or "").strip()
        if not unit_code and not code:
            continue
        entry = entries.get((unit_code, code))
        try:
            points = parse_points(cell("points"))
            if entry is None:
                raise ScoreRejected(_("đơn vị “%(unit)s” hoặc tiêu chí “%(code)s” không có trong đợt.") % {
                    "unit": unit_code, "code": code})
            if points is None:
                continue
            check_score(entry.node, points)
        except (ValueError, ScoreRejected) as error:
            errors.append(_("Dòng %(n)s: %(error)s") % {"n": number, "error": str(error) if isinstance(
                error, ScoreRejected) else _("điểm không phải là số.")})
            continue
        lines.append(SurveyLine(unit_code, entry.participant.unit.name, code, points))
    if errors:
        raise ImportRejected(errors)
    return lines


@transaction.atomic
def save_survey(round_: Round, lines: list[SurveyLine], *, by: User) -> int:
    by_unit: dict[str, dict[str, Decimal]] = {}
    for line in lines:
        by_unit.setdefault(line.unit_code, {})[line.code] = line.points
    for sheet in round_.participants.select_related("unit").filter(unit__code__in=by_unit):
        set_survey_points(sheet, by_unit[sheet.unit.code], by=by)
    return len(lines)
