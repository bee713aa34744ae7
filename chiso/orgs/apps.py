from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "chiso.orgs"
    verbose_name = "Tổ chức"
