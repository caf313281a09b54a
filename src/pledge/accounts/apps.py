from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pledge.accounts"
    label = "accounts"
    verbose_name = "Accounts"
