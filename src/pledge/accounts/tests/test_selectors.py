import pytest
from django.http import Http404

from pledge.accounts.selectors import customer_count, customer_profile, customers_list
from pledge.vault.erased import ERASED
from pledge.vault.services import subject_shred

from .conftest import BOTH
from .factories import SECOND_ADDRESS, customer_create

pytestmark = pytest.mark.django_db(databases=BOTH)


def test_back_office_reads_a_customer_with_their_address_book():
    user = customer_create(email="sanne@example.nl", addresses=None)
    profile = customer_profile(user_id=user.id)
    assert profile.email == "sanne@example.nl"
    assert (profile.first_name, profile.last_name) == ("Sanne", "de Vries")
    assert profile.phone == "+31 6 1234 5678"
    assert profile.email_verified is True
    assert profile.addresses[0]["city"] == "Amsterdam"
    assert profile.addresses[0]["is_default"] is True


def test_unknown_customer_is_a_404():
    with pytest.raises(Http404):
        customer_profile(user_id="00000000-0000-0000-0000-000000000000")


def test_customer_list_pages_and_counts(scope):
    first = customer_create()
    customer_create(addresses=[SECOND_ADDRESS])
    assert customer_count() == 2
    page = customers_list(limit=1, offset=1)
    assert [p.user_id for p in page] == [first.id]
    assert len(customers_list()) == 2


def test_an_erased_customer_reads_as_erased():
    user = customer_create()
    subject_shred(user.subject_id)
    profile = customer_profile(user_id=user.id)
    assert profile.email is ERASED
    assert profile.addresses[0]["city"] is ERASED
