from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "pledge.vault"
    label = "vault"
    verbose_name = "Vault"
