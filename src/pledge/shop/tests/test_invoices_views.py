"""Invoice pages and PDFs: the customer sees their own (someone else's is a 404), staff only for a
stated purpose that is recorded, and only the details that purpose covers."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from pledge.accounts.tests.factories import customer_create
from pledge.audit.models import AuditEvent
from pledge.audit.services import ERASED_SUBJECT_PSEUDONYM, subject_pseudonym_for
from pledge.backoffice.tests.factories import signed_in, staff_create
from pledge.policy.selectors import current_policy
from pledge.shop.invoices import credit_note_issue
from pledge.vault.services import subject_shred

from .invoice_factories import FRAME, PHOTO_BOOK, invoiced_order

pytestmark = [pytest.mark.django_db(databases=["default", "vault"])]


@pytest.fixture(autouse=True)
def _own_runtime(isolated_runtime):
    translation.activate("nl")  # a request to /en/ leaves English active in this thread
    yield
    translation.deactivate()


@pytest.fixture
def customer_a():
    return customer_create(first_name="Sanne", last_name="de Vries")


@pytest.fixture
def customer_b():
    return customer_create(first_name="Bram", last_name="Jansen")


@pytest.fixture
def invoiced(customer_a):
    return invoiced_order(user=customer_a, lines=((FRAME, 2), (PHOTO_BOOK, 1)))


def url(name: str, invoice, language: str = "nl") -> str:
    with translation.override(language):
        return reverse(f"shop:{name}", kwargs={"invoice_id": invoice.pk})


# -- the customer ------------------------------------------------------------------------------


def test_the_customer_sees_their_invoice_with_everything_art_35a_asks(client, invoiced):
    order, invoice = invoiced
    client.force_login(order.user)
    response = client.get(url("invoice", invoice))
    html = response.content.decode()
    controller = current_policy().controller

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    for expected in (
        f"Factuur F{invoice.number:06d}",
        controller.legal_name,
        controller.kvk,
        controller.btw,
        "Sanne de Vries",
        "Prinsengracht 263",
        str(order.number),
        "Fotolijst zwart A4",
        "€&nbsp;12,50",
        "Bezorgkosten: PostNL pakket",
        "€&nbsp;5,20",  # VAT at 21%
        "€&nbsp;54,90",
    ):
        assert expected in html, expected
    assert url("invoice_pdf", invoice) in html


def test_the_customer_downloads_the_pdf_named_by_number_only(client, invoiced):
    order, invoice = invoiced
    client.force_login(order.user)
    response = client.get(url("invoice_pdf", invoice))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="F{invoice.number:06d}.pdf"'
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Sanne de Vries" in text and f"KvK-nummer: {current_policy().controller.kvk}" in text


def test_in_english_the_invoice_speaks_english(client, invoiced):
    order, invoice = invoiced
    client.force_login(order.user)
    html = client.get(url("invoice", invoice, "en")).content.decode()
    assert f"Invoice F{invoice.number:06d}" in html
    assert "VAT number" in html and "Black photo frame A4" in html
    assert "€&nbsp;54.90" in html
    pdf = client.get(url("invoice_pdf", invoice, "en")).content
    assert "Total incl. VAT € 54.90" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


@pytest.mark.parametrize("view", ["invoice", "invoice_pdf"])
def test_another_customer_gets_404_for_someone_elses_invoice(client, invoiced, customer_b, view):
    _order, invoice = invoiced
    client.force_login(customer_b)
    response = client.get(url(view, invoice))
    assert response.status_code == 404
    assert "Sanne" not in response.content.decode(errors="replace")


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, invoiced):
    _order, invoice = invoiced
    response = client.get(url("invoice", invoice))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_credit_notes_have_their_own_pages_and_the_kinds_do_not_mix(client, invoiced, customer_b):
    order, invoice = invoiced
    credit_note = credit_note_issue(invoice_id=invoice.pk, include_delivery=True)
    client.force_login(order.user)

    page = client.get(url("credit_note", credit_note)).content.decode()
    assert f"Creditnota C{credit_note.number:06d}" in page
    assert f"F{invoice.number:06d}" in page and "€&nbsp;-54,90" in page
    assert client.get(url("credit_note_pdf", credit_note)).status_code == 200
    assert client.get(url("credit_note", invoice)).status_code == 404
    assert client.get(url("invoice", credit_note)).status_code == 404

    client.force_login(customer_b)
    assert client.get(url("credit_note", credit_note)).status_code == 404
    assert client.get(url("credit_note_pdf", credit_note)).status_code == 404


# -- staff -----------------------------------------------------------------------------------------


def views_of(invoice):
    return AuditEvent.objects.filter(
        action="personal_data_viewed",
        object_type="subject",
        object_id=subject_pseudonym_for(subject_id=invoice.subject_id),
    )


def test_staff_state_a_purpose_before_the_invoice_opens_and_the_opening_is_logged(client, invoiced):
    _order, invoice = invoiced
    staff = staff_create(roles=("privacy_officer",))
    signed_in(client, staff)
    record = reverse("shop:backoffice_invoice", kwargs={"invoice_id": invoice.pk})

    asked = client.get(record).content.decode()
    assert 'name="purpose"' in asked and "Sanne" not in asked
    assert 'value="fiscal_records"' in asked

    assert client.post(record, {"purpose": "fiscal_records"}).status_code == 302
    html = client.get(record).content.decode()
    assert "Sanne de Vries" in html and "Prinsengracht 263" in html
    assert current_policy().controller.btw in html
    event = views_of(invoice).get()
    assert (event.staff_id, event.purpose) == (str(staff.pk), "fiscal_records")
    assert "Sanne" not in event.details_json

    pdf = client.get(reverse("shop:backoffice_invoice_pdf", kwargs={"invoice_id": invoice.pk}))
    assert pdf["Content-Type"] == "application/pdf"
    assert views_of(invoice).count() == 2


def test_after_a_profile_erasure_the_kept_invoice_still_opens_and_logs_no_link(client, invoiced):
    # The case the retention key is for: the profile is erased, the invoice must stay 7 years.
    _order, invoice = invoiced
    subject_shred(invoice.subject_id, keys=("profile",))
    staff = staff_create(roles=("privacy_officer",))
    signed_in(client, staff)
    record = reverse("shop:backoffice_invoice", kwargs={"invoice_id": invoice.pk})
    assert client.post(record, {"purpose": "fiscal_records"}).status_code == 302
    response = client.get(record)
    assert response.status_code == 200
    assert "Sanne de Vries" in response.content.decode()
    event = AuditEvent.objects.filter(action="personal_data_viewed").get()
    # Logged, and named by the pseudonym every erased person shares.
    assert (event.object_type, event.object_id) == ("subject", ERASED_SUBJECT_PSEUDONYM)
    assert event.purpose == "fiscal_records"


def test_staff_whose_role_lacks_addresses_see_the_invoice_without_the_address(client, invoiced):
    _order, invoice = invoiced
    signed_in(client, staff_create(roles=("support",)))
    record = reverse("shop:backoffice_invoice", kwargs={"invoice_id": invoice.pk})
    client.post(record, {"purpose": "order_fulfilment"})
    html = client.get(record).content.decode()
    assert "Sanne de Vries" in html
    assert "Prinsengracht" not in html
    assert "Fotolijst zwart A4" in html
    assert views_of(invoice).get().details["categories"] == [
        "user.behavior.purchase_history",
        "user.name.first",
        "user.name.last",
    ]


def test_the_invoice_list_shows_numbers_and_amounts_but_no_names(client, invoiced):
    order, invoice = invoiced
    signed_in(client, staff_create(roles=("fulfilment",)))
    html = client.get(reverse("shop:backoffice_invoices")).content.decode()
    assert f"F{invoice.number:06d}" in html and str(order.number) in html
    assert "€&nbsp;54,90" in html
    assert "Sanne" not in html and "Prinsengracht" not in html
    assert not AuditEvent.objects.filter(action="personal_data_viewed").exists()


def test_marketing_staff_cannot_open_invoices(client, invoiced):
    _order, invoice = invoiced
    signed_in(client, staff_create(roles=("marketing",)))
    assert client.get(reverse("shop:backoffice_invoices")).status_code == 403
    record = reverse("shop:backoffice_invoice", kwargs={"invoice_id": invoice.pk})
    assert client.get(record).status_code == 403


def test_the_customers_own_url_is_a_404_for_staff(client, invoiced):
    _order, invoice = invoiced
    staff = staff_create(roles=("privacy_officer",))
    signed_in(client, staff)
    assert client.get(url("invoice", invoice)).status_code == 404
