from typing import Any

from django.apps import AppConfig
from django.core.management import call_command
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """The database cache's table (settings.CACHES) is not a model: created, if missing, after every migrate, so a
    deployment's `chiso-manage migrate` is the one step. Nothing is done when the cache lives in memory."""
    call_command("createcachetable", database=using, verbosity=0)


class OpsConfig(AppConfig):
    """Running chiso in production: health, heartbeats, periodic jobs, request logs, backups."""

    name = "chiso.ops"
    label = "ops"
    verbose_name = _("Vận hành")

    def ready(self) -> None:
        # Sent once per app that has models; ops has, core has none (its config would never hear it).
        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="chiso.ops.createcachetable")
        from chiso.ops.database import keep_prepared_statements

        connection_created.connect(keep_prepared_statements, dispatch_uid="chiso.ops.keep_prepared_statements")
