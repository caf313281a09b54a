import pytest
from django.db import connections
from django.test import override_settings

from pledge.testing import vault_unreachable
from pledge.vault import keys
from pledge.vault.blind_index import lookup_index
from pledge.vault.exceptions import VaultUnavailable
from pledge.vault.services import subject_create

from .conftest import BOTH
from .factories import canary, customer_create
from .models import Customer, Order, PlainCustomer

pytestmark = [
    pytest.mark.django_db(databases=BOTH, transaction=True),
    pytest.mark.urls("pledge.vault.tests.urls"),
]

MIDDLEWARE = [
    "django.middleware.locale.LocaleMiddleware",
    "pledge.vault.middleware.VaultUnavailableMiddleware",
    "pledge.vault.middleware.KeyCacheMiddleware",
]


@pytest.fixture(autouse=True)
def middleware():
    with override_settings(MIDDLEWARE=MIDDLEWARE):
        yield


@pytest.fixture
def vault_down():
    with vault_unreachable():
        yield


def test_pages_with_personal_data_answer_503_in_the_visitors_language(client, vault_down):
    email = f"{canary('signup')}@example.nl"
    response = client.post("/sign-up/", {"email": email}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "Tijdelijk niet beschikbaar" in response.content.decode()
    response = client.post("/sign-up/", {"email": email}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Temporarily unavailable" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert not Customer.objects.filter(
        email_index=lookup_index(Customer, "email_index", email)
    ).exists()


@pytest.fixture
def customer():
    return customer_create(first_name="Fleur", last_name="Bos")


def test_reading_while_the_vault_is_down_gives_503(client, customer, vault_down):
    assert client.get(f"/profile/{customer.pk}/").status_code == 503


def test_nothing_is_written_half_when_the_vault_is_down(client, customer, vault_down):
    plain_before = PlainCustomer.objects.count()
    response = client.post(f"/profile/{customer.pk}/order/")
    assert response.status_code == 503
    assert PlainCustomer.objects.count() == plain_before
    assert not Order.objects.filter(subject_id=customer.subject_id).exists()


def test_subject_create_reports_an_unreachable_vault(vault_down):
    with pytest.raises(VaultUnavailable):
        subject_create()


def test_a_list_page_loads_all_keys_with_one_query(scope, django_assert_num_queries):
    customers = [customer_create(last_name=f"Bos {n}") for n in range(5)]
    listed = list(Customer.objects.filter(pk__in=[c.pk for c in customers]))
    keys.forget_subjects(c.subject_id for c in customers)
    with django_assert_num_queries(1, connection=connections["vault"]):
        keys.keys_prefetch(c.subject_id for c in listed)
        assert sorted(c.last_name for c in listed) == [f"Bos {n}" for n in range(5)]


def test_keys_are_cached_within_one_request_and_fetched_again_in_the_next(
    client, customer, django_assert_num_queries
):
    vault = connections["vault"]
    with django_assert_num_queries(1, connection=vault):
        assert client.get(f"/profile/{customer.pk}/").content.startswith(b"Fleur Bos")
    with django_assert_num_queries(1, connection=vault):
        client.get(f"/profile/{customer.pk}/")


def test_outside_a_scope_nothing_is_cached(customer, django_assert_num_queries):
    first, second = Customer.objects.get(pk=customer.pk), Customer.objects.get(pk=customer.pk)
    with django_assert_num_queries(2, connection=connections["vault"]):
        _ = first.first_name, first.last_name, second.first_name
