from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BackofficeConfig(AppConfig):
    name = "pledge.backoffice"
    label = "backoffice"
    verbose_name = "Back office"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system check)
        from .services import roles_sync_after_migrate

        # The policy's roles become groups on every migrate, so a policy change needs no
        # migration: a purpose added to or removed from a role is granted or withdrawn here.
        post_migrate.connect(roles_sync_after_migrate, sender=self)
