"""The benchmark's API list endpoints and the plan's public page (issue 13), added to pages_for by one call so
the page list can be split without touching them. The API is called with the persona's signed-in session
(the API accepts it as well as a token), so the measure is the same endpoint code with no token lookup."""

from __future__ import annotations

from django.urls import reverse

from chiso.accounts.models import User
from chiso.plans.models import Plan
from chiso.scale.benchmark import Page


def api_and_public_pages(plan: Plan, coordinator: User, focal: User, unit_id: int | None) -> list[Page]:
    v1 = "/api/v1"
    pages = [Page("coordinator", coordinator, f"api {name}", f"{v1}{path}") for name, path in (
        ("plans", "/plans"), ("tasks", f"/plans/{plan.pk}/tasks"), ("assignments", f"/assignments?plan={plan.pk}"),
        ("periods", f"/periods?plan={plan.pk}"), ("reports", f"/reports?plan={plan.pk}"),
        ("results", "/results?index=PAPI"), ("units", "/units"), ("emulation", "/emulation"))]
    pages += [Page("focal_point", focal, f"api {name}", f"{v1}{path}") for name, path in (
        ("assignments", f"/assignments?plan={plan.pk}&unit={unit_id}"), ("reports", f"/reports?plan={plan.pk}"))]
    if plan.is_public:
        # The page as everyone gets it (cached); a signed-in person gets the same page.
        pages.append(Page("public", coordinator, "public_plan", reverse("public:plan", args=[plan.pk])))
    return pages
