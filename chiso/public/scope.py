"""Which plans have an open public page: the one rule shared by the page, its QR code and the public download
of evidence."""

from __future__ import annotations

from django.db.models import QuerySet

from chiso.plans.models import Plan, PlanStatus

PUBLISHED = (PlanStatus.ISSUED, PlanStatus.SUPERSEDED)


def public_plans() -> QuerySet[Plan]:
    """Plans issued (or superseded by a later version) whose coordinator opted them in."""
    return Plan.objects.filter(is_public=True, status__in=PUBLISHED)
