"""What the vault can refuse. Reading an erased value is not among them: that gives ``ERASED``."""


class VaultError(Exception):
    pass


class VaultUnavailable(VaultError):
    """The vault database cannot be reached: personal data can be neither read nor written.

    ``VaultUnavailableMiddleware`` answers 503; a write that needed a key raised this before its
    transaction committed, so nothing is stored half.
    """


class SubjectErased(VaultError):
    """New personal data for a subject whose key is shredded (or who never existed)."""


class CiphertextInvalid(VaultError):
    """A value that does not decrypt under its own subject, key, field and row.

    Raised, never masked as erased: it means tampering or a ciphertext copied between rows.
    """


class MasterKeyUnavailable(VaultError):
    """A subject key is wrapped with a master key version that PLEDGE_MASTER_KEY does not list."""
