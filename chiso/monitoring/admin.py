
from django.contrib import admin

from chiso.core.admin import ReadOnlyAdminMixin
from chiso.monitoring.models import Notification, ReportingPeriod, ReportVersion, UnitReport


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Periods and reports change only through the app (chiso.monitoring.reports.views and services), which checks
    lock_version and keeps every submitted version: the admin shows them and changes nothing."""



@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyAdmin):
    list_display = ["label", "plan", "kind", "due_date"]
    list_filter = ["kind"]


@admin.register(UnitReport)
class UnitReportAdmin(ReadOnlyAdmin):
    list_display = ["unit", "period", "status", "version_count", "submitted_at"]
    list_filter = ["status"]


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin):
    list_display = ["report", "number", "outcome", "submitted_at", "reviewed_at"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "recipient", "kind", "email_state", "created_at"]
    list_filter = ["kind", "email_state"]
    search_fields = ["event_key", "recipient__username"]
