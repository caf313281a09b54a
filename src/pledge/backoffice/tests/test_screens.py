"""Each role sees only its screens; lists show masked values; marketing sees totals only."""

import pytest

from pledge.accounts.tests.factories import customer_create
from pledge.backoffice.tests.factories import signed_in, staff_create

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def test_fulfilment_gets_403_on_the_marketing_screen(client):
    signed_in(client, staff_create(roles=("fulfilment",)))
    response = client.get("/backoffice/marketing/")
    assert response.status_code == 403
    assert "Uw rol geeft hier geen toegang toe" in response.content.decode()


def test_fulfilment_has_no_customer_screen_for_now(client):
    customer = customer_create(email="jan.jansen@example.nl")
    signed_in(client, staff_create(roles=("fulfilment",)))
    assert client.get("/backoffice/customers/").status_code == 403
    record = client.get(f"/backoffice/customers/{customer.pk}/")
    assert record.status_code == 403
    assert "jan.jansen" not in record.content.decode()


def menu_of(client) -> str:
    html = client.get("/en/backoffice/").content.decode()
    return html[html.index('aria-label="Back-office menu"') : html.index("</nav>")]


def test_menu_shows_only_the_screens_the_role_allows(client):
    signed_in(client, staff_create(roles=("support",)))
    menu = menu_of(client)
    assert "/en/backoffice/customers/" in menu
    assert "/en/backoffice/marketing/" not in menu

    client.logout()
    signed_in(client, staff_create(roles=("marketing",)))
    menu = menu_of(client)
    assert "/en/backoffice/marketing/" in menu
    assert "/en/backoffice/customers/" not in menu


def test_staff_without_a_role_see_no_personal_data_screens(client):
    staff = staff_create()
    staff.is_superuser = True  # being a Django superuser grants nothing here
    staff.save()
    signed_in(client, staff)
    assert client.get("/backoffice/").status_code == 200
    assert client.get("/backoffice/customers/").status_code == 403


def test_marketing_sees_the_customer_count_but_no_individual(client):
    customer_create(email="jan.jansen@example.nl", first_name="Jan", last_name="Jansen")
    customer_create(email="fatima.elamrani@example.nl", first_name="Fatima")
    signed_in(client, staff_create(roles=("marketing",)))
    html = client.get("/backoffice/marketing/").content.decode()
    assert '<dd class="figure">2</dd>' in html
    for personal in ("jan.jansen", "Jansen", "Amsterdam", "Prinsengracht", "+31"):
        assert personal not in html
    assert client.get("/backoffice/customers/").status_code == 403


def test_customer_list_shows_masked_values_only(client):
    customer_create(
        email="jan.jansen@example.nl", first_name="Jan", last_name="Jansen", phone="+31 6 12345678"
    )
    signed_in(client, staff_create(roles=("support",)))
    html = client.get("/backoffice/customers/").content.decode()
    assert "j***@e***.nl" in html
    assert "J*** J***" in html
    for plain in ("jan.jansen@example.nl", "jan.jansen", "Jansen", "12345678", "Prinsengracht"):
        assert plain not in html


def test_back_office_pages_work_in_dutch_and_english(client):
    signed_in(client, staff_create(roles=("privacy_officer",)))
    assert "Klanten" in client.get("/backoffice/").content.decode()
    assert "Customers" in client.get("/en/backoffice/").content.decode()


def test_django_admin_is_not_mounted(client):
    signed_in(client, staff_create(roles=("administrator",)))
    assert client.get("/admin/").status_code == 404
    assert client.get("/backoffice/admin/").status_code == 404


def test_back_office_pages_load_nothing_from_other_hosts(client):
    signed_in(client, staff_create(roles=("privacy_officer",)))
    html = client.get("/backoffice/").content.decode()
    assert "http://" not in html and "https://" not in html
    assert "style=" not in html


def test_the_customer_list_pages_with_previous_and_next_links(client, monkeypatch):
    monkeypatch.setattr("pledge.backoffice.views.customers.PAGE_SIZE", 1)
    customer_create(email="jan.jansen@example.nl")
    customer_create(email="ilse.bakker@example.nl")
    signed_in(client, staff_create(roles=("support",)))
    first = client.get("/backoffice/customers/").content.decode()
    assert "Pagina 1 van 2" in first and '<a href="?page=2">' in first
    second = client.get("/backoffice/customers/?page=2").content.decode()
    assert '<a href="?page=1">' in second and "?page=3" not in second
