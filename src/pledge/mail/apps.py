from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "pledge.mail"
    label = "mail"
    verbose_name = "Mail outbox"
