from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitIndexConfig(AppConfig):
    name = "chiso.unitindex"
    label = "unitindex"
    verbose_name = _("Chỉ số CCHC của các đơn vị")
