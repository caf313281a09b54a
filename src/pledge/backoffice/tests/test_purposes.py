"""A customer record opens only for a stated purpose, and every opening is in the audit log."""

import pytest

from pledge.accounts.tests.factories import customer_create
from pledge.audit.models import AuditEvent
from pledge.audit.services import ERASED_SUBJECT_PSEUDONYM, subject_pseudonym_for
from pledge.backoffice.purposes import GRANTS
from pledge.backoffice.tests.factories import signed_in, staff_create
from pledge.vault.services import subject_shred

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

EMAIL = "jan.jansen@example.nl"


@pytest.fixture
def customer():
    return customer_create(
        email=EMAIL, first_name="Jan", last_name="Jansen", phone="+31 6 12345678"
    )


def record_url(customer) -> str:
    return f"/backoffice/customers/{customer.pk}/"


def views_of(customer):
    pseudonym = subject_pseudonym_for(subject_id=customer.subject_id)
    return AuditEvent.objects.filter(
        action="personal_data_viewed", object_type="subject", object_id=pseudonym
    )


def test_opening_a_record_without_a_purpose_shows_the_purpose_form_and_no_data(client, customer):
    signed_in(client, staff_create(roles=("support",)))
    response = client.get(record_url(customer))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="purpose"' in html
    for personal in (EMAIL, "Jansen", "12345678", "Prinsengracht"):
        assert personal not in html
    assert not views_of(customer).exists()


def test_the_purpose_form_offers_only_the_roles_purposes(client, customer):
    signed_in(client, staff_create(roles=("support",)))
    html = client.get(record_url(customer)).content.decode()
    for offered in ("communication", "account", "order_fulfilment"):
        assert f'value="{offered}"' in html
    for not_offered in ("newsletter", "fraud_reporting", "monitoring"):
        assert f'value="{not_offered}"' not in html


def test_opening_with_a_purpose_leaves_exactly_one_audit_row_with_that_purpose(client, customer):
    staff = staff_create(roles=("support",))
    signed_in(client, staff)
    chosen = client.post(record_url(customer), {"purpose": "communication", "reference": "T-88"})
    assert chosen.status_code == 302
    assert not views_of(customer).exists()  # nothing shown yet, nothing recorded yet
    page = client.get(record_url(customer))
    html = page.content.decode()
    assert page.status_code == 200
    assert EMAIL in html and "Jansen" in html
    event = views_of(customer).get()
    assert event.staff_id == str(staff.pk)
    assert event.purpose == "communication"
    assert event.details["reference"] == "T-88"
    # The log names the customer by pseudonym: no e-mail address, name or account id in it.
    for personal in (EMAIL, "Jansen", str(customer.pk)):
        assert personal not in event.details_json + event.object_id


def test_every_showing_within_the_purpose_window_is_recorded_again(client, customer):
    signed_in(client, staff_create(roles=("support",)))
    client.post(record_url(customer), {"purpose": "account"})
    client.get(record_url(customer))
    client.get(record_url(customer))
    assert views_of(customer).count() == 2


def test_a_purpose_outside_the_role_is_refused_with_403(client, customer):
    signed_in(client, staff_create(roles=("support",)))
    response = client.post(record_url(customer), {"purpose": "fraud_reporting"})
    assert response.status_code == 403
    assert GRANTS not in client.session or not client.session[GRANTS]
    assert EMAIL not in client.get(record_url(customer)).content.decode()
    assert not views_of(customer).exists()


def test_a_reference_that_could_hold_personal_data_is_refused(client, customer):
    signed_in(client, staff_create(roles=("support",)))
    for reference in ("0612345678", EMAIL, "Jan Jansen"):
        response = client.post(
            record_url(customer), {"purpose": "communication", "reference": reference}
        )
        assert response.status_code == 400
        assert "Vul alleen een order- of ticketnummer in" in response.content.decode()
    assert GRANTS not in client.session or not client.session[GRANTS]
    assert not views_of(customer).exists()


def test_no_purpose_chosen_gets_a_clear_message(client, customer):
    signed_in(client, staff_create(roles=("support",)))
    response = client.post(f"/en{record_url(customer)}", {"reference": "1042"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_support_sees_no_addresses_the_privacy_officer_does(client, customer):
    signed_in(client, staff_create(roles=("support",)))
    client.post(record_url(customer), {"purpose": "order_fulfilment"})
    html = client.get(record_url(customer)).content.decode()
    assert "Prinsengracht" not in html  # addresses are not a data category of support's role
    assert "Jansen" in html

    client.logout()
    signed_in(client, staff_create(roles=("privacy_officer",)))
    client.post(record_url(customer), {"purpose": "account"})
    assert "Prinsengracht" in client.get(record_url(customer)).content.decode()


def test_the_chosen_purpose_expires_after_ten_minutes(client, customer):
    signed_in(client, staff_create(roles=("support",)))
    client.post(record_url(customer), {"purpose": "account"})
    session = client.session
    key = next(iter(session[GRANTS]))
    session[GRANTS][key]["until"] -= 10 * 60 + 1
    session.save()
    html = client.get(record_url(customer)).content.decode()
    assert 'name="purpose"' in html
    assert EMAIL not in html


def test_a_purpose_holds_for_that_one_record_only(client, customer):
    other = customer_create(email="fatima.elamrani@example.nl", first_name="Fatima")
    signed_in(client, staff_create(roles=("support",)))
    client.post(record_url(customer), {"purpose": "account"})
    html = client.get(record_url(other)).content.decode()
    assert 'name="purpose"' in html
    assert "fatima.elamrani" not in html


def test_the_audit_row_lists_only_the_data_categories_that_were_shown(client, customer):
    signed_in(client, staff_create(roles=("support",)))
    client.post(record_url(customer), {"purpose": "communication"})
    client.get(record_url(customer))
    shown = views_of(customer).get().details["categories"]
    assert "user.contact.email" in shown
    assert "user.contact.address" not in shown  # support's role has no addresses


def test_an_erased_customers_record_opens_with_every_detail_erased(client, customer):
    subject_shred(customer.subject_id, keys=("profile",))
    signed_in(client, staff_create(roles=("support",)))
    assert client.post(record_url(customer), {"purpose": "communication"}).status_code == 302
    page = client.get(record_url(customer))
    html = page.content.decode()
    assert page.status_code == 200
    for personal in (EMAIL, "Jansen", "12345678"):
        assert personal not in html
    event = AuditEvent.objects.get(action="personal_data_viewed")
    assert (event.object_type, event.object_id) == ("subject", ERASED_SUBJECT_PSEUDONYM)
