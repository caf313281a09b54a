import pytest
from django.db import IntegrityError, transaction

from pledge.vault.blind_index import blind_index, lookup_index, normalize_email, suppression_index
from pledge.vault.erased import ERASED
from pledge.vault.keys import key_scope
from pledge.vault.services import subject_create, subject_shred

from .conftest import BOTH
from .factories import canary, customer_create
from .models import Customer, Subscriber

pytestmark = pytest.mark.django_db(databases=BOTH)


def test_login_finds_the_customer_by_e_mail_in_any_case_and_spacing(scope):
    email = f"{canary('login')}@Example.NL"
    customer = customer_create(email=email)
    typed = f"  {email.upper()} "
    found = Customer.objects.get(email_index=lookup_index(Customer, "email_index", typed))
    assert found.pk == customer.pk
    assert found.email == email


def test_the_same_address_cannot_register_twice(scope):
    email = f"{canary('unique')}@example.nl"
    customer_create(email=email)
    with pytest.raises(IntegrityError), transaction.atomic():
        customer_create(email=f" {email.title()}")


def test_an_index_is_a_keyed_hash_not_a_plain_hash_of_the_address():
    import hashlib

    index = blind_index("jan@example.nl", purpose="customer.email")
    assert len(index) == 64
    assert index != hashlib.sha256(b"jan@example.nl").hexdigest()
    assert index != blind_index("jan@example.nl", purpose="subscriber.email")
    assert index != suppression_index("jan@example.nl", purpose="customer.email")
    assert normalize_email(" Jan@Example.NL ") == "jan@example.nl"


def test_changing_the_e_mail_updates_the_index(scope):
    customer = customer_create()
    customer = Customer.objects.get(pk=customer.pk)
    customer.email = "nieuw.adres@example.nl"
    customer.save()
    assert Customer.objects.filter(
        email_index=lookup_index(Customer, "email_index", "Nieuw.Adres@example.nl")
    ).exists()


def test_saving_the_e_mail_alone_with_update_fields_is_refused_and_with_its_index_works(scope):
    customer = customer_create(email=f"{canary('old')}@example.nl")
    new = f"{canary('new')}@example.nl"
    customer.email = new
    with pytest.raises(ValueError, match="email_index"):
        customer.save(update_fields=["email"])
    customer.save(update_fields=["email", "email_index"])
    assert Customer.objects.get(email_index=lookup_index(Customer, "email_index", new)) == customer
    customer.first_name = "Ilse"
    customer.save(update_fields=["first_name"])  # no indexed field: nothing to refuse


def test_erasure_nulls_lookup_indexes_and_keeps_the_suppression_list(scope, tombstone_file):
    email = f"{canary('optout')}@example.nl"
    subject_id = subject_create()
    customer = customer_create(subject_id=subject_id, email=email)
    subscriber = Subscriber.objects.create(subject_id=subject_id, email=email)
    other = customer_create()
    subject_shred(subject_id)
    assert Customer.objects.get(pk=customer.pk).email_index is None
    assert Subscriber.objects.get(pk=subscriber.pk).email_index is None
    # Art. 21(3): the opt-out stays, found by the suppression index alone.
    assert Subscriber.objects.filter(
        email_suppression=suppression_index(f" {email} ", purpose="newsletter.suppression")
    ).exists()
    assert Customer.objects.get(pk=other.pk).email_index is not None
    # The address is free again: a new account with it does not clash with the erased one.
    customer_create(email=email)


def _found_by_email(email: str) -> bool:
    return Customer.objects.filter(
        email_index=lookup_index(Customer, "email_index", email)
    ).exists()


@pytest.mark.parametrize("edit", ["nothing read", "profile read", "e-mail changed"])
def test_a_save_that_raced_an_erasure_does_not_bring_the_lookup_index_back(tombstone_file, edit):
    email, new_email = f"{canary('race')}@example.nl", f"{canary('race-new')}@example.nl"
    with key_scope():
        customer = customer_create(email=email)
    with key_scope():  # request A: a profile page, loaded before the erasure
        stale = Customer.objects.get(pk=customer.pk)
        if edit != "nothing read":
            assert stale.first_name == "Sanne"  # A's scope now holds the keys
        with key_scope():  # request B, meanwhile: the customer is erased
            subject_shred(customer.subject_id)
        assert not _found_by_email(email)
        if edit == "e-mail changed":
            stale.email = new_email
        stale.save()  # A saves the row it loaded
        assert stale.email_index is None
        # A learnt of the erasure: the rest of its request reads the row as erased too.
        assert Customer.objects.get(pk=customer.pk).last_name is ERASED
    assert Customer.objects.get(pk=customer.pk).email_index is None
    assert not _found_by_email(email) and not _found_by_email(new_email)
    with key_scope():  # the address is free again: registering with it does not clash
        customer_create(email=email)
        customer_create(email=new_email)


def test_a_save_while_the_key_exists_still_writes_the_index(django_assert_num_queries):
    from django.db import connections

    with key_scope():
        customer = customer_create()
    with key_scope():
        loaded = Customer.objects.get(pk=customer.pk)
        loaded.email = "p.bakker@example.nl"
        with django_assert_num_queries(2, connection=connections["vault"]):
            loaded.save()  # the keys, then the fresh question whether they still exist
    assert _found_by_email("P.Bakker@example.nl")
