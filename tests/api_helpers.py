"""Plain helpers for the API tests: a token per persona, the demo's reports, a client speaking JSON."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from chiso.accounts.models import Role, User
from chiso.api.models import TokenScope
from chiso.api.tokens import create_personal_token, create_system_token
from chiso.monitoring.models import ReportingPeriod, UnitReport
from chiso.monitoring.reports.services import open_report
from chiso.orgs.models import Province, Unit, UnitKind
from chiso.plans.models import Plan
from tests.conftest import USERNAMES
from tests.monitoring_helpers import quarter_three

PERSONAS = ["admin", "coordinator", "focal_point", "leader", "viewer", "system_read", "system_unit", "anonymous",
            "other_province"]


def other_province_coordinator() -> User:
    province, _ = Province.objects.get_or_create(code="tinh-khac-api", defaults={"name": "Tỉnh Khác"})
    unit, _ = Unit.objects.get_or_create(province=province, code="so-noi-vu",
                                         defaults={"name": "Sở Nội vụ tỉnh Khác", "kind": UnitKind.DEPARTMENT})
    user, _ = User.objects.get_or_create(username="dieuphoi.tinhkhac", defaults={
        "unit": unit, "role": Role.COORDINATOR, "first_name": "Khác", "last_name": "Điều phối"})
    return user


def token_for(persona: str) -> str | None:
    """A raw token of the persona: personal tokens for people, system tokens issued by the coordinator."""
    if persona == "anonymous":
        return None
    if persona == "other_province":
        return create_personal_token(other_province_coordinator(), "Tỉnh khác", 30)[1]
    coordinator = User.objects.get(username=USERNAMES["coordinator"])
    if persona == "system_read":
        return create_system_token(coordinator, "Cổng thông tin tỉnh", TokenScope.READ, None, 30)[1]
    if persona == "system_unit":
        unit = User.objects.get(username=USERNAMES["focal_point"]).unit
        return create_system_token(coordinator, "Phần mềm một cửa Minh Xuân", TokenScope.UNIT_REPORTS, unit, 30)[1]
    return create_personal_token(User.objects.get(username=USERNAMES[persona]), f"Khóa {persona}", 30)[1]


class ApiClient:
    def __init__(self, raw: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {raw}"} if raw else {}

    def get(self, url: str, **headers: str) -> Any:
        return self.client.get(url, headers={**self.headers, **headers})

    def put(self, url: str, data: dict[str, Any]) -> Any:
        return self.client.put(url, json.dumps(data), content_type="application/json", headers=self.headers)

    def post(self, url: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.post(url, data or {}, headers=self.headers)


def api_for(persona: str) -> ApiClient:
    return ApiClient(token_for(persona))


def reports(plan: Plan) -> tuple[ReportingPeriod, UnitReport, UnitReport]:
    """Quarter III: Minh Xuân's report (the focal point's unit) and Hà Giang 1's (another commune)."""
    period = quarter_three(plan)
    minhxuan = User.objects.get(username=USERNAMES["focal_point"])
    hagiang = User.objects.get(username=USERNAMES["other_commune"])
    return (period, open_report(period, minhxuan.unit, minhxuan), open_report(period, hagiang.unit, hagiang))
