"""Keeps the vault's tables in the ``vault`` database and everything else out of it.

Keys and ciphertext never share a database: a leaked dump of one is noise without the other.
"""

VAULT_APP = "vault"
VAULT_DATABASE = "vault"


def _is_vault(model) -> bool:
    return model._meta.app_label == VAULT_APP


class VaultRouter:
    # None for other models: Django then uses ``default`` (or whatever a later router says).
    def db_for_read(self, model, **hints):
        return VAULT_DATABASE if _is_vault(model) else None

    def db_for_write(self, model, **hints):
        return VAULT_DATABASE if _is_vault(model) else None

    def allow_relation(self, obj1, obj2, **hints):
        # A foreign key across the two databases could never be enforced; subjects are
        # referenced by a plain UUID column instead.
        # obj.__class__, not type(obj): request.user is a lazy object that proxies __class__.
        if _is_vault(obj1.__class__) != _is_vault(obj2.__class__):
            return False
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if app_label == VAULT_APP:
            return db == VAULT_DATABASE
        return db != VAULT_DATABASE
