"""Test personas come from the demo province (Tuyên Quang), loaded once into the test database:

- quantri (admin): everything, every province.
- dieuphoi (coordinator, Sở Nội vụ): sees and changes the whole province.
- daumoi.minhxuan (focal point, phường Minh Xuân): edits its own unit's draft plan only.
- lanhdao.minhxuan (leader, phường Minh Xuân): approves and sends its unit's plan.
- daumoi.hagiang1 (focal point of another ward): the outsider to Minh Xuân's drafts.
- lanhdaotinh (viewer, UBND tỉnh): reads everything in the province, changes nothing.
"""

from __future__ import annotations

import pytest
from django.test import Client

from chiso.accounts.models import User
from chiso.demo.loader import load_demo
from chiso.plans.models import Plan, PlanStatus

ROLES = ["admin", "coordinator", "focal_point", "leader", "viewer", "anonymous"]
USERNAMES = {
    "admin": "quantri", "coordinator": "dieuphoi", "focal_point": "daumoi.minhxuan",
    "leader": "lanhdao.minhxuan", "viewer": "lanhdaotinh", "other_commune": "daumoi.hagiang1",
    "department_focal_point": "daumoi.skhcn",
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        load_demo()


def client_for(role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(User.objects.get(username=USERNAMES[role]))
    return client


@pytest.fixture
def demo_plan(db) -> Plan:  # type: ignore[no-untyped-def]
    return Plan.objects.get(province__code="tuyen-quang", parent__isnull=True, status=PlanStatus.ISSUED)


def task_edit_form(task, **changes):  # type: ignore[no-untyped-def]
    """The task editor's form as it is posted back: what the page shows, with the given changes."""
    from chiso.plans.forms import TaskForm

    data = {key: "" if value is None else value for key, value in TaskForm.initial_for(task).items()}
    data.update(changes)
    return data
