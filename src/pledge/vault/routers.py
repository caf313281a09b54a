class VaultRouter:
    """Keeps the vault's tables in the ``vault`` database and everything else out of it."""

    vault_app = "vault"

    def db_for_read(self, model, **hints):
        return "vault" if model._meta.app_label == self.vault_app else None

    def db_for_write(self, model, **hints):
        return "vault" if model._meta.app_label == self.vault_app else None

    def allow_relation(self, obj1, obj2, **hints):
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if app_label == self.vault_app:
            return db == "vault"
        return db != "vault"
