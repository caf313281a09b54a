"""The audit log names a person by a pseudonym that dies with their profile key."""

import pytest

from pledge.audit.services import AuditAction, audit_record, subject_pseudonym_for
from pledge.vault.exceptions import SubjectErased
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
    subject_shred(anna)
    with pytest.raises(SubjectErased):
        subject_pseudonym_for(subject_id=anna)
    event.refresh_from_db()
    assert event.subject_pseudonym == pseudonym  # the row stays, the chain still verifies
