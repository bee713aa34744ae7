from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "chiso.monitoring"
    verbose_name = _("Theo dõi thực hiện")
