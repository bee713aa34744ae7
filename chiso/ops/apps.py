from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running chiso in production: health, heartbeats, periodic jobs, request logs, backups."""

    name = "chiso.ops"
    label = "ops"
    verbose_name = _("Vận hành")
