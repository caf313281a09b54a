"""Subject keys: wrapping with the master key, and the per-request cache of unwrapped keys.

Unwrapped keys live only in a ``ContextVar`` scope: a request (``KeyCacheMiddleware``) or a
``with key_scope():`` block in a command or task. Outside a scope nothing is cached and every
read fetches its key again; no key ever reaches a shared cache, so a shredded key is gone for
every process the moment its row is deleted.

Within a scope a subject's keys are fetched with one query, still wrapped, and each kind is
unwrapped only when a field under it is first read: a page that shows only the profile never
unwraps the retention key. The master key's cipher object is kept per process (the master key
itself is in process memory anyway, from the environment); subject keys never are.

``master_keys_unusable`` unwraps one stored key per master key version in use, so a wrong or
incomplete ``PLEDGE_MASTER_KEY`` stops start-up (``checks.py``) instead of every read later.
"""

import secrets
import uuid
from _thread import get_ident
from asyncio import _get_running_loop
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import connections

from . import conf
from .exceptions import CiphertextInvalid, MasterKeyUnavailable, vault_reachable
from .models import KeyKind, SubjectKey
from .routers import VAULT_DATABASE

NONCE_BYTES = 12


class SubjectCiphers(dict):
    """One subject's keys by kind, as fetched in one scope: a missing kind is shredded.

    Rows arrive wrapped, and a kind is unwrapped on its first lookup: ``ciphers[kind]`` (or
    ``get``) is its cipher, or None when the subject has no key of that kind. A key that fails
    to unwrap raises on every lookup; it never reads as shredded.
    """

    __slots__ = ("_subject_id", "_wrapped")

    def __init__(
        self,
        subject_id: uuid.UUID,
        wrapped: dict[str, tuple[bytes, int]] | None = None,
        ciphers: dict[str, AESGCM] | None = None,
    ) -> None:
        if ciphers:
            dict.update(self, ciphers)
        self._subject_id = subject_id
        # Kept after unwrapping (it is sealed with the master key): key derivations such as
        # the audit pseudonym unwrap it again instead of asking the vault a second time.
        self._wrapped = wrapped if wrapped is not None else {}

    def __missing__(self, kind: str) -> AESGCM | None:
        key = self.key_bytes(kind)
        if key is None:
            return None
        cipher = self[kind] = AESGCM(key)
        return cipher

    @property
    def subject_id(self) -> uuid.UUID:
        return self._subject_id

    def key_bytes(self, kind: str) -> bytes | None:
        """The raw key of this kind, to derive other keys from; None when it is shredded."""
        sealed = self._wrapped.get(kind)
        if sealed is None:
            return None
        return _unwrap(sealed[0], self._subject_id, kind, sealed[1])

    def get(self, kind: str, default=None) -> AESGCM | None:
        cipher = self[kind]
        return default if cipher is None else cipher

    def __contains__(self, kind: object) -> bool:
        return dict.__contains__(self, kind) or kind in self._wrapped

    def __repr__(self) -> str:  # never key material
        kinds = sorted({*self.keys(), *self._wrapped})
        return f"SubjectCiphers({self._subject_id}, kinds={kinds})"


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


# The master keys' cipher objects, per process, rebuilt whenever conf loads another keyring.
_master_ciphers: tuple[object, dict[int, AESGCM]] = (None, {})


def _master_cipher(version: int) -> AESGCM | None:
    global _master_ciphers  # a per-process cache, replaced whole
    keyring = conf.master_keyring()
    loaded, ciphers = _master_ciphers
    if loaded is not keyring:
        ciphers = {number: AESGCM(key) for number, key in keyring.keys.items()}
        _master_ciphers = (keyring, ciphers)
    return ciphers.get(version)


def wrap_key(key: bytes, *, subject_id: uuid.UUID, kind: str) -> tuple[bytes, int]:
    version = conf.master_keyring().newest_version
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = _master_cipher(version).encrypt(nonce, key, _wrap_aad(subject_id, kind, version))
    return nonce + sealed, version


def unwrap_key(wrapped: bytes, *, subject_id: uuid.UUID, kind: str, master_version: int) -> bytes:
    return _unwrap(wrapped, subject_id, kind, master_version)


def _unwrap(wrapped: bytes, subject_id: uuid.UUID, kind: str, master_version: int) -> bytes:
    # _master_cipher() inlined for the loaded keyring: this runs for every kind a request reads.
    loaded, masters = _master_ciphers
    master = masters.get(master_version) if loaded is conf.master_keyring() else None
    if master is None:
        master = _master_cipher(master_version)
    if master is None:
        raise MasterKeyUnavailable(
            f"a subject key is wrapped with master key version {master_version}, which "
            "PLEDGE_MASTER_KEY does not list"
        )
    if wrapped.__class__ is not bytes:
        wrapped = bytes(wrapped)  # a memoryview from psycopg2, say
    try:
        return master.decrypt(
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
    rows, ciphers, sealed = [], {}, {}
    for kind in KeyKind.values:
        key = AESGCM.generate_key(bit_length=256)
        wrapped, version = wrap_key(key, subject_id=subject_id, kind=kind)
        rows.append(
            SubjectKey(
                subject_id=subject_id, kind=kind, wrapped_key=wrapped, master_version=version
            )
        )
        ciphers[kind] = AESGCM(key)
        sealed[kind] = (wrapped, version)
    cache = _scope.get()
    if cache is not None:
        cache[subject_id] = SubjectCiphers(subject_id, sealed, ciphers=ciphers)
    return rows


_ONE_SQL = (
    f"SELECT kind, wrapped_key, master_version FROM {SubjectKey._meta.db_table} "  # noqa: S608
    "WHERE subject_id = %s"
)
# The same query in the driver's own parameter style, for the driver's own cursor.
_DRIVER_SQL = {"format": _ONE_SQL, "pyformat": _ONE_SQL, "qmark": _ONE_SQL.replace("%s", "?")}


def _fetch_one(subject_id: uuid.UUID) -> list[tuple]:
    """``(kind, wrapped_key, master_version)`` rows of one subject.

    This is the first read of every request that shows personal data, so it is one indexed
    query on a driver cursor, without the ORM and Django's cursor wrapper, but with Django's
    connection handling (connect, health check, async and thread checks, error translation).
    When the connection is open and needs none of that, those checks are made inline and
    driver errors are translated only when one is raised; otherwise it goes through Django's
    own methods. When queries are logged or instrumented (DEBUG, tests, an
    ``execute_wrapper``) it takes Django's cursor, so they see it. The cursor is closed at
    once: no key row outlives the call in a buffer.
    """
    connection = connections[VAULT_DATABASE]
    sql = _DRIVER_SQL.get(connection.Database.paramstyle)
    if (
        sql is None
        or connection.queries_logged
        or connection.execute_wrappers
        or connection.needs_rollback
    ):
        return _fetch_one_logged(connection, subject_id)
    raw = connection.connection
    if (
        raw is None  # connect first
        or (connection.health_check_enabled and not connection.health_check_done)
        or _get_running_loop() is not None  # async_unsafe: let ensure_connection() decide
        or not (connection.allow_thread_sharing or connection._thread_ident == get_ident())
    ):
        with vault_reachable():
            connection.close_if_health_check_failed()
            connection.ensure_connection()
        connection.validate_thread_sharing()
        raw = connection.connection
    parameters = (subject_id if connection.features.has_native_uuid_field else subject_id.hex,)
    try:
        cursor = raw.cursor()
        try:
            cursor.execute(sql, parameters)
            return cursor.fetchall()
        finally:
            cursor.close()
    except connection.Database.Error:
        # Django's exception (and errors_occurred), then ours for a connection error.
        with vault_reachable(), connection.wrap_database_errors:
            raise


def _fetch_one_logged(connection, subject_id: uuid.UUID) -> list[tuple]:
    with vault_reachable(), connection.cursor() as cursor:
        cursor.execute(_ONE_SQL, [_db_uuid(connection, subject_id)])
        return cursor.fetchall()


def _db_uuid(connection, subject_id: uuid.UUID):
    return subject_id if connection.features.has_native_uuid_field else subject_id.hex


def _fetch_wrapped(subject_ids: list[uuid.UUID]) -> list[tuple]:
    """``(subject_id, kind, wrapped_key, master_version)`` rows of many subjects, one query."""
    if len(subject_ids) == 1:
        return [(subject_ids[0], *row) for row in _fetch_one(subject_ids[0])]
    table = SubjectKey._meta.db_table
    connection = connections[VAULT_DATABASE]
    placeholders = ", ".join(["%s"] * len(subject_ids))
    with vault_reachable(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT subject_id, kind, wrapped_key, master_version FROM {table} "  # noqa: S608
            f"WHERE subject_id IN ({placeholders})",
            [_db_uuid(connection, s) for s in subject_ids],
        )
        rows = cursor.fetchall()
    # The ids asked for, by what the driver returns (a UUID, or hex text on SQLite).
    asked = {_db_uuid(connection, s): s for s in subject_ids}
    return [(asked.get(row[0]) or _as_uuid(row[0]), *row[1:]) for row in rows]


def _wrapped_by_subject(subject_ids: list[uuid.UUID]) -> dict[uuid.UUID, SubjectCiphers]:
    found = {subject_id: {} for subject_id in subject_ids}
    for subject_id, kind, wrapped, version in _fetch_wrapped(subject_ids):
        found[subject_id][kind] = (wrapped, version)
    return {subject_id: SubjectCiphers(subject_id, rows) for subject_id, rows in found.items()}


def subject_ciphers(subject_id) -> SubjectCiphers:
    """The subject's keys by kind (a missing kind is shredded), cached in the scope."""
    if subject_id.__class__ is not uuid.UUID:
        subject_id = _as_uuid(subject_id)
    cache = _scope.get()
    if cache is not None:
        ciphers = cache.get(subject_id)
        if ciphers is not None:
            return ciphers
    rows = _fetch_one(subject_id)
    ciphers = SubjectCiphers(
        subject_id, {kind: (wrapped, version) for kind, wrapped, version in rows}
    )
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
        cache.update(_wrapped_by_subject(missing[start : start + 500]))


def forget_subjects(subject_ids: Iterable[uuid.UUID]) -> None:
    for subject_id in subject_ids:
        forget_subject(subject_id)


@dataclass(frozen=True)
class UnusableMasterKey:
    """A master key version that wraps stored keys but that ``PLEDGE_MASTER_KEY`` cannot open."""

    version: int
    listed: bool  # listed, but not the key the stored keys were wrapped with

    @property
    def message(self) -> str:  # one line, never key material
        if self.listed:
            return (
                f"PLEDGE_MASTER_KEY version {self.version} is the wrong key: it does not unwrap "
                "the vault's keys of that version"
            )
        return (
            f"the vault's keys use master key version {self.version}, which PLEDGE_MASTER_KEY "
            "does not list"
        )


def master_keys_unusable() -> list[UnusableMasterKey]:
    """The master key versions in use in the vault that the configured keys cannot unwrap.

    One stored key of each version in use is unwrapped (a wrong key fails the tag check), so
    this is one indexed query per version, whatever the number of subjects. Empty when no key
    is stored yet, also before the vault's database or its tables exist. Raises
    ``VaultUnavailable`` when the vault database cannot be reached.
    """
    connection = connections[VAULT_DATABASE]
    if (
        connection.vendor == "sqlite"
        and not connection.is_in_memory_db()
        and not Path(connection.settings_dict["NAME"]).exists()
    ):
        return []  # not created yet, and connecting would create it
    with vault_reachable():
        if SubjectKey._meta.db_table not in connection.introspection.table_names():
            return []  # a database not migrated yet holds no key to check
        unusable, version = [], 0
        while True:
            # The lowest version above the last one seen: an index range scan per version in
            # use (a loose index scan), instead of reading every row for a DISTINCT.
            stored = (
                SubjectKey.objects.using(VAULT_DATABASE)
                .filter(master_version__gt=version)
                .order_by("master_version")
                .values_list("master_version", "subject_id", "kind", "wrapped_key")
                .first()
            )
            if stored is None:
                return unusable
            version, subject_id, kind, wrapped = stored
            if _master_cipher(version) is None:
                unusable.append(UnusableMasterKey(version, listed=False))
                continue
            try:
                _unwrap(wrapped, _as_uuid(subject_id), kind, version)
            except CiphertextInvalid:
                unusable.append(UnusableMasterKey(version, listed=True))
