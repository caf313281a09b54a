import uuid

import pytest

from pledge.audit.chain import GENESIS_HASH, canonical_row, chain_hash
from pledge.audit.models import AuditCheckpoint, AuditEvent
from pledge.audit.services import (
    AuditEntry,
    AuditRecordRejected,
    audit_record,
    audit_record_many,
    set_pseudonym_source,
    subject_pseudonym_for,
)

pytestmark = pytest.mark.django_db

PSEUDONYM = "h1:" + "a" * 64


def test_first_event_starts_the_chain_and_the_next_links_to_it():
    first = audit_record(action="login", subject_pseudonym=PSEUDONYM)
    second = audit_record(action="logout", subject_pseudonym=PSEUDONYM)
    assert (first.sequence, first.prev_hash) == (1, GENESIS_HASH)
    assert (second.sequence, second.prev_hash) == (2, first.hash)
    stored = AuditEvent.objects.get(sequence=2)
    canonical = canonical_row(2, stored.at, "logout", "", PSEUDONYM, "", "", "", "{}")
    assert stored.hash == chain_hash(first.hash, canonical)


def test_staff_view_records_who_why_and_what():
    staff = uuid.uuid4()
    event = audit_record(
        action="personal_data_viewed",
        staff_id=staff,
        purpose="order_fulfilment",
        object_type="shop.order",
        object_id=417,
        details={"fields": ["address"]},
    )
    event.refresh_from_db()
    assert event.staff_id == str(staff)
    assert (event.object_type, event.object_id, event.purpose) == (
        "shop.order",
        "417",
        "order_fulfilment",
    )
    assert event.details == {"fields": ["address"]}


def test_details_holding_an_email_address_are_refused_without_echoing_it():
    with pytest.raises(AuditRecordRejected) as refusal:
        audit_record(
            action="account_change",
            subject_pseudonym=PSEUDONYM,
            details={"changed": "jan.jansen@example.nl"},
        )
    assert "jan.jansen" not in str(refusal.value)
    assert "details.changed" in str(refusal.value)
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "details",
    [
        {"fields": ["ok", {"new": "Jan.Jansen@Example.NL"}]},
        {"email": "redacted"},
        {"customer_name": "x"},
        {"source": "192.168.1.20"},
        {"source": "2001:db8::1"},
        {"callback": "+31 6 12345678"},
        {"callback": "0612345678"},
    ],
)
def test_details_that_look_like_personal_data_are_refused(details):
    with pytest.raises(AuditRecordRejected):
        audit_record(action="account_change", subject_pseudonym=PSEUDONYM, details=details)


@pytest.mark.parametrize(
    "details",
    [
        {"at": object()},
        {"ratio": 0.5},
        {"tags": {"a", "b"}},
        {1: "numeric key"},
        {"Not-Snake": 1},
        {"blob": "x" * 3000},
        ["not", "a", "dict"],
    ],
)
def test_details_that_are_not_small_plain_json_are_refused(details):
    with pytest.raises(AuditRecordRejected):
        audit_record(action="export", subject_pseudonym=PSEUDONYM, details=details)


def test_plain_non_personal_details_are_kept_canonically():
    event = audit_record(
        action="retention_sweep",
        details={"purpose": "newsletter", "erased": 12, "dry_run": False, "on": "2026-11-27"},
    )
    assert event.details_json == (
        '{"dry_run":false,"erased":12,"on":"2026-11-27","purpose":"newsletter"}'
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"action": "logged_in"},
        {"action": "login", "staff_id": uuid.uuid4(), "subject_pseudonym": PSEUDONYM},
        {"action": "login", "staff_id": "jan@pixeljet.nl"},
        {"action": "login", "subject_pseudonym": "Jan Jansen"},
        {"action": "login", "subject_pseudonym": "jan@pixeljet.nl"},
        {"action": "login", "object_type": "subject", "object_id": "jan@pixeljet.nl"},
        {"action": "personal_data_viewed", "staff_id": "42"},
        {"action": "personal_data_viewed", "purpose": "order_fulfilment"},
        {"action": "personal_data_viewed", "staff_id": "42", "purpose": "curiosity"},
        {"action": "disclosure", "purpose": "order_fulfilment", "details": {"recipient": "nsa"}},
        {"action": "disclosure", "details": {"recipient": "postnl"}},
        # A control character: the canonical form's field separator is one.
        {"action": "login", "object_type": "shop.order", "object_id": "2026\x1f1"},
        {"action": "login", "object_type": "shop.order", "object_id": "2026\n1"},
    ],
)
def test_events_that_break_the_rules_are_refused(kwargs):
    with pytest.raises(AuditRecordRejected):
        audit_record(**kwargs)


def test_disclosure_to_a_policy_recipient_is_recorded():
    event = audit_record(
        action="disclosure",
        subject_pseudonym=PSEUDONYM,
        purpose="order_fulfilment",
        details={"recipient": "postnl"},
    )
    assert event.details == {"recipient": "postnl"}


def test_a_batch_is_refused_whole_when_one_entry_is_bad():
    entries = [AuditEntry(action="login", subject_pseudonym=PSEUDONYM)] * 3
    entries.append(AuditEntry(action="login", details={"mail": "x"}))
    with pytest.raises(AuditRecordRejected):
        audit_record_many(entries=entries)
    assert not AuditEvent.objects.exists()


def test_a_batch_continues_the_chain():
    audit_record(action="login", subject_pseudonym=PSEUDONYM)
    batch = audit_record_many(entries=[AuditEntry(action="logout")] * 4)
    rows = list(
        AuditEvent.objects.order_by("sequence").values_list("sequence", "prev_hash", "hash")
    )
    assert [row[0] for row in rows] == [1, 2, 3, 4, 5]
    assert all(rows[i][1] == rows[i - 1][2] for i in range(1, 5))
    assert [event.sequence for event in batch] == [2, 3, 4, 5]


def test_an_empty_batch_writes_nothing():
    assert audit_record_many(entries=[]) == []


def test_a_checkpoint_is_signed_automatically_every_n_events(audit_settings):
    audit_settings.PLEDGE_AUDIT_CHECKPOINT_EVERY = 5
    for _ in range(4):
        audit_record(action="login")
    assert not AuditCheckpoint.objects.exists()
    audit_record(action="login")
    audit_record_many(entries=[AuditEntry(action="logout")] * 7)  # crosses 10, ends at 12
    assert list(
        AuditCheckpoint.objects.order_by("sequence").values_list("sequence", flat=True)
    ) == [5, 12]
    assert AuditCheckpoint.objects.get(sequence=12).hash == AuditEvent.objects.get(sequence=12).hash


def test_without_a_signing_key_the_event_is_kept_and_the_checkpoint_skipped(audit_settings):
    audit_settings.PLEDGE_ENV = "production"
    audit_settings.PLEDGE_AUDIT_SIGNING_KEY = ""
    audit_settings.PLEDGE_AUDIT_CHECKPOINT_EVERY = 1
    audit_record(action="login")
    assert AuditEvent.objects.count() == 1
    assert not AuditCheckpoint.objects.exists()


def test_default_pseudonym_is_stable_per_subject_and_hides_the_id():
    subject = uuid.uuid4()
    pseudonym = subject_pseudonym_for(subject_id=subject)
    assert pseudonym == subject_pseudonym_for(subject_id=str(subject))
    assert pseudonym != subject_pseudonym_for(subject_id=uuid.uuid4())
    assert str(subject) not in pseudonym and subject.hex not in pseudonym
    audit_record(action="login", subject_pseudonym=pseudonym)


def test_the_vault_can_plug_in_its_own_pseudonym_source():
    set_pseudonym_source(lambda subject_id: "vault:" + subject_id[::-1])
    assert subject_pseudonym_for(subject_id="1234abcd") == "vault:dcba4321"


def test_the_pseudonym_source_can_be_named_in_settings(audit_settings):
    audit_settings.PLEDGE_AUDIT_PSEUDONYM_SOURCE = "pledge.audit.tests.test_services.fake_vault"
    assert subject_pseudonym_for(subject_id="abc") == "fake-vault-abc"


def fake_vault(subject_id: str) -> str:
    return f"fake-vault-{subject_id}"
