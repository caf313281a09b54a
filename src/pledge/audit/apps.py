from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "pledge.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
