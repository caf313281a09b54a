import os
import stat

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pledge.audit.checks import audit_configuration
from pledge.audit.signing import (
    SigningKeyMissing,
    key_id,
    load_signing_key,
    public_pem,
    signing_key_path,
    verify_keys,
)


def test_demo_and_test_generate_a_private_key_readable_only_by_the_owner(audit_settings):
    key = load_signing_key()
    path = signing_key_path()
    assert path.parent.parent == audit_settings.VAR_DIR
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.with_name("signing-key.pub.pem").read_bytes() == public_pem(key.public_key())
    # The same key on the next use, not a fresh one.
    assert key_id(load_signing_key().public_key()) == key_id(key.public_key())


def test_production_never_generates_a_key(audit_settings):
    audit_settings.PLEDGE_ENV = "production"
    audit_settings.PLEDGE_AUDIT_SIGNING_KEY = ""
    with pytest.raises(SigningKeyMissing):
        load_signing_key()
    audit_settings.PLEDGE_AUDIT_SIGNING_KEY = str(audit_settings.VAR_DIR / "absent.pem")
    with pytest.raises(SigningKeyMissing):
        load_signing_key()
    assert not (audit_settings.VAR_DIR / "absent.pem").exists()


def test_verify_trusts_the_public_keys_it_is_given(audit_settings, tmp_path):
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    paths = []
    for name, key in (("old", old), ("new", new)):
        (tmp_path / f"{name}.pub.pem").write_bytes(public_pem(key.public_key()))
        paths.append(str(tmp_path / f"{name}.pub.pem"))
    audit_settings.PLEDGE_AUDIT_VERIFY_KEYS = os.pathsep.join(paths)
    assert set(verify_keys()) == {key_id(old.public_key()), key_id(new.public_key())}


def test_production_warns_about_a_missing_key_and_the_interim_pseudonyms(audit_settings):
    audit_settings.PLEDGE_ENV = "production"
    audit_settings.PLEDGE_AUDIT_SIGNING_KEY = ""
    assert {w.id for w in audit_configuration(None)} == {"audit.W001", "audit.W002"}
    audit_settings.PLEDGE_ENV = "test"
    assert audit_configuration(None) == []
