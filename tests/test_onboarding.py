"""A new province's coordinator: a checklist on their home page (units, group wordings, accounts, first plan,
last year's results), each step linking to where it is done; the standard group wordings come with the
province's first units; nobody else sees the checklist."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chiso.accounts.models import Role, User
from chiso.onboarding.checklist import checklist_for
from chiso.onboarding.models import GroupReview
from chiso.orgs.models import Province, Unit, UnitGroup
from tests.conftest import ROLES, client_for


def _new_province_coordinator() -> tuple[Province, User, Client]:
    province = Province.objects.filter(dissolved_on__isnull=True, units__isnull=True).order_by("code").first()
    unit = Unit.objects.create(province=province, code="so-noi-vu", name="Sở Nội vụ", kind="department")
    user = User.objects.create_user("dieuphoi.moi", role=Role.COORDINATOR, unit=unit)
    client = Client()
    client.force_login(user)
    return province, user, client


@pytest.mark.django_db
def test_a_new_provinces_coordinator_sees_every_step_to_do_with_its_link(django_assert_max_num_queries):
    _, _, client = _new_province_coordinator()
    with django_assert_max_num_queries(20):
        page = client.get("/").content.decode()
    assert "Các bước bắt đầu sử dụng" in page and "đã xong 0/5" in page
    for link in ("/don-vi/nhap/", "/don-vi/", "/tai-khoan/quan-ly/nhap/", "/van-ban/nhap-ke-hoach/",
                 "/ket-qua/nhap/", "/khoi-dau/nhom-don-vi/da-ra-soat/"):
        assert f'href="{link}"' in page or f'action="{link}"' in page


@pytest.mark.django_db
def test_steps_turn_done_as_the_province_is_set_up():
    province, coordinator, client = _new_province_coordinator()
    csv = ("code,name,kind\nso-noi-vu,Sở Nội vụ,department\nxa-an-binh,Xã An Bình,commune\n"
           "so-tai-chinh,Sở Tài chính,department\n")
    assert client.post("/don-vi/nhap/", {"file": SimpleUploadedFile("dv.csv", csv.encode())}).status_code == 302
    assert client.post("/khoi-dau/nhom-don-vi/da-ra-soat/").status_code == 302
    User.objects.create_user("daumoi.anbinh", role=Role.FOCAL_POINT, unit=Unit.objects.get(code="xa-an-binh"))
    steps = {step.key: step.done for step in checklist_for(coordinator).steps}
    assert steps == {"units": True, "groups": True, "accounts": True, "plan": False, "results": False}
    assert GroupReview.objects.get(province=province).reviewed_by == coordinator


@pytest.mark.django_db
def test_a_province_gets_the_standard_group_wordings_with_its_first_units_and_keeps_its_edits():
    province, _, client = _new_province_coordinator()
    UnitGroup.objects.filter(province=province).delete()
    csv = "code,name,kind\nxa-an-binh,Xã An Bình,commune\n"
    client.post("/don-vi/nhap/", {"file": SimpleUploadedFile("dv.csv", csv.encode())})
    groups = UnitGroup.objects.filter(province=province)
    assert {"UBND cấp xã", "Các sở, ban, ngành"} <= set(groups.values_list("name", flat=True))
    commune_level = groups.get(name="UBND cấp xã")
    commune_level.aliases = ["các xã của tỉnh"]
    commune_level.save()
    client.post("/don-vi/nhap/", {"file": SimpleUploadedFile("dv.csv", (csv + "xa-b,Xã B,commune\n").encode())})
    assert groups.get(name="UBND cấp xã").aliases == ["các xã của tỉnh"]


@pytest.mark.django_db
def test_the_first_unit_created_by_hand_also_brings_the_standard_groups():
    province, _, client = _new_province_coordinator()
    UnitGroup.objects.filter(province=province).delete()
    client.post("/don-vi/moi/", {"code": "xa-c", "name": "Xã C", "short_name": "", "kind": "commune",
                                 "aliases_text": "", "email": "", "is_active": "on"})
    assert UnitGroup.objects.filter(province=province, name="UBND cấp xã").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_province_managers_see_the_checklist_and_may_mark_groups_reviewed(role):
    client = client_for(role)
    page = client.get("/", follow=True).content.decode()
    response = client.post("/khoi-dau/nhom-don-vi/da-ra-soat/")
    if role in ("admin", "coordinator"):
        assert response.status_code == 302
        assert GroupReview.objects.filter(province__code="tuyen-quang").exists()
    else:
        assert "Các bước bắt đầu sử dụng" not in page
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert not GroupReview.objects.exists()


@pytest.mark.django_db
def test_the_demo_coordinator_sees_only_what_is_left():
    page = client_for("coordinator").get("/").content.decode()
    # The demo has units, accounts and plans; the group review and last year's results are left.
    assert "đã xong 3/5" in page
