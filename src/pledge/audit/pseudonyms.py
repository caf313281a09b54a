"""Where subject pseudonyms come from: a pluggable source, so the vault can own the secret.

An audit row names a subject only by a pseudonym. The vault app will derive it with the
subject's own key; once that key is destroyed on erasure (Art. 17), nobody can link the
subject's audit rows to them any more, while the chain still verifies. Until the vault is
wired in, a keyed hash with a key derived from SECRET_KEY is used: pseudonymous, but not
unlinkable by erasure.

Wiring, either of:

- ``PLEDGE_AUDIT_PSEUDONYM_SOURCE = "pledge.vault.services.subject_audit_pseudonym"`` in
  settings (a dotted path to a callable), or
- ``pledge.audit.services.set_pseudonym_source(callable)``, e.g. in ``VaultConfig.ready()``.

The callable takes the subject id as a string and returns the pseudonym: 8-128 characters
from ``[A-Za-z0-9_.:=+/-]``, the same for the same subject every time. For a subject it can no
longer name (erased) it returns ``ERASED_SUBJECT_PSEUDONYM``, one value shared by every erased
subject: an event about an erased person's retained records (a staff member opening an invoice
kept for the tax authority) is still logged, and links to nobody.
"""

from collections.abc import Callable

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string

PseudonymSource = Callable[[str], str]
ERASED_SUBJECT_PSEUDONYM = "erased-subject"

PSEUDONYM_SOURCE_SETTING = "PLEDGE_AUDIT_PSEUDONYM_SOURCE"

_source: PseudonymSource | None = None


def set_pseudonym_source(source: PseudonymSource | None) -> None:
    """Install the function that derives pseudonyms (None: back to the setting or default)."""
    global _source
    _source = source


def keyed_hash_pseudonym(subject_id: str) -> str:
    """The interim default: HMAC-SHA256 of the subject id, keyed from SECRET_KEY."""
    return "h1:" + salted_hmac("pledge.audit.pseudonym", subject_id, algorithm="sha256").hexdigest()


def pseudonym_source() -> PseudonymSource:
    if _source is not None:
        return _source
    dotted_path = getattr(settings, PSEUDONYM_SOURCE_SETTING, "")
    if dotted_path:
        return import_string(dotted_path)
    return keyed_hash_pseudonym


def pseudonym_source_configured() -> bool:
    return _source is not None or bool(getattr(settings, PSEUDONYM_SOURCE_SETTING, ""))


def subject_pseudonym_for(*, subject_id: object) -> str:
    """The audit pseudonym of a subject (a user id, a subscriber id...)."""
    return pseudonym_source()(str(subject_id))
