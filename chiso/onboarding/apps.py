from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    """A province's first steps: the coordinator's checklist on their home page."""

    name = "chiso.onboarding"
    label = "onboarding"
    verbose_name = _("Bắt đầu sử dụng")
