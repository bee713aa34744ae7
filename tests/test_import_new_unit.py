"""Creating, from the import preview, a unit the plan names but the province lacks: the form beside each
unresolved name, the rows that print the name pointing to the new unit (and the confirmed plan assigning it),
a duplicate name refused without a change, who may do it, and a stale draft."""

from __future__ import annotations

from pathlib import Path

import pytest

from chiso.documents.models import ImportStatus, PlanImport
from chiso.orgs.creating import guess_kind
from chiso.orgs.models import Unit, UnitKind
from tests.accounts_helpers import logged_in, make_other_province_coordinator
from tests.conftest import client_for
from tests.test_import_ui import upload

MISSING = "Trung tâm Dữ liệu Khí tượng Miền Núi"
HEADINGS = "TT\tNội dung thành phần\tNhiệm vụ, giải pháp\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện"
# The missing unit leads the first task and coordinates the second; the third row does not name it.
PLAN = "\n".join([
    "PHỤ LỤC: NHIỆM VỤ NÂNG CAO CHỈ SỐ PAPI", HEADINGS,
    f"1\tTham gia của người dân ở cấp cơ sở\tTuyên truyền Luật Thực hiện dân chủ ở cơ sở\t{MISSING}\tSở Nội vụ"
    "\tThường xuyên",
    f"2\tCông khai, minh bạch\tCông khai danh sách hộ nghèo tại nhà văn hóa thôn\tSở Nội vụ\t{MISSING}"
    "\tQuý III năm 2025",
    "3\tCông khai, minh bạch\tCông khai dự toán ngân sách xã\tSở Nội vụ\t\tNăm 2025",
])


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def url(plan_import: PlanImport) -> str:
    return f"/van-ban/nhap-ke-hoach/{plan_import.pk}/tao-don-vi/"


def create(plan_import: PlanImport, role: str = "coordinator", client: object = None, **changes: object) -> object:
    data = {"wording": MISSING, "name": MISSING, "kind": "outside", "lock_version": plan_import.lock_version,
            **changes}
    return (client or client_for(role)).post(url(plan_import), data, HTTP_HX_REQUEST="true")  # type: ignore[attr-defined]


def state(plan_import: PlanImport) -> tuple[int, list[dict], int]:
    plan_import.refresh_from_db()
    return Unit.objects.count(), plan_import.rows, plan_import.lock_version


@pytest.mark.django_db
def test_the_preview_offers_to_create_each_unresolved_unit_with_its_name_and_a_guessed_kind(media):
    plan_import = upload(text=PLAN)
    page = client_for("coordinator").get(f"/van-ban/nhap-ke-hoach/{plan_import.pk}/").content.decode()
    assert "Đơn vị chưa có trong danh sách" in page and page.count('class="missing-unit"') == 1
    assert f'action="{url(plan_import)}"' in page and "Tạo đơn vị" in page
    assert f'name="name" value="{MISSING}"' in page
    assert '<option value="outside" selected>' in page  # a "Trung tâm" under UBND tỉnh: outside the committees
    # The two rows printing the name (as lead, as coordinating) link to the form.
    assert page.count('href="#import-missing-units"') == 2


def test_the_kind_is_guessed_from_the_name_and_the_parent():
    department = Unit(kind=UnitKind.DEPARTMENT)
    assert guess_kind("Sở Văn hóa, Thể thao và Du lịch") == UnitKind.DEPARTMENT
    assert guess_kind("Ban Dân tộc") == UnitKind.DEPARTMENT
    assert guess_kind("UBND xã Minh Quang") == UnitKind.COMMUNE
    assert guess_kind("Xã Thái Bình") == UnitKind.COMMUNE
    assert guess_kind("Phường Nông Tiến") == UnitKind.WARD
    assert guess_kind("Trung tâm Khuyến công", department) == UnitKind.OFFICE
    assert guess_kind("Hội Nông dân tỉnh") == UnitKind.OUTSIDE


@pytest.mark.django_db
def test_creating_the_unit_resolves_every_row_printing_it_and_the_confirmed_plan_assigns_it(media):
    plan_import = upload(text=PLAN)
    assert [bool(r["lead_unknown"]) for r in plan_import.rows] == [True, False, False]
    assert [bool(r["coordinating_unknown"]) for r in plan_import.rows] == [False, True, False]
    response = create(plan_import, name="Trung tâm Dữ liệu Khí tượng", kind="outside")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đã tạo đơn vị “Trung tâm Dữ liệu Khí tượng”" in body and 'class="missing-unit"' not in body
    unit = Unit.objects.get(province=plan_import.province, name="Trung tâm Dữ liệu Khí tượng")
    assert unit.kind == "outside" and unit.is_active and unit.aliases == [MISSING]
    _count, rows, _version = state(plan_import)
    assert unit.pk in rows[0]["lead_unit_ids"] and rows[0]["lead_unknown"] == []
    assert unit.pk in rows[1]["coordinating_unit_ids"] and rows[1]["coordinating_unknown"] == []
    assert unit.pk not in rows[2]["lead_unit_ids"] + rows[2]["coordinating_unit_ids"]
    assert not any("Không nhận ra" in p["message"] for row in rows for p in row["problems"])

    confirmed = client_for("coordinator").post(f"/van-ban/nhap-ke-hoach/{plan_import.pk}/xac-nhan/",
                                               {"lock_version": plan_import.lock_version})
    assert confirmed.status_code == 302, confirmed.content.decode()[:3000]
    plan_import.refresh_from_db()
    assert plan_import.status == ImportStatus.CONFIRMED
    first, second, _third = plan_import.plan.tasks.order_by("order")
    assert list(first.lead_units.all()) == [unit]
    assert first.assignments.filter(unit=unit).exists()
    assert list(second.coordinating_units.all()) == [unit]


@pytest.mark.django_db
def test_the_new_unit_is_placed_under_the_issuer_when_the_issuer_is_a_unit(media):
    plan_import = upload(text=PLAN)
    issuer = Unit.objects.get(province=plan_import.province, code="so-noi-vu")
    plan_import.header = {**plan_import.header, "issuer_unit_id": issuer.pk}
    plan_import.save()
    page = client_for("coordinator").get(f"/van-ban/nhap-ke-hoach/{plan_import.pk}/").content.decode()
    assert "đơn vị cấp trên: Sở Nội vụ" in page
    assert '<option value="office" selected>' in page
    assert create(plan_import, kind="office").status_code == 200
    assert Unit.objects.get(province=plan_import.province, name=MISSING).parent == issuer


@pytest.mark.django_db
def test_a_duplicate_name_is_refused_with_a_message_and_changes_nothing(media):
    plan_import = upload(text=PLAN)
    before = state(plan_import)
    response = create(plan_import, name="sở nội vụ")
    assert response.status_code == 400
    assert "Tỉnh đã có đơn vị tên “sở nội vụ”" in response.content.decode()
    assert state(plan_import) == before


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "message"), [
    ({"name": ""}, "Thiếu tên, loại đơn vị"),
    ({"kind": "planet"}, "Thiếu tên, loại đơn vị"),
    ({"wording": "Cơ quan không ai ghi"}, "Không còn dòng nào ghi"),
])
def test_bad_input_is_refused_with_a_message_and_changes_nothing(media, changes, message):
    plan_import = upload(text=PLAN)
    before = state(plan_import)
    response = create(plan_import, **changes)
    assert response.status_code == 400 and message in response.content.decode()
    assert state(plan_import) == before


@pytest.mark.django_db
def test_a_stale_draft_is_refused_with_409_and_changes_nothing(media):
    plan_import = upload(text=PLAN)
    old_version = plan_import.lock_version
    client_for("coordinator").post(f"/van-ban/nhap-ke-hoach/{plan_import.pk}/dong/3/xoa/",
                                   {"version": plan_import.rows[2]["version"]})
    before = state(plan_import)
    assert before[2] == old_version + 1
    response = create(plan_import, lock_version=old_version)
    assert response.status_code == 409 and "vừa được người khác cập nhật" in response.content.decode()
    assert state(plan_import) == before


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), [
    ("admin", 200), ("coordinator", 200), ("focal_point", 403), ("department_focal_point", 403),
    ("leader", 403), ("viewer", 403), ("other_commune", 403), ("anonymous", 302), ("other_province", 404),
])
def test_only_those_who_manage_the_provinces_units_may_create_one(media, role, expected):
    plan_import = upload(text=PLAN)
    client = logged_in(make_other_province_coordinator()) if role == "other_province" else client_for(role)
    before = state(plan_import)
    response = create(plan_import, client=client)
    assert response.status_code == expected
    if expected != 200:
        assert state(plan_import) == before
    else:
        assert Unit.objects.filter(province=plan_import.province, name=MISSING).exists()


@pytest.mark.django_db
def test_a_focal_point_sees_the_missing_units_without_the_form(media):
    plan_import = upload(role="focal_point", text=PLAN, frameworks=("papi-2021",))
    page = client_for("focal_point").get(f"/van-ban/nhap-ke-hoach/{plan_import.pk}/").content.decode()
    assert "Đơn vị chưa có trong danh sách" in page and "Đề nghị cán bộ điều phối" in page
    assert url(plan_import) not in page


@pytest.mark.django_db
def test_without_htmx_the_form_returns_to_the_preview_with_the_outcome(media):
    plan_import = upload(text=PLAN)
    client = client_for("coordinator")
    data = {"wording": MISSING, "name": MISSING, "kind": "outside", "lock_version": plan_import.lock_version}
    response = client.post(url(plan_import), data, follow=True)
    assert response.redirect_chain[-1] == (f"/van-ban/nhap-ke-hoach/{plan_import.pk}/", 302)
    assert f"Đã tạo đơn vị “{MISSING}”" in response.content.decode()
    again = client.post(url(plan_import), {**data, "lock_version": plan_import.lock_version + 1}, follow=True)
    # A second click: the rows already point to the new unit.
    assert f"Không còn dòng nào ghi “{MISSING}”" in again.content.decode()
    assert Unit.objects.filter(name=MISSING).count() == 1
