import pytest
from django.db import connections

from pledge.vault import keys
from pledge.vault.exceptions import CiphertextInvalid
from pledge.vault.models import SubjectKey

from .conftest import BOTH
from .factories import customer_create
from .models import Customer

pytestmark = pytest.mark.django_db(databases=BOTH)


def _corrupt(subject_id, kind: str) -> None:
    row = SubjectKey.objects.using("vault").get(subject_id=subject_id, kind=kind)
    wrapped = bytearray(row.wrapped_key)
    wrapped[-1] ^= 1
    row.wrapped_key = bytes(wrapped)
    row.save(using="vault")


def test_a_request_fetches_both_keys_with_one_query_and_unwraps_each_on_first_use(
    django_assert_num_queries,
):
    with keys.key_scope():
        customer = customer_create()
    with keys.key_scope():
        with django_assert_num_queries(1, connection=connections["vault"]):
            ciphers = keys.subject_ciphers(customer.subject_id)
            assert "profile" in ciphers and "retention" in ciphers
            assert not dict.__contains__(ciphers, "retention")  # still wrapped
            assert ciphers.get("profile") is ciphers["profile"] is not None
            assert ciphers.get("unknown") is None
            assert keys.subject_ciphers(customer.subject_id) is ciphers
        assert "kinds=['profile', 'retention']" in repr(ciphers)


def test_a_key_that_does_not_unwrap_raises_on_every_read_and_never_reads_as_shredded():
    with keys.key_scope():
        customer = customer_create(last_name="Mulder")
    _corrupt(customer.subject_id, "retention")
    with keys.key_scope():
        row = Customer.objects.get(pk=customer.pk)
        assert row.last_name == "Mulder"  # the profile key is sound
        for _ in range(2):
            with pytest.raises(CiphertextInvalid):
                _ = row.invoice_address


def test_the_master_cipher_follows_a_reloaded_keyring(fresh_keys):
    first = keys._master_cipher(1)
    assert keys._master_cipher(1) is first
    fresh_keys.setenv("PLEDGE_MASTER_KEY", "1:" + "A" * 43 + "=")
    keys.conf.reload()
    assert keys._master_cipher(1) is not first
    assert keys._master_cipher(2) is None
