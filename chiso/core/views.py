from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from chiso.plans.models import Assignment, Plan, PlanStatus


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    plans = (Plan.objects.visible_to(user).select_related("owner_unit")
             .annotate(task_count=Count("tasks")).order_by("-period_start", "-id")[:8])
    context = {"plans": plans, "today": timezone.localdate()}
    if user.unit_id:
        mine = Assignment.objects.filter(unit_id=user.unit_id, task__plan__in=Plan.objects.visible_to(user).values("pk"))
        context["my_assignment_count"] = mine.count()
        context["my_upcoming"] = (mine.filter(due_date__gte=context["today"]).select_related("task__plan")
                                  .order_by("due_date")[:5])
        context["own_plans"] = Plan.objects.filter(owner_unit_id=user.unit_id, parent__isnull=False)
    if user.sees_whole_province:
        context["status_counts"] = dict(Plan.objects.visible_to(user).values_list("status").annotate(n=Count("id")))
        context["statuses"] = PlanStatus
    return render(request, "core/home.html", context)
