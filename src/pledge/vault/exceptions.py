"""What the vault can refuse. Reading an erased value is not among them: that gives ``ERASED``."""

from contextlib import contextmanager

from django.db import InterfaceError, OperationalError


class VaultError(Exception):
    pass


class VaultUnavailable(VaultError):
    """The vault database cannot be reached: personal data can be neither read nor written.

    ``VaultUnavailableMiddleware`` answers 503; a write that needed a key raised this before its
    transaction committed, so nothing is stored half.
    """


@contextmanager
def vault_reachable():
    """Turn the vault database's connection errors raised in the block into ``VaultUnavailable``."""
    try:
        yield
    except (OperationalError, InterfaceError) as error:
        raise VaultUnavailable("the vault database cannot be reached") from error


class SubjectErased(VaultError):
    """New personal data for a subject whose key is shredded (or who never existed)."""


class CiphertextInvalid(VaultError):
    """A value that does not decrypt under its own subject, key, field and row.

    Raised, never masked as erased: it means tampering or a ciphertext copied between rows.
    """


class MasterKeyUnavailable(VaultError):
    """A subject key is wrapped with a master key version that PLEDGE_MASTER_KEY does not list."""
