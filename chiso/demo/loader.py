"""Loads the demo province: Tuyên Quang after the 1/7/2025 merger, its real units, and the real
plan of 2025 (every row of its three appendices) transcribed from the sample document.

Idempotent: running it again leaves an existing demo as it is."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from chiso.accounts.models import Role, User
from chiso.frameworks.models import Framework, Node
from chiso.monitoring.models import LineStatus
from chiso.monitoring.periods import generate_periods
from chiso.monitoring.reports.services import LineData, accept_report, open_report, save_line, submit_report
from chiso.orgs.matching import AgencyMatcher
from chiso.orgs.models import Province, Unit
from chiso.orgs.services import import_units, seed_groups
from chiso.plans.models import Plan, PlanStatus, PlanTarget, ReportingRule, ReportKind
from chiso.plans.services import TaskData, save_task
from chiso.results.builtin import load_reference_data

DATA = Path(__file__).resolve().parent / "data"
GROUPS_FILE = Path(__file__).resolve().parent.parent / "orgs" / "data" / "groups.yaml"
PLAN_FILE = DATA / "plans" / "tuyen-quang-2025.yaml"
UNITS_FILE = DATA / "units" / "tuyen-quang.csv"
DEMO_PASSWORD = "chiso-demo-2025"
# Which framework version each appendix of the 2025 plan is written against.
FRAMEWORK_FOR_INDEX = {"PAR_INDEX": "par-index-province-2022", "PAPI": "papi-2021", "SIPAS": "sipas-2022"}

DEMO_USERS = [
    # username, role, unit code, full name
    ("quantri", Role.ADMIN, "so-noi-vu", "Quản trị hệ thống"),
    ("dieuphoi", Role.COORDINATOR, "so-noi-vu", "Nguyễn Thị Hà (Sở Nội vụ)"),
    ("daumoi.skhcn", Role.FOCAL_POINT, "so-khoa-hoc-va-cong-nghe", "Trần Văn Minh (Sở KH&CN)"),
    ("lanhdao.skhcn", Role.LEADER, "so-khoa-hoc-va-cong-nghe", "Lê Quang Huy (Giám đốc Sở KH&CN)"),
    ("daumoi.minhxuan", Role.FOCAL_POINT, "phuong-minh-xuan", "Hoàng Thị Lan (UBND phường Minh Xuân)"),
    ("lanhdao.minhxuan", Role.LEADER, "phuong-minh-xuan", "Đặng Văn Tùng (Chủ tịch UBND phường Minh Xuân)"),
    ("daumoi.hagiang1", Role.FOCAL_POINT, "phuong-ha-giang-1", "Vương Thị Mai (UBND phường Hà Giang 1)"),
    ("lanhdaotinh", Role.VIEWER, "ubnd-tinh", "Lãnh đạo UBND tỉnh"),
    ("thamdinh", Role.APPRAISER, "so-noi-vu", "Phạm Văn Đức (Hội đồng thẩm định Chỉ số CCHC)"),
]
# The unit index's demonstration round is for the plan's year; the year before is published.
UNIT_INDEX_YEAR = 2025


class DemoDataError(Exception):
    pass


@dataclass
class DemoResult:
    province: Province
    plan: Plan
    created: bool
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


_OLD_PLAN = re.compile(r"Kế hoạch số (?P<number>\d+)/(?P<symbol>[\w-]+) ngày (?P<d>\d+)/(?P<m>\d+)/(?P<y>\d{4}) "
                       r"của (?P<issuer>.+?) về (?P<title>.+)$")


@transaction.atomic
def load_demo() -> DemoResult:
    load_reference_data()
    province = Province.objects.get(code="tuyen-quang")
    if province.units.exists():
        plan = Plan.objects.filter(province=province, parent__isnull=True, status=PlanStatus.ISSUED).first()
        if plan is None:
            raise DemoDataError("Demo province exists without its plan; delete the database and reload.")
        # A demo loaded before monitoring existed gets its reporting periods and reports once.
        if not plan.reporting_periods.exists():
            load_monitoring_demo(plan)
        # Likewise the unit index, with the appraiser it needs.
        if not province.index_rounds.exists():
            _users(province)
            _unit_index(province)
        return DemoResult(province, plan, created=False, logins=_logins())
    with UNITS_FILE.open("rb") as units_csv:
        import_units(province, units_csv, UNITS_FILE.name)
    seed_groups(province, yaml.safe_load(GROUPS_FILE.read_text(encoding="utf-8")))
    _users(province)
    plan = load_plan_file(province, PLAN_FILE)
    load_monitoring_demo(plan)
    _unit_index(province)
    return DemoResult(province, plan, created=True, logins=_logins())


def _unit_index(province: Province) -> None:
    from chiso.unitindex.demo import load_unitindex_demo

    load_unitindex_demo(province, UNIT_INDEX_YEAR, coordinator=User.objects.get(username="dieuphoi"),
                        appraiser=User.objects.get(username="thamdinh"))


def _users(province: Province) -> None:
    units = {u.code: u for u in Unit.objects.filter(province=province)}
    existing = set(User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).values_list("username", flat=True))
    for username, role, unit_code, full_name in DEMO_USERS:
        if username in existing:
            continue
        if unit_code not in units:
            raise DemoDataError(f"Demo user {username}: no unit {unit_code}")
        first, _, rest = full_name.partition(" ")
        user = User(username=username, role=role, unit=units[unit_code], first_name=rest, last_name=first,
                    is_staff=role == Role.ADMIN, email=f"{username}@tuyenquang.gov.vn")
        user.set_password(DEMO_PASSWORD)
        user.save()


def _logins() -> list[tuple[str, str, str]]:
    labels = dict(Role.choices)
    return [(username, DEMO_PASSWORD, f"{labels[role]} — {full_name}") for username, role, _, full_name in DEMO_USERS]


def load_plan_file(province: Province, path: Path) -> Plan:
    """Enter a transcribed plan (see data/plans/*.yaml) with every task, resolving nodes and units.
    Any node code or agency wording that does not resolve stops the load: the demo must be faithful."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    committee = Unit.objects.get(province=province, kind="province_committee")
    signer = data.get("signer") or {}
    body = "\n\n".join(f"{s['heading']}\n{s['text'].strip()}" for s in data.get("body_sections") or [])
    plan = Plan.objects.create(
        province=province, owner_unit=committee, issuer=data["issuer"], issuer_parent=data.get("issuer_parent") or "",
        number=data.get("number") or "", symbol=data.get("symbol") or "", place=data.get("place") or "",
        issued_on=_date(data.get("date")), title=data["title"], period_text=data.get("period_text") or "",
        period_start=_date(data.get("period_start")), period_end=_date(data.get("period_end")),
        legal_basis="\n".join(data.get("legal_basis") or []), preamble=(data.get("preamble") or "").strip(),
        purpose=(data.get("purpose") or "").strip(), body=body,
        implementation=(data.get("implementation") or "").strip(),
        recipients=list(data.get("recipients") or []),
        signer_on_behalf=signer.get("on_behalf") or "", signer_capacity=signer.get("capacity") or "",
        signer_title=signer.get("title") or "", signer_name=signer.get("name") or "",
        unit_plans_due=_date(data.get("derived_plan_deadline")), status=PlanStatus.ISSUED,
        source_note=str(data.get("source") or ""),
    )
    frameworks = {index: Framework.objects.get(slug=FRAMEWORK_FOR_INDEX[index]) for index in data["indices"]}
    plan.frameworks.set(frameworks.values())
    for order, target in enumerate(data.get("targets") or [], start=1):
        value = target.get("value")
        numeric = isinstance(value, int | float)
        PlanTarget.objects.create(
            plan=plan, text=target["text"], index=target.get("index") or "", kind=target.get("kind") or "free",
            comparator=target.get("comparator") or "", value=Decimal(str(value)) if numeric else None,
            value_text="" if numeric or value is None else str(value), year=target.get("year"), order=order,
        )
    for rule in data.get("reporting") or []:
        if rule["kind"] in {"quarterly", "six_monthly", "yearly", "ad_hoc"}:
            ReportingRule.objects.create(plan=plan, kind=rule["kind"], day=rule.get("day"), month=rule.get("month"),
                                         text=rule.get("deadline_text") or "")
    _replaced_plans(plan, committee, data.get("replaces") or [])
    _tasks(plan, frameworks, data["appendices"])
    return plan


def _replaced_plans(plan: Plan, committee: Unit, references: list[str]) -> None:
    for reference in references:
        match = _OLD_PLAN.match(reference.strip())
        if not match:
            continue
        old = Plan.objects.create(
            province=plan.province, owner_unit=committee, issuer=match["issuer"].upper(), number=match["number"],
            symbol=match["symbol"], place="", title=match["title"].rstrip("."),
            issued_on=dt.date(int(match["y"]), int(match["m"]), int(match["d"])),
            status=PlanStatus.SUPERSEDED, source_note=reference,
        )
        plan.replaces.add(old)


def _tasks(plan: Plan, frameworks: dict[str, Framework], appendices: list[dict[str, Any]]) -> None:
    matcher = AgencyMatcher(plan.province)
    order = 0
    problems: list[str] = []
    for appendix in appendices:
        framework = frameworks[appendix["index"]]
        nodes = {n.code: n for n in Node.objects.filter(framework=framework)}
        for row in appendix["tasks"]:
            order += 1
            where = f"phụ lục {appendix['number']}, TT {row.get('stt')}"
            node = nodes.get(str(row["node"]))
            if node is None:
                problems.append(f"{where}: unknown node {row['node']}")
                continue
            lead = matcher.resolve("; ".join(row.get("lead") or []))
            coordinating = matcher.resolve("; ".join(row.get("coordinating") or []))
            for wording in lead.unknown + coordinating.unknown:
                problems.append(f"{where}: unknown agency “{wording}”")
            save_task(plan, TaskData(
                content=row["content"].strip(), nodes=[node], lead_units=lead.units, lead_groups=lead.groups,
                coordinating_units=coordinating.units, coordinating_groups=coordinating.groups,
                target=row.get("target") or "", schedule_text=row.get("schedule") or "",
                outputs=row.get("output") or "", notes=row.get("note") or "", number=str(row.get("stt") or ""),
                group_heading=row.get("group") or "", lead_text=row.get("lead_text") or "",
                coordinating_text=row.get("coordinating_text") or "", order=order,
            ))
    if problems:
        raise DemoDataError("; ".join(problems))


# What Sở KH&CN reports on its first tasks in the third quarter: (status, progress, what was done).
_DEMO_LINES = [
    (LineStatus.DONE, 100, "Đã ban hành kế hoạch của Sở và phân công phòng chuyên môn theo dõi."),
    (LineStatus.IN_PROGRESS, 70, "Đã rà soát 42/60 thủ tục hành chính; dự kiến hoàn thành trong quý IV."),
    (LineStatus.IN_PROGRESS, 40, "Đang phối hợp Sở Nội vụ xây dựng bộ câu hỏi khảo sát."),
]


def load_monitoring_demo(plan: Plan) -> None:
    """The plan's reporting periods, and third-quarter reports that show the review flow: Sở KH&CN's
    accepted, phường Hà Giang 1's still a draft; phường Minh Xuân's is left for the visitor to write."""
    generate_periods(plan)
    quarter = plan.reporting_periods.filter(kind=ReportKind.QUARTERLY).order_by("due_date").first()
    if quarter is None:
        return
    users = {u.username: u for u in User.objects.filter(username__in=[
        "daumoi.skhcn", "lanhdao.skhcn", "dieuphoi", "daumoi.hagiang1"]).select_related("unit")}
    department = open_report(quarter, users["daumoi.skhcn"].own_unit, users["daumoi.skhcn"])
    lines = list(department.lines.order_by("assignment__task__order", "id"))
    for line, (status, progress, text) in zip(lines, _DEMO_LINES, strict=False):
        save_line(line, LineData(status=status, progress=progress, work_done=text), expected_version=line.lock_version)
    submit_report(department, users["lanhdao.skhcn"])
    accept_report(department, users["dieuphoi"], "Đạt yêu cầu; đề nghị gửi kèm minh chứng ở kỳ sau.", notify=False)
    commune = open_report(quarter, users["daumoi.hagiang1"].own_unit, users["daumoi.hagiang1"])
    first = commune.lines.order_by("assignment__task__order", "id").first()
    if first is not None:
        save_line(first, LineData(status=LineStatus.IN_PROGRESS, progress=30,
                                  work_done="Đang kiện toàn bộ phận một cửa của phường."),
                  expected_version=first.lock_version)
