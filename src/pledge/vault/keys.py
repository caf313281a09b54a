"""Subject keys: wrapping with the master key, and the per-request cache of unwrapped keys.

Unwrapped keys live only in a ``ContextVar`` scope: a request (``KeyCacheMiddleware``) or a
``with key_scope():`` block in a command or task. Outside a scope nothing is cached and every
read fetches its key again; no key ever reaches a shared cache, so a shredded key is gone for
every process the moment its row is deleted.
"""

import secrets
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import InterfaceError, OperationalError, connections

from . import conf
from .exceptions import CiphertextInvalid, MasterKeyUnavailable, VaultUnavailable
from .models import KeyKind, SubjectKey
from .routers import VAULT_DATABASE

NONCE_BYTES = 12

# subject id -> {key kind -> cipher}; a subject without a kind has been shredded for it.
SubjectCiphers = dict[str, AESGCM]
_scope: ContextVar[dict[uuid.UUID, SubjectCiphers] | None] = ContextVar(
    "pledge_vault_key_scope", default=None
)


@contextmanager
def key_scope() -> Iterator[None]:
    """Cache unwrapped keys until the block ends (one request, one command, one task)."""
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


def forget_subject(subject_id: uuid.UUID) -> None:
    """Drop a subject's keys from the current scope (after a shred within the same request)."""
    cache = _scope.get()
    if cache is not None:
        cache.pop(_as_uuid(subject_id), None)


def _as_uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _wrap_aad(subject_id: uuid.UUID, kind: str, master_version: int) -> bytes:
    # Binds a wrapped key to its subject and kind: a key row copied to another subject
    # does not unwrap.
    return b"pledge.vault.key/v1\x00%s\x00%s\x00%d" % (
        subject_id.bytes,
        kind.encode(),
        master_version,
    )


def wrap_key(key: bytes, *, subject_id: uuid.UUID, kind: str) -> tuple[bytes, int]:
    keyring = conf.master_keyring()
    version = keyring.newest_version
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(keyring.keys[version]).encrypt(nonce, key, _wrap_aad(subject_id, kind, version))
    return nonce + sealed, version


def unwrap_key(wrapped: bytes, *, subject_id: uuid.UUID, kind: str, master_version: int) -> bytes:
    master = conf.master_keyring().keys.get(master_version)
    if master is None:
        raise MasterKeyUnavailable(
            f"a subject key is wrapped with master key version {master_version}, which "
            "PLEDGE_MASTER_KEY does not list"
        )
    wrapped = bytes(wrapped)
    try:
        return AESGCM(master).decrypt(
            wrapped[:NONCE_BYTES],
            wrapped[NONCE_BYTES:],
            _wrap_aad(subject_id, kind, master_version),
        )
    except InvalidTag:
        raise CiphertextInvalid(
            f"the {kind} key of subject {subject_id} does not unwrap with master key "
            f"version {master_version}"
        ) from None


def new_subject_keys(subject_id: uuid.UUID) -> list[SubjectKey]:
    """Fresh random keys of every kind, wrapped, not yet saved; the plain keys go to the scope."""
    rows, ciphers = [], {}
    for kind in KeyKind.values:
        key = AESGCM.generate_key(bit_length=256)
        wrapped, version = wrap_key(key, subject_id=subject_id, kind=kind)
        rows.append(
            SubjectKey(
                subject_id=subject_id, kind=kind, wrapped_key=wrapped, master_version=version
            )
        )
        ciphers[kind] = AESGCM(key)
    cache = _scope.get()
    if cache is not None:
        cache[subject_id] = ciphers
    return rows


def _fetch_wrapped(subject_ids: list[uuid.UUID]) -> list[tuple]:
    # One raw query per scope and subject (or batch of subjects): this is on the path of every
    # page that shows personal data, so it skips the ORM's model building.
    table = SubjectKey._meta.db_table
    connection = connections[VAULT_DATABASE]
    native = connection.features.has_native_uuid_field
    placeholders = ", ".join(["%s"] * len(subject_ids))
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT subject_id, kind, wrapped_key, master_version FROM {table} "  # noqa: S608
                f"WHERE subject_id IN ({placeholders})",
                [s if native else s.hex for s in subject_ids],
            )
            return cursor.fetchall()
    except (OperationalError, InterfaceError) as error:
        raise VaultUnavailable("the vault database cannot be reached") from error


def _unwrap_rows(subject_ids: list[uuid.UUID]) -> dict[uuid.UUID, SubjectCiphers]:
    found: dict[uuid.UUID, SubjectCiphers] = {subject_id: {} for subject_id in subject_ids}
    for subject_id, kind, wrapped, version in _fetch_wrapped(subject_ids):
        subject_id = _as_uuid(subject_id)
        found[subject_id][kind] = AESGCM(
            unwrap_key(wrapped, subject_id=subject_id, kind=kind, master_version=version)
        )
    return found


def subject_ciphers(subject_id) -> SubjectCiphers:
    """The subject's unwrapped keys by kind (a missing kind is shredded), cached in the scope."""
    subject_id = _as_uuid(subject_id)
    cache = _scope.get()
    if cache is not None and subject_id in cache:
        return cache[subject_id]
    ciphers = _unwrap_rows([subject_id])[subject_id]
    if cache is not None:
        cache[subject_id] = ciphers
    return ciphers


def keys_prefetch(subject_ids: Iterable) -> None:
    """Load many subjects' keys into the current scope with one query (list pages, exports).

    Without a scope there is nowhere to keep them, so this does nothing.
    """
    cache = _scope.get()
    if cache is None:
        return
    missing = sorted({_as_uuid(s) for s in subject_ids} - cache.keys())
    for start in range(0, len(missing), 500):
        cache.update(_unwrap_rows(missing[start : start + 500]))


def forget_subjects(subject_ids: Iterable[uuid.UUID]) -> None:
    for subject_id in subject_ids:
        forget_subject(subject_id)
