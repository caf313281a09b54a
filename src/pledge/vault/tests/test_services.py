import uuid

import pytest
from django.db import connections

from pledge.audit.models import AuditEvent
from pledge.vault import services
from pledge.vault.erased import ERASED
from pledge.vault.models import Subject, SubjectKey
from pledge.vault.selectors import erasure_final_at, subject_key_kinds, subject_tombstones
from pledge.vault.services import erasures_replay, subject_create, subject_shred
from pledge.vault.tombstones import tombstones_read

from .conftest import BOTH
from .factories import customer_create
from .models import Customer, Order

pytestmark = pytest.mark.django_db(databases=BOTH, transaction=True)


def _state(customer):
    again = Customer.objects.get(pk=customer.pk)
    return {
        "email": again.email is ERASED,
        "invoice": again.invoice_address is ERASED,
        "index": again.email_index is None,
        "kinds": subject_key_kinds(customer.subject_id),
    }


ERASED_PROFILE = {"email": True, "invoice": False, "index": True, "kinds": {"retention"}}


def test_a_new_subject_has_a_profile_and_a_retention_key_stored_only_in_the_vault(scope):
    subject_id = subject_create()
    assert subject_key_kinds(subject_id) == {"profile", "retention"}
    assert Subject.objects.using("vault").filter(id=subject_id).exists()
    default_tables = connections["default"].introspection.table_names()
    assert SubjectKey._meta.db_table not in default_tables
    assert Customer._meta.db_table not in connections["vault"].introspection.table_names()


def test_shred_erases_the_profile_and_is_idempotent(scope, tombstone_file):
    customer = customer_create()
    subject_shred(customer.subject_id)
    assert _state(customer) == ERASED_PROFILE
    subject_shred(customer.subject_id)
    assert _state(customer) == ERASED_PROFILE
    assert [t.kinds for t in subject_tombstones(customer.subject_id)] == [{"profile"}] * 2


def test_shredding_both_keys_removes_the_subject_from_the_vault(scope, tombstone_file):
    customer = customer_create()
    subject_shred(customer.subject_id, keys=("profile", "retention"))
    assert _state(customer)["kinds"] == set()
    assert not Subject.objects.using("vault").filter(id=customer.subject_id).exists()


def test_a_shred_within_the_same_request_takes_effect_at_once(scope, tombstone_file):
    customer = Customer.objects.get(pk=customer_create().pk)
    subject_shred(customer.subject_id)
    # The key was cached in this scope before the shred; it must be gone from it too.
    assert Customer.objects.get(pk=customer.pk).email is ERASED


class Crash(Exception):
    pass


def _crash_on_call(monkeypatch, name: str, call: int) -> None:
    """Make the ``call``-th call of ``services.<name>`` crash, the ones before it run."""
    original, calls = getattr(services, name), []

    def crash_or_run(*args, **kwargs):
        calls.append(args)
        if len(calls) == call:
            raise Crash
        return original(*args, **kwargs)

    monkeypatch.setattr(services, name, crash_or_run)


STEPS = [  # (function, which call of it) for steps 1 to 4
    ("tombstone_append", 1),
    ("_indexes_null", 1),
    ("_keys_delete", 1),
    ("_indexes_null", 2),
]


@pytest.mark.parametrize(("crash_in", "call"), STEPS)
def test_a_shred_that_crashed_at_any_step_completes_when_run_again(
    scope, tombstone_file, monkeypatch, crash_in, call
):
    customer = customer_create()
    untouched = customer_create()

    with monkeypatch.context() as patch, pytest.raises(Crash):
        _crash_on_call(patch, crash_in, call)
        subject_shred(customer.subject_id)
    subject_shred(customer.subject_id)
    assert _state(customer) == ERASED_PROFILE
    assert _state(untouched)["kinds"] == {"profile", "retention"}


@pytest.mark.parametrize(("crash_in", "call"), STEPS[1:])
def test_a_crashed_shred_is_completed_by_replaying_the_tombstones(
    scope, tombstone_file, monkeypatch, crash_in, call
):
    customer = customer_create()
    with monkeypatch.context() as patch, pytest.raises(Crash):
        _crash_on_call(patch, crash_in, call)
        subject_shred(customer.subject_id)
    assert erasures_replay() == 1
    assert _state(customer) == ERASED_PROFILE


def test_a_crash_while_deleting_the_keys_leaves_the_lookup_index_already_null(
    scope, tombstone_file, monkeypatch
):
    # Never the other way round: keys gone but the e-mail still findable (and not free to
    # register again) until someone replays the erasure.
    customer = customer_create()
    with monkeypatch.context() as patch, pytest.raises(Crash):
        _crash_on_call(patch, "_keys_delete", 1)
        subject_shred(customer.subject_id)
    assert Customer.objects.get(pk=customer.pk).email_index is None
    assert subject_key_kinds(customer.subject_id) == {"profile", "retention"}
    assert [t.kinds for t in subject_tombstones(customer.subject_id)] == [{"profile"}]


def test_a_save_that_landed_during_the_erasure_is_undone_by_its_last_step(
    scope, tombstone_file, monkeypatch
):
    customer = customer_create()
    keys_delete = services._keys_delete

    def keys_delete_after_a_racing_save(subject_ids, kinds):
        # Another request, which asked the vault just before the keys went, saves its row.
        Customer.objects.filter(pk=customer.pk).update(email_index=customer.email_index)
        keys_delete(subject_ids, kinds)

    monkeypatch.setattr(services, "_keys_delete", keys_delete_after_a_racing_save)
    subject_shred(customer.subject_id)
    assert Customer.objects.get(pk=customer.pk).email_index is None


def test_shredding_is_flat_one_update_per_model_whatever_the_history(
    scope, tombstone_file, django_assert_max_num_queries
):
    customer = customer_create()
    Order.objects.bulk_create(
        Order(subject_id=customer.subject_id, number=n, invoice_name="S. de Vries", note="x")
        for n in range(300)
    )
    # Two passes over the blind indexes and the erasure's audit row, whatever the history.
    with django_assert_max_num_queries(14, connection=connections["default"]):
        subject_shred(customer.subject_id)
    assert Order.objects.filter(subject_id=customer.subject_id).first().note is ERASED


def test_an_erasure_is_in_the_audit_log_by_subject_id_with_no_personal_data(
    tombstone_file,
):
    customer = customer_create(first_name="Fenna", last_name="Visser")
    subject_shred(customer.subject_id, keys=("profile", "retention"))
    event = AuditEvent.objects.get(action="erasure")
    assert (event.object_type, event.object_id) == ("vault.subject", str(customer.subject_id))
    assert event.details == {"keys": ["profile", "retention"]}
    assert "Fenna" not in event.message and "Visser" not in event.message
    # A replay after a restore says so in the log as well.
    assert services.erasures_replay() == 1
    replayed = AuditEvent.objects.filter(action="erasure").order_by("sequence").last()
    assert (replayed.object_type, replayed.details) == (
        "vault.tombstones",
        {"replayed_subjects": 1},
    )


def test_the_tombstone_log_holds_only_ids_and_survives_a_torn_line(tombstone_file, settings):
    subject_id = uuid.uuid4()
    services.tombstone_append(subject_id, kinds=frozenset({"profile"}))
    with tombstone_file.open("ab") as handle:
        handle.write(b'{"v":1,"subject":"')  # a power cut mid-write
    services.tombstone_append(subject_id, kinds=frozenset({"retention"}))
    entries = list(tombstones_read())
    assert [e.kinds for e in entries] == [{"profile"}, {"retention"}]
    line = tombstone_file.read_text().splitlines()[0]
    assert set(__import__("json").loads(line)) == {"v", "subject", "keys", "at"}
    final = erasure_final_at(entries[0]) - entries[0].at
    assert final.days == 35  # policy: storage.vault_backup_retention


def test_unknown_key_kinds_are_refused():
    with pytest.raises(ValueError, match="keys must be"):
        subject_shred(uuid.uuid4(), keys=("everything",))
