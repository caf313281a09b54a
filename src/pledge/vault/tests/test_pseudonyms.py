"""The audit log names a person by a pseudonym that dies with their profile key."""

import pytest

from pledge.audit.selectors import audit_events_for_subject
from pledge.audit.services import (
    ERASED_SUBJECT_PSEUDONYM,
    AuditAction,
    audit_record,
    subject_pseudonym_for,
)
from pledge.vault.services import subject_create, subject_shred

from .conftest import BOTH


@pytest.mark.django_db(databases=BOTH, transaction=True)
def test_audit_pseudonym_is_stable_per_subject_and_differs_between_subjects(tombstone_file):
    anna, bram = subject_create(), subject_create()
    assert subject_pseudonym_for(subject_id=anna) == subject_pseudonym_for(subject_id=anna)
    assert subject_pseudonym_for(subject_id=anna) != subject_pseudonym_for(subject_id=bram)
    assert str(anna) not in subject_pseudonym_for(subject_id=anna)


@pytest.mark.django_db(databases=BOTH, transaction=True)
def test_after_erasure_nobody_can_link_the_audit_rows_to_the_person(tombstone_file):
    anna = subject_create()
    pseudonym = subject_pseudonym_for(subject_id=anna)
    event = audit_record(action=AuditAction.ACCOUNT_CHANGE, subject_pseudonym=pseudonym)
    bram = subject_create()
    subject_shred(anna)
    subject_shred(bram)
    # Every erased subject answers to the one shared pseudonym: it links to nobody, and it
    # finds none of anyone's rows.
    assert subject_pseudonym_for(subject_id=anna) == ERASED_SUBJECT_PSEUDONYM
    assert subject_pseudonym_for(subject_id=bram) == ERASED_SUBJECT_PSEUDONYM
    assert pseudonym != ERASED_SUBJECT_PSEUDONYM
    audit_record(
        action=AuditAction.CONSENT_CHANGE, subject_pseudonym=subject_pseudonym_for(subject_id=bram)
    )
    assert not audit_events_for_subject(subject_pseudonym=ERASED_SUBJECT_PSEUDONYM).exists()
    event.refresh_from_db()
    assert event.subject_pseudonym == pseudonym  # the row stays, the chain still verifies
