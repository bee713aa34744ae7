from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chiso.core"
    verbose_name = "Lõi hệ thống"
