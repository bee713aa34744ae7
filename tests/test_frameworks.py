"""Index frameworks: the built-in trees, copying to a new version and editing it in the UI."""

from __future__ import annotations

import pytest

from chiso.frameworks.models import Framework, Node
from chiso.frameworks.services import builtin_files, code_sort_key, load_framework_file
from tests.conftest import client_for


@pytest.mark.django_db
def test_builtin_frameworks_are_loaded_with_sources_and_unknown_maxima_left_empty():
    assert Framework.objects.filter(province__isnull=True).count() == len(builtin_files()) >= 8
    papi = Framework.objects.get(slug="papi-2021")
    assert papi.nodes.filter(depth=0).count() == 8 and papi.nodes.filter(depth=1).count() == 28
    assert float(papi.total_max) == 80
    assert papi.nodes.get(code="8.3").max_points is not None
    par = Framework.objects.get(slug="par-index-province-2022")
    assert par.nodes.filter(code="1.3.1").exists()
    assert not par.nodes.exclude(max_points=None).exists()  # 876/QĐ-BNV points were not found: left empty
    assert all(node.source for node in Node.objects.filter(framework__province__isnull=True))
    assert Framework.objects.get(slug="papi-2020").nodes.filter(depth=1).count() == 29


@pytest.mark.django_db
def test_reloading_a_builtin_file_keeps_node_identity():
    path = next(p for p in builtin_files() if p.stem == "papi-2021")
    ids = set(Node.objects.filter(framework__slug="papi-2021").values_list("pk", flat=True))
    load_framework_file(path)
    assert set(Node.objects.filter(framework__slug="papi-2021").values_list("pk", flat=True)) == ids


def test_codes_sort_naturally():
    assert sorted(["1.10", "1.9", "1.2", "A.2", "1"], key=code_sort_key) == ["1", "1.2", "1.9", "1.10", "A.2"]


@pytest.mark.django_db
def test_coordinator_copies_a_framework_to_a_new_version_and_edits_it():
    client = client_for("coordinator")
    source = Framework.objects.get(slug="papi-2021")
    response = client.post(f"/bo-chi-so/{source.pk}/sao-chep/",
                           {"name_vi": "PAPI 2025 (Tuyên Quang hiệu chỉnh)", "version": "2025", "valid_from": 2025})
    copy = Framework.objects.get(name_vi="PAPI 2025 (Tuyên Quang hiệu chỉnh)")
    assert response.status_code == 302 and copy.province.code == "tuyen-quang" and copy.copied_from == source
    assert copy.nodes.count() == source.nodes.count()
    assert copy.nodes.get(code="1.1").parent.code == "1"

    node = copy.nodes.get(code="8.1")
    response = client.post(f"/bo-chi-so/{copy.pk}/noi-dung/{node.pk}/sua/", {
        "code": "8.1", "name_vi": node.name_vi, "name_en": node.name_en, "max_points": "3,34", "unit": "points",
        "scoring": "survey", "source": "Báo cáo PAPI 2024", "confidence": "confirmed", "note": "",
        "parent_code": "8", "aliases_text": "Sử dụng cổng TTĐT", "lock_version": node.lock_version,
    })
    assert response.status_code == 302
    node.refresh_from_db()
    assert str(node.max_points) == "3.340" and node.aliases == ["Sử dụng cổng TTĐT"]
    assert node.history.count() >= 2
    assert Framework.objects.get(slug="papi-2021").nodes.get(code="8.1").max_points != node.max_points

    response = client.post(f"/bo-chi-so/{copy.pk}/noi-dung/moi/", {
        "code": "8.4", "name_vi": "Dịch vụ công trực tuyến", "name_en": "", "max_points": "", "unit": "points",
        "scoring": "survey", "source": "", "confidence": "", "note": "", "parent_code": "8", "aliases_text": "",
    })
    assert response.status_code == 302
    new = copy.nodes.get(code="8.4")
    assert new.depth == 1 and new.position == copy.nodes.get(code="8.3").position + 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"parent_code": "9.9"}, "Không có nội dung mã “9.9”"),
        ({"code": "1.1"}, "đã có trong bộ chỉ số này"),
        ({"max_points": "-1"}, "không được âm"),
        ({"max_points": "abc"}, "Nhập một số"),
    ],
)
def test_bad_node_input_is_refused_with_a_message(overrides, message):
    client = client_for("coordinator")
    source = Framework.objects.get(slug="papi-2021")
    client.post(f"/bo-chi-so/{source.pk}/sao-chep/", {"name_vi": "PAPI thử", "version": "x", "valid_from": 2025})
    copy = Framework.objects.get(name_vi="PAPI thử")
    before = copy.nodes.count()
    data = {"code": "9.1", "name_vi": "Mới", "name_en": "", "max_points": "", "unit": "points", "scoring": "survey",
            "source": "", "confidence": "", "note": "", "parent_code": "", "aliases_text": ""}
    data.update(overrides)
    response = client.post(f"/bo-chi-so/{copy.pk}/noi-dung/moi/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert copy.nodes.count() == before


@pytest.mark.django_db
def test_coordinator_creates_a_custom_framework():
    response = client_for("coordinator").post("/bo-chi-so/moi/", {
        "index": "DTI", "name_vi": "DTI cấp tỉnh 2024", "name_en": "", "version": "2024", "valid_from": 2024,
        "valid_to": "", "unit": "points", "total_max": "1000", "notes": ""})
    assert response.status_code == 302
    assert Framework.objects.get(name_vi="DTI cấp tỉnh 2024").province.code == "tuyen-quang"


@pytest.mark.django_db
def test_subtree_is_the_node_and_everything_below_it():
    from chiso.frameworks.models import subtree_ids

    par = Framework.objects.get(slug="par-index-province-2022")
    nodes = list(par.nodes.all())
    root = par.nodes.get(code="1.3")
    codes = set(par.nodes.filter(pk__in=subtree_ids(nodes, root)).values_list("code", flat=True))
    assert codes == {"1.3", "1.3.1", "1.3.2"}
    assert len(subtree_ids(nodes, par.nodes.get(code="1"))) == par.nodes.filter(code__startswith="1.").count() + 1


@pytest.mark.django_db
def test_reloading_keeps_a_node_whose_child_has_tasks(tmp_path, demo_plan):
    """A node dropped from the data file goes, unless a task or a published score hangs on it or below it
    (PAPI 2020 is not used by the demo plan, so only the task added here holds on to 1; the built-in 2020
    results hold on to dimension 2, not to its sub-dimensions)."""
    import yaml

    path = next(p for p in builtin_files() if p.stem == "papi-2020")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    demo_plan.tasks.first().nodes.add(Node.objects.get(framework__slug="papi-2020", code="1.1"))
    data["nodes"] = [n for n in data["nodes"] if str(n["code"]) not in {"1", "2"}]
    edited = tmp_path / "papi-2020.yaml"
    edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    load_framework_file(edited)
    codes = set(Node.objects.filter(framework__slug="papi-2020").values_list("code", flat=True))
    assert {"1", "1.1", "2"} <= codes
    assert not codes & {"2.1", "2.2", "1.2"}
