"""Two people editing the same thing never overwrite each other: both open the form at the same version, the
first save wins, the second is answered 409 with a message and the first's edit is kept.

Plans, tasks, report lines, periods, emulation weights, results and import drafts are covered by their own
feature tests (test_tasks, test_monitoring_reports, test_monitoring_periods, test_monitoring_boards,
test_results, test_import_ui); this module covers framework nodes, units, unit groups and accounts."""

from __future__ import annotations

import pytest

from chiso.accounts.models import User
from chiso.frameworks.models import Framework
from chiso.orgs.models import Unit, UnitGroup
from tests.conftest import USERNAMES, client_for

STALE = "vừa được người khác cập nhật"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _province_framework_node():  # type: ignore[no-untyped-def]
    client = client_for("coordinator")
    source = Framework.objects.get(slug="papi-2021")
    client.post(f"/bo-chi-so/{source.pk}/sao-chep/", {"name_vi": "PAPI sửa song song", "version": "p", "valid_from": 2025})
    framework = Framework.objects.get(name_vi="PAPI sửa song song")
    return framework, framework.nodes.get(code="8.1")


def _node_form(node, **changes):  # type: ignore[no-untyped-def]
    return {"code": node.code, "name_vi": node.name_vi, "name_en": node.name_en, "max_points": "", "unit": "points",
            "scoring": "survey", "source": "", "confidence": "", "note": "", "parent_code": "8",
            "aliases_text": "", "lock_version": node.lock_version, **changes}


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_a_second_editor_of_a_framework_node_gets_409_and_the_first_edit_stays(htmx):
    framework, node = _province_framework_node()
    url = f"/bo-chi-so/{framework.pk}/noi-dung/{node.pk}/sua/"
    extra = HTMX if htmx else {}
    first, second = client_for("coordinator"), client_for("admin")
    assert first.post(url, _node_form(node, name_vi="Bản của người thứ nhất"), **extra).status_code in (204, 302)
    stale = second.post(url, _node_form(node, name_vi="Bản ghi đè"), **extra)
    assert stale.status_code == 409 and STALE in stale.content.decode()
    node.refresh_from_db()
    assert node.name_vi == "Bản của người thứ nhất"


@pytest.mark.django_db
def test_a_node_form_without_its_version_saves_nothing():
    framework, node = _province_framework_node()
    form = _node_form(node, name_vi="Không có phiên bản")
    del form["lock_version"]
    assert client_for("coordinator").post(f"/bo-chi-so/{framework.pk}/noi-dung/{node.pk}/sua/", form).status_code == 409
    node.refresh_from_db()
    assert node.name_vi != "Không có phiên bản"


def _unit_form(unit: Unit, **changes: object) -> dict[str, object]:
    return {"code": unit.code, "name": unit.name, "short_name": unit.short_name, "kind": unit.kind,
            "parent": unit.parent_id or "", "email": unit.email, "is_active": "on", "aliases_text": "",
            "lock_version": unit.lock_version, **changes}


@pytest.mark.django_db
def test_a_second_editor_of_a_unit_gets_409_and_the_first_edit_stays():
    unit = Unit.objects.get(province__code="tuyen-quang", code=User.objects.get(username=USERNAMES["focal_point"]).unit.code)
    url = f"/don-vi/{unit.pk}/sua/"
    first, second = client_for("coordinator"), client_for("admin")
    assert first.post(url, _unit_form(unit, short_name="Minh Xuân (1)")).status_code == 302
    stale = second.post(url, _unit_form(unit, short_name="Minh Xuân (2)"))
    assert stale.status_code == 409 and STALE in stale.content.decode()
    unit.refresh_from_db()
    assert unit.short_name == "Minh Xuân (1)"


@pytest.mark.django_db
def test_a_second_admin_editing_a_unit_group_gets_409_and_the_first_edit_stays():
    group = UnitGroup.objects.filter(province__code="tuyen-quang").first()
    url = f"/quan-tri/orgs/unitgroup/{group.pk}/change/"
    data = {"province": group.province_id, "name": group.name, "aliases": "[]", "kinds": '["commune"]',
            "scope": group.scope, "note": "", "lock_version": group.lock_version}
    first = client_for("admin").post(url, {**data, "note": "Người thứ nhất"})
    assert first.status_code == 302, first.content.decode()[:2000]
    stale = client_for("admin").post(url, {**data, "note": "Người thứ hai"})
    assert stale.status_code == 409 and STALE in stale.content.decode()
    group.refresh_from_db()
    assert group.note == "Người thứ nhất"


@pytest.mark.django_db
def test_a_second_admin_editing_an_account_gets_409_and_the_first_edit_stays():
    account = User.objects.get(username=USERNAMES["leader"])
    url = f"/quan-tri/accounts/user/{account.pk}/change/"
    page = client_for("admin").get(url).content.decode()
    assert f'name="lock_version" value="{account.lock_version}"' in page
    data = {"username": account.username, "first_name": account.first_name, "last_name": account.last_name,
            "email": account.email, "is_active": "on", "role": account.role, "unit": account.unit_id,
            "phone": "", "date_joined_0": "01/01/2025", "date_joined_1": "08:00:00",
            "lock_version": account.lock_version}
    first = client_for("admin").post(url, {**data, "phone": "0912 000 001"})
    assert first.status_code == 302, first.content.decode()[:3000]
    stale = client_for("admin").post(url, {**data, "phone": "0912 000 002"})
    assert stale.status_code == 409 and STALE in stale.content.decode()
    account.refresh_from_db()
    assert account.phone == "0912 000 001"
