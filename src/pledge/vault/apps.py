from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _vault_sqlite_secure_delete(sender, connection, **kwargs) -> None:
    # A deleted key row must not linger in SQLite's free pages: overwrite it on delete.
    if connection.alias == "vault" and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")


class VaultConfig(AppConfig):
    name = "pledge.vault"
    label = "vault"
    verbose_name = "Vault"

    def ready(self) -> None:
        from . import checks, conf  # noqa: F401 (checks registers vault.E004 and vault.E005)

        # Load every key at start-up: in production a missing or malformed key stops the shop
        # with one line (ImproperlyConfigured), before it could write data it cannot read back.
        # Whether the keys are the right ones needs the vault database, which the app registry
        # must not query: pledge.cli.start() checks that once the apps are ready.
        conf.check_configuration()
        connection_created.connect(_vault_sqlite_secure_delete, dispatch_uid="vault-secure-delete")
