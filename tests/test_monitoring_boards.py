"""The unit dashboard, the emulation ranking (thi đua) with its weights, and the leadership page of an index:
who sees what, what they show of late tasks and reports, and their query bounds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from chiso.monitoring.emulation import emulation_table
from chiso.monitoring.models import EmulationWeights, ReportingPeriod, UnitReport
from chiso.monitoring.services import accept_report, submit_report
from chiso.plans.models import Assignment
from tests.conftest import client_for
from tests.monitoring_helpers import minhxuan_report, user
from tests.test_queries import _add_tasks

ROLES = ["admin", "coordinator", "focal_point", "leader", "viewer", "other_commune", "anonymous"]


def _minhxuan_unit_id() -> int:
    return user("focal_point").unit_id


PAGES = {
    # Unit staff land on their unit's page; the province's people on the ranking.
    "my_unit": ("/theo-doi/don-vi/", {"admin": 302, "coordinator": 302, "viewer": 302, "focal_point": 200,
                                      "leader": 200, "other_commune": 200, "anonymous": 302}),
    # Minh Xuân's page: its own staff and the province; another commune learns nothing.
    "minhxuan": ("/theo-doi/don-vi/{unit}/", {"admin": 200, "coordinator": 200, "viewer": 200, "focal_point": 200,
                                               "leader": 200, "other_commune": 404, "anonymous": 302}),
    # The ranking is open to the whole province; its weights are the coordinators'.
    "ranking": ("/theo-doi/thi-dua/", dict.fromkeys(ROLES, 200) | {"anonymous": 302}),
    "weights": ("/theo-doi/thi-dua/cach-tinh/", dict.fromkeys(ROLES, 403) | {"admin": 200, "coordinator": 200,
                                                                             "anonymous": 302}),
    # The leadership page: province leadership and coordinators, not the units.
    "index": ("/theo-doi/chi-so/PAPI/", dict.fromkeys(ROLES, 403) | {"admin": 200, "coordinator": 200,
                                                                      "viewer": 200, "anonymous": 302}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_dashboard_page_answers_each_role_as_its_rights_allow(demo_plan, role):
    client = client_for(role)
    failures = []
    for name, (url, expected) in PAGES.items():
        status = client.get(url.format(unit=_minhxuan_unit_id())).status_code
        if status != expected[role]:
            failures.append(f"{name}: {status} != {expected[role]}")
    assert not failures, failures
