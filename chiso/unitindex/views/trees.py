"""Unit-level criteria trees: the list, a tree with its maxima checks, copying last year's, and importing
one from a decision's annex through a preview the coordinator corrects before it is saved."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chiso.accounts.models import User
from chiso.accounts.requests import AuthenticatedRequest
from chiso.core.bounds import NUL_MESSAGE, holds_nul
from chiso.core.http import require
from chiso.core.locking import STALE_MESSAGE, StaleEdit, claim_version
from chiso.core.tabular import ImportRejected
from chiso.frameworks.models import Framework
from chiso.unitindex.forms import CriterionForm, TreeUploadForm
from chiso.unitindex.importing.saving import save_tree, tree_problems
from chiso.unitindex.importing.tree_reader import ParsedRow, ParsedTree, parse_points, read_tree_file
from chiso.unitindex.models import CriterionDetail, Method
from chiso.unitindex.tree import copy_tree, maxima_problems, ordered_nodes

PREVIEW_FIELDS = ["code", "name", "depth", "max_points", "rule", "evidence", "method", "choices", "not_applicable"]


def _trees(user: User) -> Any:
    trees = Framework.objects.filter(unit_index__isnull=False).select_related("unit_index", "province")
    return trees if user.is_instance_admin else trees.filter(province_id=user.own_province_id)


def _reader(user: User) -> None:
    require(user.sees_whole_province)


@login_required
def tree_list(request: AuthenticatedRequest) -> HttpResponse:
    _reader(request.user)
    return render(request, "unitindex/tree_list.html", {
        "trees": _trees(request.user).order_by("-valid_from", "name_vi"),
        "manages": request.user.manages_province})


@login_required
def tree_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tree = get_object_or_404(_trees(request.user), pk=pk)
    _reader(request.user)
    nodes = ordered_nodes(tree)
    return render(request, "unitindex/tree_detail.html", {
        "tree": tree, "nodes": nodes, "problems": maxima_problems(tree, nodes),
        "manages": request.user.manages_province})


@login_required
@require_POST
def tree_copy(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    tree = get_object_or_404(_trees(user), pk=pk)
    require(user.authors_in_province)
    try:
        year = int(request.POST.get("year", ""))
        if not 2015 <= year <= 2100:
            raise ValueError
    except ValueError:
        messages.error(request, _("Năm áp dụng không hợp lệ."))
        return redirect("unitindex:tree_detail", pk=tree.pk)
    copy = copy_tree(tree, province=user.own_unit.province, year=year)
    messages.success(request, _("Đã sao chép bộ tiêu chí cho năm %(year)s.") % {"year": year})
    return redirect("unitindex:tree_detail", pk=copy.pk)


def tree_from_post(post: QueryDict) -> ParsedTree:
    """The preview as corrected in the browser: every row's cells come back as parallel lists."""
    columns = {name: post.getlist(name) for name in PREVIEW_FIELDS}
    tree = ParsedTree(rows=[])
    for index, code in enumerate(columns["code"]):
        def cell(name: str, index: int = index) -> str:
            values = columns[name]
            return values[index].strip() if index < len(values) else ""
        try:
            points = parse_points(cell("max_points"))
        except ValueError:
            tree.errors.append(_("%(code)s: điểm tối đa “%(value)s” không phải là số.") % {
                "code": code, "value": cell("max_points")})
            points = None
        depth = cell("depth")
        tree.rows.append(ParsedRow(
            code=code.strip(), name=cell("name"), depth=int(depth) if depth in ("0", "1", "2") else 2,
            max_points=points, rule=cell("rule"), evidence=cell("evidence"),
            method=cell("method") if cell("method") in Method.values else Method.SELF,
            choices=[c.strip() for c in cell("choices").split(";") if c.strip()],
            not_applicable=cell("not_applicable") == "1"))
    for name in ("total", "bonus_max", "penalty_max"):
        try:
            setattr(tree, name, parse_points(post.get(name, "")) or (None if name == "total" else Decimal(0)))
        except ValueError:
            tree.errors.append(_("Tổng điểm, điểm thưởng, điểm trừ phải là số."))
    return tree


@login_required
def tree_import(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require(user.authors_in_province)
    form = TreeUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return render(request, "unitindex/tree_import.html", {"form": form})
    if "file" in request.FILES:
        if not form.is_valid():
            return render(request, "unitindex/tree_import.html", {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        try:
            tree = read_tree_file(upload, upload.name or "")
        except ImportRejected as error:
            return render(request, "unitindex/tree_import.html", {"form": form, "errors": error.errors}, status=400)
        return _preview(request, tree, form.cleaned_data["name"], form.cleaned_data["year"])
    return _save_or_preview(request, user)


def _save_or_preview(request: AuthenticatedRequest, user: User) -> HttpResponse:
    tree = tree_from_post(request.POST)
    name = request.POST.get("tree_name", "").strip()[:200]
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = 0
    errors, maxima = tree_problems(tree)
    if not name or not 2015 <= year <= 2100:
        errors.append(_("Cần tên bộ tiêu chí và năm áp dụng."))
    if holds_nul(name):
        errors.append(str(NUL_MESSAGE))
    wants_save = request.POST.get("action") == "save"
    if wants_save and not errors and (not maxima or request.POST.get("confirm_maxima") == "1"):
        framework = save_tree(tree, province=user.own_unit.province, name=name, year=year)
        messages.success(request, _("Đã lưu bộ tiêu chí “%(name)s”.") % {"name": name})
        return redirect("unitindex:tree_detail", pk=framework.pk)
    if wants_save and maxima and not errors:
        errors.append(_("Điểm tối đa chưa khớp ở các chỗ nêu dưới đây: sửa lại, hoặc đánh dấu xác nhận giữ nguyên "
                        "như văn bản rồi lưu."))
    return _preview(request, tree, name, year, errors=errors, status=400 if wants_save else 200)


def _preview(request: AuthenticatedRequest, tree: ParsedTree, name: str, year: int, errors: list[str] | None = None,
             status: int = 200) -> HttpResponse:
    found_errors, maxima = tree_problems(tree)
    return render(request, "unitindex/tree_preview.html", {
        "tree": tree, "name": name, "year": year, "errors": errors if errors is not None else found_errors,
        "maxima": maxima, "methods": Method.choices}, status=status)


@login_required
def criterion_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A criterion's details edited in place on the tree page (htmx); a stale edit is refused with 409."""
    user = request.user
    detail = get_object_or_404(CriterionDetail.objects.select_related("node__framework").filter(
        node__framework__in=_trees(user)), pk=pk)
    require(user.manages_province)
    status = 200
    if request.method == "POST":
        form = CriterionForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                save_criterion(detail, form.cleaned_data)
            except StaleEdit:
                form.add_error(None, STALE_MESSAGE)
                status = 409
            else:
                return render(request, "unitindex/_criterion_row.html", {"n": detail.node, "manages": True})
    else:
        form = CriterionForm(initial={"lock_version": detail.lock_version, "rule_text": detail.rule_text,
                                      "evidence_required": detail.evidence_required, "method": detail.method,
                                      "choices": "; ".join(c.replace(".", ",") for c in detail.choices),
                                      "explanation_required": detail.explanation_required,
                                      "allows_not_applicable": detail.allows_not_applicable})
    return render(request, "unitindex/_criterion_form.html", {"form": form, "detail": detail}, status=status)


@transaction.atomic
def save_criterion(detail: CriterionDetail, data: dict[str, Any]) -> None:
    claim_version(detail, data["lock_version"])
    for name in ("rule_text", "evidence_required", "method", "choices", "explanation_required",
                 "allows_not_applicable"):
        setattr(detail, name, data[name])
    detail.save()
