"""The request type of chiso's views, for the type checker."""

from __future__ import annotations

from django.http import HttpRequest

from chiso.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request that reached a view behind login_required: its user is a chiso User, never the anonymous
    one. Views annotate `request` with it so that role checks (`request.user.manages_province`) type-check."""

    user: User
