"""Plans and tasks are read-only here: their writes go through plans.services (assignments, locking,
history), which the admin would bypass."""


from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from chiso.core.admin import ReadOnlyAdminMixin
from chiso.plans.models import Plan, Task


class ReadOnlyAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    pass


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("title", "number", "owner_unit", "status", "province")
    list_filter = ("province", "status")


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("number", "content", "plan", "due_date")
    list_filter = ("plan__province",)
    search_fields = ("content",)
