"""A subject's audit pseudonym, derived from the subject's own profile key.

The audit log names a person only by this pseudonym. Because it is derived from the profile key
(HKDF-SHA256), shredding that key on erasure makes every audit row of the person anonymous:
nobody can recompute the pseudonym to link the rows to them again, while the hash chain still
verifies (Art. 17 GDPR without breaking accountability, Art. 5(2)). After that, events about
the person's retained records (an invoice kept for the tax authority, opened by staff) name
them by the pseudonym every erased subject shares.
"""

import base64
import uuid

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from pledge.audit.services import ERASED_SUBJECT_PSEUDONYM

from .keys import subject_ciphers
from .models import KeyKind

_INFO = b"pledge.vault.audit-pseudonym/v1"


def subject_audit_pseudonym(subject_id: str | uuid.UUID) -> str:
    """``p1:`` and 32 url-safe base64 characters; the same for the same subject every time.

    ``ERASED_SUBJECT_PSEUDONYM`` once the profile key is shredded: nothing can link the
    person's earlier rows to them, and a page about their retained records still works.
    """
    # Through the request's key scope: a request that also reads the person's data asks the
    # vault once.
    ciphers = subject_ciphers(subject_id)
    key = ciphers.key_bytes(KeyKind.PROFILE)
    if key is None:
        return ERASED_SUBJECT_PSEUDONYM
    subject_id = ciphers.subject_id
    derived = HKDF(
        algorithm=hashes.SHA256(), length=24, salt=None, info=_INFO + subject_id.bytes
    ).derive(key)
    return "p1:" + base64.urlsafe_b64encode(derived).decode()
