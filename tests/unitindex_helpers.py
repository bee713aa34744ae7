"""Small factories for the unit-index tests: a tree of 3 fields, 8 criteria and 15 component criteria
(with choices, a not-applicable criterion, survey criteria, bonus and penalty), units, users and a round."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from chiso.accounts.models import Role, User
from chiso.frameworks.models import Framework, IndexKind, Node
from chiso.orgs.models import Province, Unit, UnitKind
from chiso.unitindex.models import CriterionDetail, Method, Round, Stage, TreeSettings, UnitType
from chiso.unitindex.services import open_round

D = Decimal
# code, name, max, method, choices, not-applicable allowed; fields and criteria carry the sum of their parts.
TREE = [
    ("I", "Công tác chỉ đạo, điều hành CCHC", "12", None),
    ("TC 1.1", "Kế hoạch CCHC năm", "4", None),
    ("TCTP 1.1.1", "Ban hành kế hoạch đúng hạn", "2", (Method.SELF, ["0", "1", "2"], False)),
    ("TCTP 1.1.2", "Mức độ hoàn thành kế hoạch", "2", (Method.SELF, [], False)),
    ("TC 1.2", "Báo cáo CCHC", "4", None),
    ("TCTP 1.2.1", "Báo cáo đủ, đúng hạn", "2", (Method.SELF, [], False)),
    ("TCTP 1.2.2", "Kiểm tra CCHC các đơn vị trực thuộc", "2", (Method.SELF, [], True)),
    ("TC 1.3", "Tuyên truyền CCHC", "4", None),
    ("TCTP 1.3.1", "Thực hiện kế hoạch tuyên truyền", "4", (Method.SELF, [], False)),
    ("II", "Cải cách thủ tục hành chính", "14", None),
    ("TC 2.1", "Công bố, công khai TTHC", "6", None),
    ("TCTP 2.1.1", "Công bố TTHC đúng hạn", "2", (Method.SELF, [], False)),
    ("TCTP 2.1.2", "Công khai TTHC trên cổng", "2", (Method.SELF, [], False)),
    ("TCTP 2.1.3", "Cập nhật cơ sở dữ liệu TTHC", "2", (Method.SELF, [], False)),
    ("TC 2.2", "Giải quyết hồ sơ đúng hạn", "4", None),
    ("TCTP 2.2.1", "Tỷ lệ hồ sơ giải quyết đúng hạn", "4", (Method.SELF, ["0", "2", "4"], False)),
    ("TC 2.3", "Tiếp nhận phản ánh, kiến nghị", "4", None),
    ("TCTP 2.3.1", "Xử lý phản ánh đúng hạn", "2", (Method.SELF, [], False)),
    ("TCTP 2.3.2", "Công khai kết quả xử lý", "2", (Method.SELF, [], False)),
    ("III", "Mức độ hài lòng của người dân, tổ chức", "14", None),
    ("TC 3.1", "Tiếp cận dịch vụ", "8", None),
    ("TCTP 3.1.1", "Hài lòng về tiếp cận", "4", (Method.SURVEY, [], False)),
    ("TCTP 3.1.2", "Hài lòng về thủ tục", "4", (Method.SURVEY, [], False)),
    ("TC 3.2", "Kết quả dịch vụ", "6", None),
    ("TCTP 3.2.1", "Hài lòng về công chức", "3", (Method.SURVEY, [], False)),
    ("TCTP 3.2.2", "Hài lòng về kết quả", "3", (Method.SURVEY, [], False)),
]
SELF_CODES = [code for code, _n, _m, spec in TREE if spec and spec[0] == Method.SELF]
SURVEY_CODES = [code for code, _n, _m, spec in TREE if spec and spec[0] == Method.SURVEY]


def depth_of(code: str) -> int:
    return 0 if not code.startswith("TC") else (1 if code.startswith("TC ") else 2)


def make_tree(province: Province, slug: str = "cchc-so-test", total: str = "40") -> Framework:
    framework = Framework.objects.create(index=IndexKind.OTHER, slug=slug, name_vi="Bộ tiêu chí CCHC thử nghiệm",
                                         version="2025", valid_from=2025, province=province, total_max=D(total),
                                         levels=[{"vi": "Lĩnh vực"}, {"vi": "Tiêu chí"}, {"vi": "Tiêu chí thành phần"}])
    parents: dict[int, Node] = {}
    for position, (code, name, maximum, spec) in enumerate(TREE):
        depth = depth_of(code)
        node = Node.objects.create(framework=framework, parent=parents.get(depth - 1), code=code, depth=depth,
                                   position=position, name_vi=name, max_points=D(maximum))
        parents[depth] = node
        if spec:
            CriterionDetail.objects.create(node=node, method=spec[0], choices=spec[1], allows_not_applicable=spec[2],
                                           rule_text=f"Đạt: {maximum} điểm", explanation_required=False)
    TreeSettings.objects.create(framework=framework, bonus_max=D(2), penalty_max=D(2))
    return framework


def make_unit(province: Province, code: str, name: str, kind: str) -> Unit:
    return Unit.objects.create(province=province, code=code, name=name, kind=kind)


def make_user(username: str, role: str, unit: Unit) -> User:
    return User.objects.create(username=username, role=role, unit=unit, last_name=username)


def deadlines(start: dt.datetime | None = None) -> dict[str, dt.datetime]:
    start = start or timezone.now()
    return {stage: start + dt.timedelta(days=10 * (i + 1)) for i, stage in enumerate(Stage)}


def make_round(province: Province, framework: Framework, units: list[Unit], year: int = 2025) -> Round:
    departments = [u for u in units if u.kind == UnitKind.DEPARTMENT]
    trees = {UnitType.DEPARTMENTS: framework} if departments else {}
    if len(departments) < len(units):
        trees[UnitType.COMMUNES] = framework
    return open_round(province=province, year=year, name=f"Chỉ số CCHC năm {year}", trees=trees, units=units,
                      deadlines=deadlines())


def demo_province() -> Province:
    return Province.objects.get(code="tuyen-quang")


COORDINATOR = Role.COORDINATOR
