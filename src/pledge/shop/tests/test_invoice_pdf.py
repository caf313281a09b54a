"""The invoice PDF: what art. 35a Wet OB asks, the seller's details from the policy, a euro sign
in an embedded font, and rendering that never reaches the network."""

import io
import socket
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import translation
from pypdf import PdfReader

from pledge.accounts.tests.factories import customer_create
from pledge.policy.selectors import current_policy
from pledge.shop.invoice_pdf import invoice_pdf
from pledge.shop.invoice_selectors import invoice_document
from pledge.shop.invoices import credit_note_issue

from .invoice_factories import FRAME, PHOTO_BOOK, invoiced_order

pytestmark = [pytest.mark.django_db(databases=["default", "vault"])]


@pytest.fixture(autouse=True)
def _own_runtime(isolated_runtime):
    """Files and counters of our own (vault tombstones); Dutch, the shop's language."""
    with translation.override("nl"):
        yield


@pytest.fixture
def invoiced():
    customer = customer_create(first_name="Łucja", last_name="Wiśniewska-de Vries")
    return invoiced_order(user=customer, lines=((FRAME, 2), (PHOTO_BOOK, 1)))


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def network_blocked(monkeypatch):
    """Any attempt to open a connection fails the test."""
    attempts = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("network access during PDF rendering")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


def test_pdf_states_seller_customer_numbers_lines_and_vat(invoiced, network_blocked):
    order, invoice = invoiced
    pdf = invoice_pdf(document=invoice_document(invoice=invoice))
    text = pdf_text(pdf)
    controller = current_policy().controller

    assert network_blocked == []
    for expected in (
        controller.legal_name,
        f"KvK-nummer: {controller.kvk}",
        f"Btw-nummer: {controller.btw}",
        controller.address.street,
        f"Factuur F{invoice.number:06d}",
        str(order.number),
        "Łucja Wiśniewska-de Vries",
        "Prinsengracht 263",
        "1016 GV Amsterdam",
        "Fotolijst zwart A4",
        "€ 12,50",
        "€ 25,00",
        "Bezorgkosten: PostNL pakket",
        "21% € 24,75 € 5,20 € 29,95",
        "9% € 22,89 € 2,06 € 24,95",
        "Totaal incl. btw € 54,90",
        "Totaal excl. btw € 47,64",
    ):
        assert expected in text, expected


def test_pdf_in_english(invoiced):
    _order, invoice = invoiced
    with translation.override("en"):
        document = invoice_document(invoice=invoice)
    text = pdf_text(invoice_pdf(document=document))
    assert f"Invoice F{invoice.number:06d}" in text
    assert "VAT number: NL" in text
    assert "Black photo frame A4" in text
    assert "Total incl. VAT € 54.90" in text


def test_pdf_embeds_its_font_and_names_no_customer_in_its_metadata(invoiced):
    _order, invoice = invoiced
    pdf = invoice_pdf(document=invoice_document(invoice=invoice))
    reader = PdfReader(io.BytesIO(pdf))
    fonts = [
        font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()
    ]
    # A TrueType font program inside the file: readers need no font of their own for the €.
    assert fonts and all(
        "/FontFile2" in font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for font in fonts
    )
    metadata = " ".join(str(value) for value in reader.metadata.values())
    assert f"F{invoice.number:06d}" in metadata
    assert "Łucja" not in metadata and "Vries" not in metadata
    assert b"http://" not in pdf.replace(b"http://www.w3.org", b"")  # no remote resources


def test_credit_note_pdf_has_negative_amounts_and_names_the_credited_invoice(invoiced):
    order, invoice = invoiced
    with transaction.atomic():
        credit_note = credit_note_issue(
            invoice_id=invoice.pk,
            lines=[(order.lines.get(name_nl="Fotolijst zwart A4").pk, 1)],
            include_delivery=False,
        )
    text = pdf_text(invoice_pdf(document=invoice_document(invoice=credit_note)))
    assert f"Creditnota C{credit_note.number:06d}" in text
    assert f"Crediteert factuur F{invoice.number:06d}" in text
    assert "€ -12,50" in text
    assert credit_note.total == Decimal("-12.50")
