"""Framework pages: list, tree, create, copy to a new version, edit nodes in place."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from chiso.accounts.requests import AuthenticatedRequest
from chiso.core.history import history_entries
from chiso.core.http import redirect_after_save, render_htmx, require
from chiso.core.locking import form_status, save_current
from chiso.frameworks.forms import CopyFrameworkForm, FrameworkForm, NodeForm
from chiso.frameworks.models import Framework, Node
from chiso.frameworks.services import copy_framework, renumber
from chiso.orgs.models import Province


def _visible(request: AuthenticatedRequest, pk: int) -> Framework:
    return get_object_or_404(Framework.objects.visible_to(request.user), pk=pk)


def _can_edit(request: AuthenticatedRequest, framework: Framework) -> bool:
    return Framework.objects.editable_by(request.user).filter(pk=framework.pk).exists()


def _province(request: AuthenticatedRequest) -> Province:
    """Creating or copying a framework puts it in the user's province."""
    require(request.user.authors_in_province)
    assert request.user.unit is not None  # authors_in_province needs a unit
    return request.user.unit.province


@login_required
def framework_list(request: AuthenticatedRequest) -> HttpResponse:
    frameworks = Framework.objects.visible_to(request.user).annotate(node_count=Count("nodes")).select_related("province")
    return render(request, "frameworks/framework_list.html", {
        "frameworks": frameworks, "can_create": request.user.authors_in_province,
    })


@login_required
def framework_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    framework = _visible(request, pk)
    # A built-in node is shared by every province: count only the tasks this user's province can see.
    in_scope = Q() if request.user.is_instance_admin else Q(tasks__plan__province_id=request.user.province_id)
    nodes = list(framework.nodes.annotate(task_count=Count("tasks", filter=in_scope)).order_by("position"))
    return render(request, "frameworks/framework_detail.html", {
        "framework": framework, "nodes": nodes, "can_edit": _can_edit(request, framework),
        "can_copy": request.user.authors_in_province,
        "history": history_entries(framework, limit=20),
    })


@login_required
def framework_create(request: AuthenticatedRequest) -> HttpResponse:
    form = FrameworkForm(request.POST or None, province=_province(request))
    if request.method == "POST" and form.is_valid():
        framework = form.save()
        messages.success(request, _("Đã tạo bộ chỉ số. Thêm các nội dung của bộ chỉ số bên dưới."))
        return redirect("frameworks:framework_detail", pk=framework.pk)
    return render(request, "frameworks/framework_form.html", {"form": form, "framework": None},
                  status=form_status(form))


@login_required
def framework_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    framework = _visible(request, pk)
    require(_can_edit(request, framework))
    form = FrameworkForm(request.POST or None, instance=framework, province=framework.province,
                         initial={"lock_version": framework.lock_version})
    if request.method == "POST" and form.is_valid() and save_current(form, framework):
        messages.success(request, _("Đã lưu bộ chỉ số."))
        return redirect("frameworks:framework_detail", pk=framework.pk)
    return render(request, "frameworks/framework_form.html", {"form": form, "framework": framework},
                  status=form_status(form))


@login_required
def framework_copy(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    source = _visible(request, pk)
    province = _province(request)
    form = CopyFrameworkForm(request.POST or None, province=province, initial={
        "name_vi": f"{source.name_vi} (bản điều chỉnh)", "version": source.version, "valid_from": source.valid_from,
    })
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        copy = copy_framework(source, province=province, slug=data["slug"], version=data["version"],
                              name_vi=data["name_vi"], valid_from=data["valid_from"])
        messages.success(request, _("Đã sao chép thành phiên bản mới; có thể chỉnh sửa."))
        return redirect("frameworks:framework_detail", pk=copy.pk)
    return render(request, "frameworks/framework_copy.html", {"form": form, "source": source},
                  status=form_status(form))


@login_required
def node_edit(request: AuthenticatedRequest, pk: int, node_pk: int | None = None) -> HttpResponse:
    framework = _visible(request, pk)
    require(_can_edit(request, framework))
    node = get_object_or_404(framework.nodes.all(), pk=node_pk) if node_pk else None
    form = NodeForm(request.POST or None, instance=node, framework=framework)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            renumber(framework)
        messages.success(request, _("Đã lưu nội dung “%(code)s”.") % {"code": form.cleaned_data["code"]})
        return redirect_after_save(request, framework_detail_url(framework))
    return render_htmx(request, "frameworks/node_form.html", "frameworks/_node_form.html",
                       {"form": form, "framework": framework, "node": node}, status=form_status(form))


def framework_detail_url(framework: Framework) -> str:
    from django.urls import reverse

    return reverse("frameworks:framework_detail", args=[framework.pk])


@login_required
def node_history(request: AuthenticatedRequest, pk: int, node_pk: int) -> HttpResponse:
    framework = _visible(request, pk)
    node: Node = get_object_or_404(framework.nodes.all(), pk=node_pk)
    return render(request, "frameworks/node_history.html", {
        "framework": framework, "node": node, "history": history_entries(node),
    })
