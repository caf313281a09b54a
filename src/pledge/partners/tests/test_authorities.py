"""Disclosures to authorities: the privacy officer alone, one customer, the ticked categories,
a JSON and a PDF of exactly those values, and a record in the disclosure and audit logs."""

import inspect
import io
import json

import pytest
from pypdf import PdfReader

from pledge.accounts.tests.factories import customer_create
from pledge.audit.models import AuditEvent
from pledge.backoffice.tests.factories import signed_in, staff_create
from pledge.partners import services, sources, urls
from pledge.partners.models import Disclosure
from pledge.partners.selectors import disclosures_for_subject

from .conftest import BOTH

pytestmark = pytest.mark.django_db(databases=BOTH)

FORM = "/en/partners/backoffice/disclosures/police/"


@pytest.fixture
def customer():
    return customer_create(
        email="sanne.devries@example.nl", first_name="Sanne", last_name="de Vries"
    )


def test_fulfilment_staff_get_403_and_the_privacy_officer_gets_the_screen(client):
    signed_in(client, staff_create(roles=("fulfilment",)), reauth_seconds_ago=5)
    assert client.get("/partners/backoffice/disclosures/").status_code == 403
    assert client.get(FORM).status_code == 403
    client.logout()
    signed_in(client, staff_create(roles=("privacy_officer",)), reauth_seconds_ago=5)
    assert client.get("/en/partners/backoffice/disclosures/").status_code == 200
    page = client.get(FORM).content.decode()
    assert "Disclosure to Politie en Openbaar Ministerie" in page
    assert "Phone number" in page and "IP address" in page  # the latter: no source, shown so


def test_a_disclosure_needs_a_recent_second_sign_in(client):
    signed_in(client, staff_create(roles=("privacy_officer",)))
    assert client.get(FORM).status_code == 302


def disclose(client, **changes):
    data = {
        "email": "sanne.devries@example.nl",
        "purpose": "fraud_reporting",
        "legal_ground": "art. 126nd Sv",
        "case_reference": "PL0900-2027012345",
        "categories": ["user.name.first", "user.name.last"],
        **changes,
    }
    return client.post(FORM, data)


def package_links(html: str) -> dict:
    start = html.index("/en/partners/backoffice/disclosures/package/")
    url = html[start : html.index('"', start)]
    base = url.rsplit(".", 1)[0]
    return {"json": base + ".json", "pdf": base + ".pdf"}


def test_the_file_holds_exactly_the_ticked_categories_and_everything_is_logged(client, customer):
    officer = staff_create(roles=("privacy_officer",))
    signed_in(client, officer, reauth_seconds_ago=5)
    response = disclose(client)
    assert response.status_code == 200
    links = package_links(response.content.decode())

    document = json.loads(client.get(links["json"]).content)
    assert document["data"] == {"user.name.first": "Sanne", "user.name.last": "de Vries"}
    assert document["legal_ground"] == "art. 126nd Sv"
    assert document["recipient"] == "Politie en Openbaar Ministerie"
    assert "sanne.devries@example.nl" not in json.dumps(document)  # e-mail was not ticked

    pdf = client.get(links["pdf"])
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Sanne" in text and "de Vries" in text and "PL0900-2027012345" in text
    assert "sanne.devries@example.nl" not in text and "Prinsengracht" not in text

    disclosure = Disclosure.objects.get(recipient="police")
    assert disclosure.categories == ["user.name.first", "user.name.last"]
    assert disclosure.subject_id == customer.subject_id
    assert disclosure.staff_id == str(officer.pk) and disclosure.case_reference
    event = AuditEvent.objects.get(action="disclosure")
    assert event.staff_id == str(officer.pk) and event.details["recipient"] == "police"
    assert event.purpose == "fraud_reporting"
    assert "Sanne" not in json.dumps(event.details) and "Vries" not in json.dumps(event.details)
    # Each download is recorded as a view of personal data.
    assert AuditEvent.objects.filter(action="personal_data_viewed").count() == 2
    # The customer sees it in their account (the authority did not forbid that).
    assert disclosures_for_subject(subject_id=customer.subject_id)[0].recipient_id == "police"


def test_another_staff_member_cannot_download_the_file(client, customer):
    signed_in(client, staff_create(roles=("privacy_officer",)), reauth_seconds_ago=5)
    links = package_links(disclose(client).content.decode())
    client.logout()
    signed_in(client, staff_create(roles=("privacy_officer",)), reauth_seconds_ago=5)
    assert client.get(links["json"]).status_code == 404


def test_categories_the_policy_does_not_allow_for_that_authority_are_refused(client, customer):
    signed_in(client, staff_create(roles=("privacy_officer",)), reauth_seconds_ago=5)
    # The tax authority may receive names, address and orders, but no e-mail address.
    response = client.post(
        "/en/partners/backoffice/disclosures/tax_authority/",
        {
            "email": "sanne.devries@example.nl",
            "purpose": "fiscal_records",
            "legal_ground": "art. 53 AWR",
            "case_reference": "BD-2027-77",
            "categories": ["user.name.last", "user.contact.email"],
        },
    )
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert not Disclosure.objects.exists()
    with pytest.raises(services.AuthorityDisclosureRefused):
        services.authority_disclosure_make(
            recipient_id="tax_authority",
            purpose_id="fiscal_records",
            subject_id=customer.subject_id,
            legal_ground="art. 53 AWR",
            case_reference="BD-2027-77",
            categories=["user.contact.email"],
            staff_id=1,
        )


def test_an_unknown_customer_gets_a_clear_message_and_nothing_is_recorded(client):
    signed_in(client, staff_create(roles=("privacy_officer",)), reauth_seconds_ago=5)
    response = disclose(client, email="niemand@example.nl")
    assert "No customer has this e-mail address." in response.content.decode()
    assert (
        not Disclosure.objects.exists()
        and not AuditEvent.objects.filter(action="disclosure").exists()
    )


def test_a_withheld_disclosure_is_not_shown_to_the_customer(client, customer):
    signed_in(client, staff_create(roles=("privacy_officer",)), reauth_seconds_ago=5)
    disclose(client, withheld_from_subject="on")
    assert Disclosure.objects.get().withheld_from_subject
    assert disclosures_for_subject(subject_id=customer.subject_id) == []


def test_there_is_no_bulk_export_every_disclosure_is_about_one_subject():
    """Never selling: no function takes several subjects, no URL lists customers."""
    for name in services.__all__:
        function = getattr(services, name)
        if not inspect.isfunction(function):
            continue
        parameters = inspect.signature(function).parameters
        assert not any(p.endswith(("subject_ids", "subjects", "customers")) for p in parameters)
        if "subject_id" in parameters:
            assert parameters["subject_id"].kind is inspect.Parameter.KEYWORD_ONLY
    for source in (sources.category_values, sources.first_name_of, sources.addresses_of):
        assert next(iter(inspect.signature(source).parameters)) == "subject_id"
    routes = " ".join(str(pattern.pattern) for pattern in urls.urlpatterns)
    for word in ("export", "customers", "bulk", "csv", "list"):
        assert word not in routes
