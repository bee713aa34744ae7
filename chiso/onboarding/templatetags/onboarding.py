from __future__ import annotations

from typing import Any

from django import template

from chiso.onboarding.checklist import checklist_for

register = template.Library()


@register.inclusion_tag("onboarding/_onboarding_checklist.html", takes_context=True)
def onboarding_checklist(context: template.Context) -> dict[str, Any]:
    """`{% load onboarding %}{% onboarding_checklist %}` on a home page: nothing for users it does not concern."""
    request = context["request"]
    return {"checklist": checklist_for(request.user), "csrf_token": context.get("csrf_token")}
