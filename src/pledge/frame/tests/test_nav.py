"""The site menu leads a visitor to sign in, and a signed-in customer to their account."""

import pytest
from django.urls import reverse
from django.utils import translation

from pledge.accounts.tests.factories import customer_create


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "language", "label"), [("/", "nl", "Inloggen"), ("/en/", "en", "Sign in")]
)
def test_anonymous_visitor_sees_a_sign_in_link_in_the_page_language(client, url, language, label):
    html = client.get(url).content.decode()
    with translation.override(language):
        login_url = reverse("accounts:login")
    assert f'href="{login_url}"' in html
    assert label in html


@pytest.mark.django_db(databases=["default", "vault"], transaction=True)
def test_signed_in_customer_sees_my_account(client):
    customer = customer_create()
    client.force_login(customer)
    html = client.get("/").content.decode()
    assert "Mijn account" in html
    assert reverse("accounts:overview") in html
