from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "chiso.documents"
    verbose_name = "Văn bản"
