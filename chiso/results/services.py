"""Writing results: one result from the tree-shaped form, or many from a CSV/XLSX file in the
template chiso exports. Every value is checked against its node's maximum; a file with one bad line
saves nothing and every error names its line. An empty cell means "not published": it removes the
score, never records a zero."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from chiso.accounts.models import User
from chiso.core.history import record_as
from chiso.core.locking import StaleEdit, claim_version
from chiso.core.numbers import vn_number
from chiso.core.tabular import ImportRejected, header_map, read_table
from chiso.core.text import fold
from chiso.frameworks.models import Framework, Node
from chiso.orgs.models import Province, Unit
from chiso.orgs.provinces import ProvinceNames
from chiso.results.models import Group, Origin, Result, Score
from chiso.results.permissions import editable_province_ids

TOTAL_CODE = "TONG"
MAX_ROWS = 20000
COLUMNS = {
    "subject": ("doi tuong", "tinh", "tinh, thanh pho", "don vi", "subject", "province", "unit"),
    "code": ("ma", "ma tieu chi", "ma noi dung", "code", "node"),
    "name": ("ten", "ten tieu chi", "noi dung", "name"),
    "max": ("diem toi da", "max"),
    "value": ("diem", "gia tri", "score", "value"),
    "rank": ("xep hang", "thu hang", "rank"),
    "rank_of": ("tren tong so", "so tinh", "rank of"),
    "group": ("nhom", "group"),
}
REQUIRED = ("subject", "code", "value")


# Scores are stored with 4 decimals and 9 digits: anything larger is a typing error, not a published figure.
MAX_VALUE = Decimal("99999.9999")
PLACES = Decimal("0.0001")


@dataclass
class ResultData:
    framework: Framework
    year: int
    province: Province
    unit: Unit | None = None
    total: Decimal | None = None
    rank: int | None = None
    rank_of: int | None = None
    group: int | None = None
    source: str = ""
    # False when an import file has no total line for this subject: total, rank and group stay as they are.
    header_given: bool = True
    scores: dict[int, Decimal | None] = field(default_factory=dict)  # node id → value; None removes it


class ResultConflict(Exception):
    """The result cannot exist as asked: outside the framework's years, a province not on that year's map,
    or the same subject already has a result of the index that year under another framework."""


def subject_error(framework: Framework, year: int, province: Province, unit: Unit | None) -> str | None:
    if (framework.valid_from and year < framework.valid_from) or (framework.valid_to and year > framework.valid_to):
        return _("Bộ chỉ số %(framework)s áp dụng cho các năm %(start)s–%(end)s, không áp dụng cho năm %(year)s.") % {
            "framework": framework.name_vi, "start": framework.valid_from or "", "end": framework.valid_to or "",
            "year": year}
    if unit is None and not province.on_map_in(year):
        return _("%(name)s không có trên bản đồ hành chính cuối năm %(year)s.") % {"name": province.name, "year": year}
    other = Result.objects.filter(framework__index=framework.index, year=year, province=province, unit=unit).exclude(
        framework=framework).select_related("framework").first()
    if other is not None:
        return _("Đã có kết quả %(index)s năm %(year)s của %(name)s theo bộ chỉ số «%(other)s».") % {
            "index": framework.get_index_display(), "year": year, "name": unit.name if unit else province.name,
            "other": other.framework.name_vi}
    return None


def score_error(node: Node, value: Decimal) -> str | None:
    if value < 0:
        return _("%(code)s: điểm không được âm.") % {"code": node.code}
    if abs(value) > MAX_VALUE:
        return _("%(code)s: %(value)s quá lớn.") % {"code": node.code, "value": vn_number(value)}
    if node.max_points is not None and value > node.max_points:
        return _("%(code)s: %(value)s vượt điểm tối đa %(max)s.") % {
            "code": node.code, "value": vn_number(value), "max": vn_number(node.max_points)}
    return None


def total_error(framework: Framework, total: Decimal | None) -> str | None:
    if total is None:
        return None
    if total < 0:
        return _("Tổng điểm không được âm.")
    if abs(total) > MAX_VALUE:
        return _("Tổng điểm %(value)s quá lớn.") % {"value": vn_number(total)}
    if framework.total_max is not None and total > framework.total_max:
        return _("Tổng điểm %(value)s vượt điểm tối đa %(max)s.") % {
            "value": vn_number(total), "max": vn_number(framework.total_max)}
    return None


HEADER_FIELDS = ("total", "rank", "rank_of", "group")


@transaction.atomic
def save_result(data: ResultData, user: User | None, *, result: Result | None = None,
                expected_version: int | None = None, origin: str = Origin.ENTERED,
                create_only: bool = False) -> Result:
    """Create or update one result and its scores in one transaction, changing only what differs.

    An edit passes the version its form was opened with (StaleEdit if someone saved since); a new
    result from the form passes create_only (StaleEdit if someone created it meanwhile); an import
    updates what it finds. Raises ResultConflict for a result that cannot exist."""
    if result is None:
        result = Result.objects.filter(framework=data.framework, year=data.year, province=data.province,
                                       unit=data.unit).first()
        if result is not None and create_only:
            raise StaleEdit
        if result is not None and expected_version is None:
            expected_version = result.lock_version
    problem = subject_error(data.framework, data.year, data.province, data.unit)
    if problem:
        raise ResultConflict(problem)
    header = {name: getattr(data, name) for name in HEADER_FIELDS} if data.header_given else {}
    if data.source:
        header["source"] = data.source
    existing = {s.node_id: s for s in result.scores.all()} if result is not None else {}
    score_changes = {node_id: value for node_id, value in data.scores.items()
                     if (existing[node_id].value if node_id in existing else None) != value}
    header_changes = {name: value for name, value in header.items()
                      if result is None or getattr(result, name) != value}
    if result is not None and not score_changes and not header_changes:
        return result  # nothing moved: the origin, history and version stay as they were
    if result is not None and expected_version is not None:
        claim_version(result, expected_version)
    if result is None:
        result = Result(framework=data.framework, year=data.year, province=data.province, unit=data.unit)
    for name, value in header_changes.items():
        setattr(result, name, value)
    result.origin = origin
    result.updated_by = user
    record_as(result, user)
    result.save()
    for node_id, value in score_changes.items():
        score = existing.get(node_id)
        if value is None:
            if score is not None:
                record_as(score, user)
                score.delete()
        elif score is None:
            created = Score(result=result, node_id=node_id, value=value)
            record_as(created, user)
            created.save()
        else:
            score.value = value
            record_as(score, user)
            score.save()
    return result


def parse_decimal(raw: Any) -> Decimal | None:
    """'42,153', '42.153', 42.153 → Decimal rounded to 4 places (spreadsheet floats such as
    4.858099999 come back as published); '' → None. Raises ValueError on anything else."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, (int, float, Decimal)):
        text = str(raw)
    else:
        text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            return None
        if "," in text and "." in text:  # 1.234,5 (Vietnamese) or 1,234.5
            text = text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".") else text.replace(",", "")
        else:
            text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value.quantize(PLACES, ROUND_HALF_UP) if abs(value) <= MAX_VALUE else value


def _parse_int(raw: Any) -> int | None:
    value = parse_decimal(raw)
    if value is None:
        return None
    if value != value.to_integral_value() or value < 1:
        raise ValueError(raw)
    return int(value)


@dataclass
class ImportSummary:
    results: int
    scores: int


class _Subjects:
    """Resolves the subject column: a province (name, alias or code, on that year's map) or a unit of
    the importing user's province (code or name)."""

    def __init__(self, user: User, year: int):
        self.year = year
        self.provinces = ProvinceNames(list(Province.objects.all()))
        self.allowed = editable_province_ids(user)
        self.units: dict[str, Unit] = {}
        if user.province_id:
            for unit in Unit.objects.filter(province_id=user.province_id):
                self.units.setdefault(fold(unit.code), unit)
                self.units.setdefault(fold(unit.name), unit)
                if unit.short_name:
                    self.units.setdefault(fold(unit.short_name), unit)
        self.user = user

    def resolve(self, text: str) -> tuple[Province, Unit | None] | str:
        province = self.provinces.find(text, self.year)
        if province is not None:
            if province.pk not in self.allowed:
                return _("không có quyền nhập kết quả của «%(name)s».") % {"name": province.name}
            return province, None
        unit = self.units.get(fold(text))
        if unit is not None and (self.user.is_instance_admin or self.user.is_coordinator):
            return unit.province, unit
        return _("không tìm thấy tỉnh hoặc đơn vị «%(name)s».") % {"name": text}


TOTAL_WORDS = {fold(TOTAL_CODE), "tong", "tong diem", "total"}


def import_results(upload: IO[bytes], filename: str, framework: Framework, year: int, user: User,
                   source: str = "") -> ImportSummary:
    """All-or-nothing import of one framework's results for one year: parse the file, validate every line
    (ImportRejected lists every bad one), then save in one transaction. Only what the file says changes: a
    subject without a total line keeps its published total, rank and group; a node without a line keeps its
    score; an empty score cell removes it."""
    rows, header = _read_result_table(upload, filename)
    collected = parse_result_rows(rows, header, framework, year, user, source)
    return save_imported_results(collected, framework, year, user)


def _read_result_table(upload: IO[bytes], filename: str) -> tuple[list[list[Any]], dict[str, int]]:
    """The file's rows and where each known column stands in its heading row."""
    rows = read_table(upload, filename, max_bytes=settings.CHISO_RESULT_IMPORT_MAX_BYTES, max_rows=MAX_ROWS)
    if not rows:
        raise ImportRejected([_("Tệp không có dữ liệu.")])
    header = header_map(rows[0], COLUMNS)
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportRejected([_("Thiếu cột bắt buộc: %(cols)s. Hãy dùng tệp mẫu tải từ chiso.") % {
            "cols": ", ".join({"subject": "Đối tượng", "code": "Mã", "value": "Điểm"}[m] for m in missing)}])
    return rows, header


def parse_result_rows(rows: list[list[Any]], header: dict[str, int], framework: Framework, year: int, user: User,
                      source: str = "") -> list[ResultData]:
    """Validate every line into one ResultData per subject; raise ImportRejected listing every problem."""
    width = max(position for position, cell in enumerate(rows[0]) if str(cell or "").strip()) + 1
    lines = _ResultLines(header, framework, year, user, source)
    for line, row in enumerate(rows[1:], start=2):
        if not any(str(c).strip() for c in row if c is not None):
            continue
        if any(str(c).strip() for c in row[width:] if c is not None):
            lines.errors.append(_("Dòng %(line)s: có nhiều ô hơn dòng tiêu đề. Nếu số dùng dấu phẩy thập phân trong "
                                  "tệp CSV phân cách bằng dấu phẩy, hãy đặt số trong ngoặc kép hoặc dùng dấu chấm phẩy "
                                  "(;) để phân cách.") % {"line": line})
            continue
        lines.read(line, row)
    lines.check_subjects()
    if lines.errors:
        raise ImportRejected(lines.errors)
    return list(lines.collected.values())


class _ResultLines:
    """Reads the lines of a result file one by one, collecting each subject's figures and every error."""

    def __init__(self, header: dict[str, int], framework: Framework, year: int, user: User, source: str):
        self.header, self.framework, self.year, self.source = header, framework, year, source
        self.nodes = {fold(n.code): n for n in framework.nodes.all()}
        self.subjects = _Subjects(user, year)
        self.errors: list[str] = []
        self.seen: dict[tuple[int, int | None, str], int] = {}
        self.collected: dict[tuple[Province, Unit | None], ResultData] = {}
        self.first_line: dict[tuple[Province, Unit | None], int] = {}

    def cell(self, row: list[Any], column: str) -> Any:
        position = self.header.get(column)
        return row[position] if position is not None and position < len(row) else None

    def problem(self, line: int, why: str) -> None:
        self.errors.append(_("Dòng %(line)s: %(why)s") % {"line": line, "why": why})

    def read(self, line: int, row: list[Any]) -> None:
        subject_text = str(self.cell(row, "subject") or "").strip()
        code = str(self.cell(row, "code") or "").strip()
        if not subject_text or not code:
            self.errors.append(_("Dòng %(line)s: thiếu đối tượng hoặc mã.") % {"line": line})
            return
        resolved = self.subjects.resolve(subject_text)
        if isinstance(resolved, str):
            self.problem(line, resolved)
            return
        province, unit = resolved
        is_total = fold(code) in TOTAL_WORDS
        key = (province.pk, unit.pk if unit else None, TOTAL_CODE if is_total else fold(code))
        if key in self.seen:
            self.errors.append(_("Dòng %(line)s: trùng với dòng %(first)s (cùng đối tượng và mã %(code)s).") % {
                "line": line, "first": self.seen[key], "code": code})
            return
        self.seen[key] = line
        data = self.collected.setdefault((province, unit), ResultData(
            self.framework, self.year, province, unit, source=self.source, header_given=False))
        self.first_line.setdefault((province, unit), line)
        try:
            value = parse_decimal(self.cell(row, "value"))
        except ValueError:
            self.errors.append(_("Dòng %(line)s: điểm «%(raw)s» không phải là số.") % {
                "line": line, "raw": self.cell(row, "value")})
            return
        if is_total:
            self.read_total(line, row, data, value)
        else:
            self.read_score(line, code, data, value)

    def read_total(self, line: int, row: list[Any], data: ResultData, value: Decimal | None) -> None:
        problem = total_error(self.framework, value)
        try:
            data.rank = _parse_int(self.cell(row, "rank"))
            data.rank_of = _parse_int(self.cell(row, "rank_of"))
            data.group = _parse_int(self.cell(row, "group"))
        except ValueError:
            self.errors.append(_("Dòng %(line)s: xếp hạng, tổng số hoặc nhóm phải là số nguyên dương.") % {"line": line})
            return
        data.total = value
        data.header_given = True
        if data.group is not None and data.group not in Group.values:
            problem = problem or _("nhóm phải từ 1 đến 4.")
        if data.rank and data.rank_of and data.rank > data.rank_of:
            problem = problem or _("thứ hạng lớn hơn tổng số.")
        if problem:
            self.problem(line, problem)

    def read_score(self, line: int, code: str, data: ResultData, value: Decimal | None) -> None:
        node = self.nodes.get(fold(code))
        if node is None:
            self.errors.append(_("Dòng %(line)s: mã «%(code)s» không có trong bộ chỉ số %(framework)s.") % {
                "line": line, "code": code, "framework": self.framework.name_vi})
            return
        problem = score_error(node, value) if value is not None else None
        if problem:
            self.problem(line, problem)
            return
        data.scores[node.pk] = value

    def check_subjects(self) -> None:
        for (province, unit), line in self.first_line.items():
            problem = subject_error(self.framework, self.year, province, unit)
            if problem:
                self.problem(line, problem)


def save_imported_results(collected: list[ResultData], framework: Framework, year: int, user: User) -> ImportSummary:
    """Save every subject that has figures (or already has a result) in one transaction."""
    existing = set(Result.objects.filter(framework=framework, year=year).values_list("province_id", "unit_id"))
    # A template line left blank for a subject chiso has nothing on is not a result: don't create an empty one.
    to_save = [data for data in collected
               if _has_figures(data) or (data.province.pk, data.unit.pk if data.unit else None) in existing]
    if not to_save:
        raise ImportRejected([_("Tệp không có điểm nào để nhập.")])
    versions: dict[tuple[int, int | None], int] = dict(((p, u), v) for p, u, v in Result.objects.filter(framework=framework, year=year).values_list(
        "province_id", "unit_id", "lock_version"))
    changed = 0
    with transaction.atomic():
        for data in to_save:
            saved = save_result(data, user, origin=Origin.IMPORTED)
            changed += versions.get((saved.province_id, saved.unit_id)) != saved.lock_version
    return ImportSummary(results=changed, scores=sum(
        1 for data in to_save for value in data.scores.values() if value is not None))


def _has_figures(data: ResultData) -> bool:
    return (data.total is not None or data.rank is not None or data.group is not None
            or any(value is not None for value in data.scores.values()))


def template_workbook(framework: Framework, year: int, subjects: list[tuple[str, Result | None]]) -> bytes:
    """The import template, pre-filled: one line per subject and node (plus its total line), with the
    values already in chiso. Re-importing it unchanged changes nothing."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    nodes = list(framework.nodes.order_by("position"))
    scores: dict[int, dict[int, Decimal]] = defaultdict(dict)
    result_ids = [r.pk for _, r in subjects if r is not None]
    for result_id, node_id, value in Score.objects.filter(result_id__in=result_ids).values_list(
            "result_id", "node_id", "value"):
        scores[result_id][node_id] = value
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{framework.get_index_display()} {year}"[:31]
    headings = ["Đối tượng", "Mã", "Tên tiêu chí", "Điểm tối đa", "Điểm", "Xếp hạng", "Trên tổng số", "Nhóm"]
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for name, result in subjects:
        own = scores.get(result.pk, {}) if result else {}
        sheet.append([name, TOTAL_CODE, "Tổng điểm", _number(framework.total_max),
                      _number(result.total if result else None), result.rank if result else None,
                      result.rank_of if result else None, result.group if result else None])
        for node in nodes:
            sheet.append([name, node.code, "  " * node.depth + node.name_vi, _number(node.max_points),
                          _number(own.get(node.pk)), None, None, None])
    for column, width in zip("ABCDEFGH", (28, 8, 60, 12, 10, 10, 12, 8), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("Hướng dẫn")
    for line in (
        f"Bộ chỉ số: {framework.name_vi} ({framework.slug}); năm đánh giá: {year}.",
        "Mỗi dòng là điểm của một đối tượng (tỉnh, thành phố hoặc đơn vị) ở một tiêu chí (cột Mã).",
        f"Dòng có Mã = {TOTAL_CODE} ghi tổng điểm công bố, xếp hạng, tổng số tỉnh/đơn vị được xếp hạng và nhóm (1–4).",
        "Ô điểm để trống nghĩa là chưa công bố: chiso không coi là 0.",
        "Số thập phân dùng dấu phẩy hoặc dấu chấm (42,153 hoặc 42.153). Điểm không được vượt điểm tối đa.",
        "Cột Tên tiêu chí và Điểm tối đa chỉ để đối chiếu, chiso không đọc.",
        "Tệp có lỗi ở bất kỳ dòng nào sẽ không được nhận; danh sách lỗi ghi rõ số dòng.",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
