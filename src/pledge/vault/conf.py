"""The vault's configuration, read from the environment (not from settings.py).

``PLEDGE_MASTER_KEY``        versioned master keys, ``"2:<base64 32 bytes>,1:<base64 32 bytes>"``:
                             the highest version wraps new subject keys, every listed one unwraps.
``PLEDGE_BLIND_INDEX_KEY``   base64 32 bytes: HMAC key of the lookup indexes (login by e-mail).
``PLEDGE_SUPPRESSION_KEY``   base64 32 bytes: HMAC key of lists that outlive an erasure.
``PLEDGE_TOMBSTONE_PATH``    append-only file of erased subject ids (default ``VAR_DIR``).

In demo and test mode a missing key is generated once into a file under ``settings.VAR_DIR``, so
``pledge demo`` needs no set-up. In production a missing or malformed key stops start-up: a shop
that cannot decrypt, or that silently made itself a new key, would lose its customers' data.
Whether a well-formed master key is the right one needs the stored keys: ``checks.py`` checks
that once the apps are loaded, in every mode.
"""

import base64
import binascii
import os
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 32  # AES-256 and HMAC-SHA256

MASTER_KEY_FORMAT = '"<version>:<base64 of 32 random bytes>[,<older version>:<base64>...]"'
RANDOM_KEY = (
    'the base64 of 32 random bytes (python3 -c "import base64,os;'
    'print(base64.b64encode(os.urandom(32)).decode())")'
)
MASTER_KEY_HINT = (
    "generate one with: python3 -c \"import base64,os;print('1:'+base64.b64encode(os.urandom(32))"
    '.decode())"'
)


@dataclass(frozen=True)
class MasterKeyring:
    """Master keys by version. Only the vault's key-wrapping code ever sees these bytes."""

    keys: dict[int, bytes]

    @property
    def newest_version(self) -> int:
        return max(self.keys)

    def __repr__(self) -> str:  # never print key material, not even in a traceback
        return f"MasterKeyring(versions={sorted(self.keys, reverse=True)})"


def _decode_key(text: str, *, name: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{name} is not valid base64.") from None
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(f"{name} must decode to {KEY_BYTES} bytes, not {len(key)}.")
    return key


def parse_master_keys(value: str) -> MasterKeyring:
    """Parse ``PLEDGE_MASTER_KEY``; errors are one line and never repeat the key material."""
    keys: dict[int, bytes] = {}
    entries = [entry for entry in value.split(",") if entry.strip()]
    if not entries:
        raise ImproperlyConfigured(
            f"PLEDGE_MASTER_KEY is empty: expected {MASTER_KEY_FORMAT}; {MASTER_KEY_HINT}."
        )
    for position, entry in enumerate(entries, start=1):
        version_text, separator, key_text = entry.partition(":")
        if not separator or not version_text.strip().isdigit() or int(version_text) < 1:
            raise ImproperlyConfigured(
                f"PLEDGE_MASTER_KEY entry {position} is malformed: expected {MASTER_KEY_FORMAT} "
                "with versions 1, 2, 3..."
            )
        version = int(version_text)
        if version in keys:
            raise ImproperlyConfigured(f"PLEDGE_MASTER_KEY lists version {version} twice.")
        keys[version] = _decode_key(key_text, name=f"PLEDGE_MASTER_KEY version {version}")
    return MasterKeyring(keys)


def _demo_key_file(filename: str, *, content) -> str:
    """Read, or create once, a key file under VAR_DIR (demo and test only).

    Created under a temporary name and hard-linked into place, so parallel test workers that
    race here all end up with the same key.
    """
    path = Path(settings.VAR_DIR) / filename
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{filename}.{secrets.token_hex(8)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(content() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text().strip()


def _random_key_text() -> str:
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def _setting(name: str, *, expected: str, demo_file: str, demo_content) -> str:
    value = os.environ.get(name)
    if value is not None:
        return value
    if settings.PLEDGE_ENV == "production":
        raise ImproperlyConfigured(f"{name} is not set: production needs {expected}.")
    return _demo_key_file(demo_file, content=demo_content)


@cache
def master_keyring() -> MasterKeyring:
    return parse_master_keys(
        _setting(
            "PLEDGE_MASTER_KEY",
            expected=f"{MASTER_KEY_FORMAT}; {MASTER_KEY_HINT}",
            demo_file="vault-master.key",
            demo_content=lambda: f"1:{_random_key_text()}",
        )
    )


@cache
def blind_index_key() -> bytes:
    name = "PLEDGE_BLIND_INDEX_KEY"
    return _decode_key(
        _setting(
            name,
            expected=RANDOM_KEY,
            demo_file="vault-blind-index.key",
            demo_content=_random_key_text,
        ),
        name=name,
    )


@cache
def suppression_key() -> bytes:
    name = "PLEDGE_SUPPRESSION_KEY"
    key = _decode_key(
        _setting(
            name,
            expected=RANDOM_KEY,
            demo_file="vault-suppression.key",
            demo_content=_random_key_text,
        ),
        name=name,
    )
    if key == blind_index_key():
        # One key for both would let a nulled lookup index be rebuilt from the suppression list.
        raise ImproperlyConfigured(
            "PLEDGE_SUPPRESSION_KEY must differ from PLEDGE_BLIND_INDEX_KEY."
        )
    return key


def tombstone_path() -> Path:
    return Path(
        os.environ.get("PLEDGE_TOMBSTONE_PATH", Path(settings.VAR_DIR) / "vault-tombstones.jsonl")
    )


def check_configuration() -> None:
    """Called from ``VaultConfig.ready()``: load every key now, fail with one line if unusable."""
    master_keyring()
    blind_index_key()
    suppression_key()


def reload() -> None:
    """Forget the loaded keys (tests that change the environment; after a key rotation)."""
    master_keyring.cache_clear()
    blind_index_key.cache_clear()
    suppression_key.cache_clear()
