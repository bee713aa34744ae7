"""What the running processes leave behind for the health check and the scheduler."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time a background process proved it was alive ("worker": a job run by `db_worker`)."""

    name = models.CharField(_("tiến trình"), max_length=40, primary_key=True)
    beat_at = models.DateTimeField(_("lần cuối"))

    class Meta:
        verbose_name = _("nhịp hoạt động")
        verbose_name_plural = _("nhịp hoạt động")

    def __str__(self) -> str:
        return self.name


class PeriodicJob(models.Model):
    """One row per periodic job: whoever moves `due_at` forward with a conditional update runs it, so a job
    runs once per interval however many schedulers (or web processes, or hosts) look at it."""

    name = models.CharField(_("công việc"), max_length=40, primary_key=True)
    due_at = models.DateTimeField(_("đến hạn lúc"))
    last_started_at = models.DateTimeField(_("lần chạy gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("công việc định kỳ")
        verbose_name_plural = _("công việc định kỳ")

    def __str__(self) -> str:
        return self.name
