from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "chiso.documents"
    verbose_name = "Văn bản"

    def ready(self) -> None:
        from chiso.core.todo import register_todo_source
        from chiso.documents.todo import imports_in_preview

        register_todo_source(imports_in_preview)
