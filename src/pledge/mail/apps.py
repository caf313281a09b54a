from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "pledge.mail"
    label = "mail"
    verbose_name = "Mail outbox"

    def ready(self) -> None:
        from . import checks  # noqa: F401 (registers the system check)
