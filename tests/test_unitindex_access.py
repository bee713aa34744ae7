"""Every unit-index page and action, for every role: admin, coordinator, focal point, leader (phường Minh
Xuân), viewer, an appraiser assigned criterion TC 1.1 only, another unit (phường Hà Giang 1), anonymous;
and another province's round and sheet (404 for everyone but the instance admin)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chiso.accounts.models import Role, User
from chiso.orgs.models import Province, Unit, UnitKind
from chiso.unitindex.models import AppraiserAssignment, Entry
from tests.conftest import client_for
from tests.unitindex_helpers import demo_province, make_round, make_tree, make_unit, make_user

pytestmark = pytest.mark.django_db
ROLES = ["admin", "coordinator", "focal_point", "leader", "viewer", "appraiser", "other_commune", "anonymous"]
MANAGERS = {"admin", "coordinator"}
READERS = MANAGERS | {"viewer"}
OWN = READERS | {"focal_point", "leader"}


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    province = demo_province()
    tree = make_tree(province)
    minhxuan = Unit.objects.get(province=province, code="phuong-minh-xuan")
    hagiang = Unit.objects.get(province=province, code="phuong-ha-giang-1")
    round_ = make_round(province, tree, [minhxuan, hagiang])
    sheet = round_.participants.get(unit=minhxuan)
    appraiser = make_user("thamdinh.tc11", Role.APPRAISER, Unit.objects.get(province=province, code="so-noi-vu"))
    AppraiserAssignment.objects.create(round=round_, appraiser=appraiser, node=tree.nodes.get(code="TC 1.1"))
    other = Province.objects.exclude(pk=province.pk).filter(code="bac-kan-cu").first() or Province.objects.create(
        code="tinh-khac", name="Tỉnh khác")
    far_unit = make_unit(other, "so-xa", "Sở Xa", UnitKind.DEPARTMENT)
    far_round = make_round(other, make_tree(other, slug="cchc-tinh-khac"), [far_unit])
    return {"round": round_.pk, "sheet": sheet.pk, "unit": minhxuan.pk, "tree": tree.pk,
            "assigned": Entry.objects.get(participant=sheet, node__code="TCTP 1.1.1").pk,
            "unassigned": Entry.objects.get(participant=sheet, node__code="TCTP 2.1.1").pk,
            "far_round": far_round.pk, "far_sheet": far_round.participants.get().pk,
            "far_entry": Entry.objects.filter(participant__round=far_round).first().pk}  # type: ignore[union-attr]


def _client(role: str):  # type: ignore[no-untyped-def]
    if role == "appraiser":
        from django.test import Client

        client = Client()
        client.force_login(User.objects.get(username="thamdinh.tc11"))
        return client
    return client_for(role)


PAGES = {
    "index": ("/chi-so-don-vi/", set(ROLES) - {"anonymous"}),
    "round_new": ("/chi-so-don-vi/dot/moi/", MANAGERS),
    "round": ("/chi-so-don-vi/dot/{round}/", READERS),
    "round_filtered": ("/chi-so-don-vi/dot/{round}/?loai=communes&tinh_trang=not_started&q=minh", READERS),
    "results_xlsx": ("/chi-so-don-vi/dot/{round}/ket-qua.xlsx", READERS),
    "decision_docx": ("/chi-so-don-vi/dot/{round}/ket-qua.docx", READERS),
    "survey": ("/chi-so-don-vi/dot/{round}/dieu-tra/", MANAGERS),
    "survey_template": ("/chi-so-don-vi/dot/{round}/dieu-tra/?mau=1", MANAGERS),
    "sheet": ("/chi-so-don-vi/phieu/{sheet}/", OWN | {"appraiser"}),
    "sheet_xlsx": ("/chi-so-don-vi/phieu/{sheet}/phieu.xlsx", OWN),
    "sheet_docx": ("/chi-so-don-vi/phieu/{sheet}/phieu.docx", OWN),
    "unit_years": ("/chi-so-don-vi/don-vi/{unit}/", OWN),
    "trees": ("/chi-so-don-vi/bo-tieu-chi/", READERS),
    "tree": ("/chi-so-don-vi/bo-tieu-chi/{tree}/", READERS),
    "tree_import": ("/chi-so-don-vi/bo-tieu-chi/nhap/", MANAGERS),
    "far_round": ("/chi-so-don-vi/dot/{far_round}/", {"admin"}),
    "far_sheet": ("/chi-so-don-vi/phieu/{far_sheet}/", {"admin"}),
}


def _expect(role: str, allowed: set[str], name: str) -> int:
    if role == "anonymous":
        return 302
    if role in allowed:
        return 200
    return 404 if name.startswith("far_") else 403


@pytest.mark.parametrize("role", ROLES)
def test_every_unit_index_page_answers_each_role_as_its_rights_allow(world, role):  # type: ignore[no-untyped-def]
    client = _client(role)
    for name, (url, allowed) in PAGES.items():
        response = client.get(url.format(**world))
        assert response.status_code == _expect(role, allowed, name), (name, response.status_code)
        if role == "anonymous":
            assert "/tai-khoan/dang-nhap/" in response["Location"]


def test_an_appraiser_sees_only_the_criteria_assigned_and_another_unit_no_sheet_before_publication(world):  # type: ignore[no-untyped-def]
    page = _client("appraiser").get(f"/chi-so-don-vi/phieu/{world['sheet']}/").content.decode()
    assert "TCTP 1.1.1" in page and "TCTP 1.1.2" in page and "TCTP 2.1.1" not in page
    assert _client("other_commune").get(f"/chi-so-don-vi/phieu/{world['sheet']}/").status_code == 403
    own = Entry.objects.get(pk=world["unassigned"]).participant.round.participants.get(unit__code="phuong-ha-giang-1")
    assert _client("other_commune").get(f"/chi-so-don-vi/phieu/{own.pk}/").status_code == 200


# url, roles that get past the permission check (their status is the service's answer), body
ACTIONS = {
    "self_score": ("/chi-so-don-vi/tieu-chi/{assigned}/tu-cham/", {"focal_point", "leader"},
                   {"score": "2", "lock_version": "1"}),
    "appraise_assigned": ("/chi-so-don-vi/tieu-chi/{assigned}/tham-dinh/", MANAGERS | {"appraiser"},
                          {"score": "1", "stage": "appraisal1", "lock_version": "1"}),
    "appraise_unassigned": ("/chi-so-don-vi/tieu-chi/{unassigned}/tham-dinh/", MANAGERS,
                            {"score": "1", "stage": "appraisal1", "lock_version": "1"}),
    "answer": ("/chi-so-don-vi/tieu-chi/{assigned}/giai-trinh/", {"focal_point", "leader"},
               {"answer": "Đã có", "lock_version": "1"}),
    "pick": ("/chi-so-don-vi/tieu-chi/{assigned}/chon-minh-chung/", {"focal_point", "leader"}, {"evidence": "0"}),
    "upload": ("/chi-so-don-vi/tieu-chi/{assigned}/tai-len/", {"focal_point", "leader"}, {}),
    "send": ("/chi-so-don-vi/phieu/{sheet}/gui/", {"leader"}, {"lock_version": "1"}),
    "explain": ("/chi-so-don-vi/phieu/{sheet}/gui-giai-trinh/", {"leader"}, {"lock_version": "1"}),
    "finish": ("/chi-so-don-vi/phieu/{sheet}/xong-tham-dinh/", MANAGERS,
               {"lock_version": "1", "stage": "appraisal1"}),
    "reopen": ("/chi-so-don-vi/phieu/{sheet}/mo-lai/", MANAGERS, {"stage": "self", "until": "31/12/2099",
                                                                   "reason": "Lý do"}),
    "bonus": ("/chi-so-don-vi/phieu/{sheet}/thuong-tru/", MANAGERS, {"bonus": "0,5", "lock_version": "1"}),
    "dossier": ("/chi-so-don-vi/phieu/{sheet}/ho-so/", OWN, {}),
    "assign": ("/chi-so-don-vi/dot/{round}/phan-cong/", MANAGERS, {}),
    "publish": ("/chi-so-don-vi/dot/{round}/cong-bo/", MANAGERS, {"decision_text": "QĐ 1"}),
    "copy_tree": ("/chi-so-don-vi/bo-tieu-chi/{tree}/sao-chep/", MANAGERS, {"year": "2026"}),
    "far_self_score": ("/chi-so-don-vi/tieu-chi/{far_entry}/tu-cham/", set(), {"score": "1", "lock_version": "1"}),
    "far_reopen": ("/chi-so-don-vi/phieu/{far_sheet}/mo-lai/", {"admin"}, {"stage": "self", "until": "31/12/2099",
                                                                           "reason": "Lý do"}),
}


@pytest.mark.parametrize("role", ROLES)
def test_every_unit_index_action_is_refused_to_roles_without_the_right(world, role):  # type: ignore[no-untyped-def]
    client = _client(role)
    for name, (url, allowed, body) in ACTIONS.items():
        response = client.post(url.format(**world), body)
        if role == "anonymous":
            assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"], name
        elif role in allowed:
            assert response.status_code not in (403, 404), (name, response.status_code)
        elif name.startswith("far_"):  # the instance admin sees every province but fills no sheet
            assert response.status_code == (403 if role == "admin" else 404), (name, response.status_code)
        else:
            assert response.status_code == 403, (name, response.status_code)


def test_a_stale_self_score_is_refused_with_409_and_changes_nothing(world):  # type: ignore[no-untyped-def]
    client = _client("focal_point")
    url = f"/chi-so-don-vi/tieu-chi/{world['assigned']}/tu-cham/"
    assert client.post(url, {"score": "1", "lock_version": "1"}, HTTP_HX_REQUEST="true").status_code == 200
    stale = client.post(url, {"score": "2", "lock_version": "1"}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409 and "vừa được người khác cập nhật" in stale.content.decode()
    assert Entry.objects.get(pk=world["assigned"]).self_score == Decimal(1)
    bad = client.post(url, {"score": "1,7", "lock_version": "2"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400 and "một trong các mức" in bad.content.decode()


def test_the_sheet_page_runs_a_bounded_number_of_queries(world, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    client = _client("focal_point")
    with django_assert_max_num_queries(40):
        assert client.get(f"/chi-so-don-vi/phieu/{world['sheet']}/").status_code == 200
    with django_assert_max_num_queries(40):
        assert _client("coordinator").get(f"/chi-so-don-vi/dot/{world['round']}/").status_code == 200


@pytest.mark.parametrize(("field", "at_limit", "past_limit"), [("explanation", 5000, 5001), ("figures", 2000, 2001)])
def test_a_self_score_text_is_kept_at_its_bound_and_refused_past_it(world, field, at_limit, past_limit):  # type: ignore[no-untyped-def]
    client = _client("focal_point")
    url = f"/chi-so-don-vi/tieu-chi/{world['assigned']}/tu-cham/"
    refused = client.post(url, {"score": "1", field: "x" * past_limit, "lock_version": "1"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400 and "tối đa" in refused.content.decode()
    entry = Entry.objects.get(pk=world["assigned"])
    assert (entry.self_score, entry.lock_version) == (None, 1)
    kept = client.post(url, {"score": "1", field: "x" * at_limit, "lock_version": "1"}, HTTP_HX_REQUEST="true")
    assert kept.status_code == 200
    assert len(getattr(Entry.objects.get(pk=world["assigned"]), field)) == at_limit
