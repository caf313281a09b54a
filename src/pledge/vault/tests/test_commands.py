import base64
import os

import pytest
from django.core.management import call_command

from pledge.vault import conf, services
from pledge.vault.exceptions import MasterKeyUnavailable
from pledge.vault.keys import key_scope
from pledge.vault.models import SubjectKey

from .conftest import BOTH
from .factories import customer_create
from .models import Customer

pytestmark = pytest.mark.django_db(databases=BOTH, transaction=True)


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def _read_last_name(pk) -> str:
    with key_scope():
        return Customer.objects.get(pk=pk).last_name


def test_rotating_the_master_key_rewraps_every_key_and_the_data_still_decrypts(fresh_keys, capsys):
    old, new = f"1:{_key()}", f"2:{_key()}"
    fresh_keys.setenv("PLEDGE_MASTER_KEY", old)
    conf.reload()
    customers = [customer_create(last_name=f"Jansen {n}") for n in range(3)]
    stored = list(Customer.objects.values_list("id", "last_name", "invoice_address"))

    fresh_keys.setenv("PLEDGE_MASTER_KEY", f"{new},{old}")
    conf.reload()
    call_command("vault", "rotate-master-key")
    assert "Re-wrapped 6 subject keys with master key version 2" in capsys.readouterr().out
    assert set(SubjectKey.objects.values_list("master_version", flat=True)) == {2}
    assert list(Customer.objects.values_list("id", "last_name", "invoice_address")) == stored

    fresh_keys.setenv("PLEDGE_MASTER_KEY", new)  # the old key can now be retired
    conf.reload()
    assert [_read_last_name(c.pk) for c in customers] == ["Jansen 0", "Jansen 1", "Jansen 2"]
    call_command("vault", "rotate-master-key")  # nothing left to do: idempotent
    assert "Re-wrapped 0 subject keys" in capsys.readouterr().out

    fresh_keys.setenv("PLEDGE_MASTER_KEY", old)  # the old key alone no longer opens anything
    conf.reload()
    with pytest.raises(MasterKeyUnavailable):
        _read_last_name(customers[0].pk)


class Interrupted(Exception):
    pass


def test_rotation_in_several_batches_commits_each_and_resumes_after_an_interruption(
    fresh_keys, monkeypatch
):
    old, new = f"1:{_key()}", f"2:{_key()}"
    fresh_keys.setenv("PLEDGE_MASTER_KEY", old)
    conf.reload()
    customers = [customer_create(last_name=f"Visser {n}") for n in range(5)]  # 10 keys
    fresh_keys.setenv("PLEDGE_MASTER_KEY", f"{new},{old}")
    conf.reload()

    wrap_key, wrapped = services.wrap_key, []

    def wrap_key_until_the_seventh(*args, **kwargs):
        wrapped.append(1)
        if len(wrapped) == 7:  # a crash in the second batch of four
            raise Interrupted
        return wrap_key(*args, **kwargs)

    with monkeypatch.context() as patch, pytest.raises(Interrupted):
        patch.setattr(services, "wrap_key", wrap_key_until_the_seventh)
        services.master_key_rotate(batch_size=4)
    versions = list(SubjectKey.objects.order_by("pk").values_list("master_version", flat=True))
    assert versions == [2] * 4 + [1] * 6  # the first batch stayed done, the second rolled back

    assert services.master_key_rotate(batch_size=4) == 6  # two more batches: 4 and 2
    assert set(SubjectKey.objects.values_list("master_version", flat=True)) == {2}
    fresh_keys.setenv("PLEDGE_MASTER_KEY", new)
    conf.reload()
    assert [_read_last_name(c.pk) for c in customers] == [f"Visser {n}" for n in range(5)]


def test_replay_erasures_command_reports_the_subjects_in_the_log(tombstone_file, capsys):
    from pledge.vault.services import subject_shred

    customer = customer_create()
    subject_shred(customer.subject_id)
    call_command("vault", "replay-erasures")
    assert "Replayed the erasure of 1 subjects" in capsys.readouterr().out
