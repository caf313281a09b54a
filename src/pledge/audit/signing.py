"""The checkpoint signing key: Ed25519, kept in a file outside the database.

Whoever can write the database could otherwise rewrite the whole chain with fresh hashes; they
cannot forge a checkpoint without this key. Verification needs only the public key, so an
auditor can check a copy of the log without being able to sign.

- ``PLEDGE_AUDIT_SIGNING_KEY``: path of the private key (PEM, PKCS#8). Required in production
  for checkpoints; in demo and test mode it defaults to ``VAR_DIR/audit/signing-key.pem`` and
  is generated on first use (mode 0600), with the public key next to it (``.pub.pem``).
- ``PLEDGE_AUDIT_VERIFY_KEYS``: optional, public key file(s) (PEM, separated by ``os.pathsep``)
  that verify trusts. Defaults to the public half of the signing key. List the old key too
  after a key rotation, so older checkpoints keep verifying.

Both are read from Django settings first, then from the environment.
"""

import hashlib
import json
import os
from datetime import datetime
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .chain import timestamp_text

SIGNING_KEY_SETTING = "PLEDGE_AUDIT_SIGNING_KEY"
VERIFY_KEYS_SETTING = "PLEDGE_AUDIT_VERIFY_KEYS"


class SigningKeyMissing(ImproperlyConfigured):
    pass


def _configured(name: str) -> str:
    return str(getattr(settings, name, "") or os.environ.get(name, ""))


def _generation_allowed() -> bool:
    return getattr(settings, "PLEDGE_ENV", "production") in {"demo", "test"}


def signing_key_path() -> Path | None:
    configured = _configured(SIGNING_KEY_SETTING)
    if configured:
        return Path(configured)
    if _generation_allowed():
        return Path(settings.VAR_DIR) / "audit" / "signing-key.pem"
    return None


def public_key_path(private_path: Path) -> Path:
    return private_path.with_name(private_path.stem + ".pub.pem")


def load_signing_key() -> Ed25519PrivateKey:
    path = signing_key_path()
    if path is None:
        raise SigningKeyMissing(
            f"{SIGNING_KEY_SETTING} is not set: audit checkpoints cannot be signed. Point it at "
            "an Ed25519 private key file (PEM) kept outside the database and its backups."
        )
    return _load_private(str(path), _generation_allowed())


@cache
def _load_private(path: str, may_generate: bool) -> Ed25519PrivateKey:
    key_file = Path(path)
    if not key_file.exists():
        if not may_generate:
            raise SigningKeyMissing(f"{SIGNING_KEY_SETTING} names a file that does not exist.")
        return _generate(key_file)
    key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{SIGNING_KEY_SETTING} must hold an Ed25519 private key.")
    return key


def _generate(key_file: Path) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # O_EXCL: two processes starting at once must not each write (and trust) their own key.
    try:
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _load_private.__wrapped__(str(key_file), False)
    with os.fdopen(descriptor, "wb") as out:
        out.write(pem)
    public_key_path(key_file).write_bytes(public_pem(key.public_key()))
    return key


def public_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def verify_keys() -> dict[str, Ed25519PublicKey]:
    """The public keys verify trusts, by key id."""
    configured = _configured(VERIFY_KEYS_SETTING)
    if not configured:
        public_key = load_signing_key().public_key()
        return {key_id(public_key): public_key}
    keys = {}
    for path in filter(None, configured.split(os.pathsep)):
        public_key = serialization.load_pem_public_key(Path(path).read_bytes())
        if not isinstance(public_key, Ed25519PublicKey):
            raise ImproperlyConfigured(f"{path}: not an Ed25519 public key")
        keys[key_id(public_key)] = public_key
    return keys


def checkpoint_message(*, sequence: int, head_hash: str, at: datetime) -> bytes:
    """What a checkpoint signature covers. Domain-separated so it can sign nothing else."""
    return json.dumps(
        ["pledge-audit-checkpoint-v1", sequence, head_hash, timestamp_text(at)],
        separators=(",", ":"),
    ).encode("ascii")


def sign_checkpoint(*, sequence: int, head_hash: str, at: datetime) -> tuple[str, str]:
    """Return (key id, hex signature) for the head at ``sequence``."""
    key = load_signing_key()
    message = checkpoint_message(sequence=sequence, head_hash=head_hash, at=at)
    return key_id(key.public_key()), key.sign(message).hex()


def signature_valid(
    keys: dict[str, Ed25519PublicKey], *, key: str, signature: str, message: bytes
) -> bool:
    public_key = keys.get(key)
    if public_key is None:
        return False
    try:
        public_key.verify(bytes.fromhex(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True
