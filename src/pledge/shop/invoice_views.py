"""Invoice and credit-note pages: for their customer in "My account", and for staff in the back
office (a stated purpose, recorded as ``personal_data_viewed``).

The URLs carry the document's random UUID, never a name or number. Someone else's document is a
404, exactly as a document that does not exist.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from pledge.audit.services import subject_pseudonym_for
from pledge.backoffice.purposes import purpose_required
from pledge.backoffice.screens import screen, screen_required
from pledge.backoffice.security import staff_required

from .invoice_pdf import invoice_pdf
from .invoice_selectors import (
    ADDRESS_CATEGORY,
    LINES_CATEGORY,
    NAME_CATEGORIES,
    invoice_document,
    invoice_for_customer,
    invoice_for_staff,
    invoice_number,
    invoices_count,
    invoices_list,
)
from .models import InvoiceKind

# Bookkeeping (the privacy officer's "fiscal_records") and order handling both need invoices.
SCREEN = "invoices"
screen(
    SCREEN,
    url_name="shop:backoffice_invoices",
    label=_("Invoices"),
    purposes=("order_fulfilment", "fiscal_records"),
)

PAGE_SIZE = 50


def _pdf_response(document) -> HttpResponse:
    response = HttpResponse(invoice_pdf(document=document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


# -- the customer's own ----------------------------------------------------------------------


def _customer_page(request, invoice_id, kind: str, pdf_view: str):
    invoice = invoice_for_customer(user=request.user, invoice_id=invoice_id, kind=kind)
    context = {
        "document": invoice_document(invoice=invoice),
        "pdf_url": reverse(pdf_view, kwargs={"invoice_id": invoice.pk}),
    }
    return render(request, "shop/invoice/page.html", context)


@never_cache
@login_required
def invoice_page(request, invoice_id):
    return _customer_page(request, invoice_id, InvoiceKind.INVOICE, "shop:invoice_pdf")


@never_cache
@login_required
def credit_note_page(request, invoice_id):
    return _customer_page(request, invoice_id, InvoiceKind.CREDIT_NOTE, "shop:credit_note_pdf")


@never_cache
@login_required
def invoice_pdf_download(request, invoice_id):
    invoice = invoice_for_customer(user=request.user, invoice_id=invoice_id)
    return _pdf_response(invoice_document(invoice=invoice))


@never_cache
@login_required
def credit_note_pdf_download(request, invoice_id):
    invoice = invoice_for_customer(
        user=request.user, invoice_id=invoice_id, kind=InvoiceKind.CREDIT_NOTE
    )
    return _pdf_response(invoice_document(invoice=invoice))


# -- back office -------------------------------------------------------------------------------


@never_cache
@staff_required
@screen_required(SCREEN)
def backoffice_invoice_list(request):
    page = Paginator(_InvoicePage(), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (
            invoice,
            invoice_number(invoice),
            invoice_number(invoice.credits) if invoice.credits_id else "",
        )
        for invoice in page.object_list
    ]
    return render(request, "shop/invoice/backoffice_list.html", {"page": page, "rows": rows})


class _InvoicePage:
    """A page of the invoice list for Django's paginator, fetching only that page."""

    def __init__(self) -> None:
        self._count = invoices_count()

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, window: slice):
        return invoices_list(limit=window.stop - window.start, offset=window.start)


def _staff_document(invoice_id, access):
    invoice = invoice_for_staff(invoice_id=invoice_id)
    # The person is named in the audit row by pseudonym, never by an account id.
    access.object_type = "subject"
    access.object_id = subject_pseudonym_for(subject_id=invoice.subject_id)
    if not access.may_show(LINES_CATEGORY):
        raise PermissionDenied  # an invoice without its lines is no invoice
    access.shown.add(LINES_CATEGORY)
    show_name = all(access.may_show(category) for category in NAME_CATEGORIES)
    show_address = access.may_show(ADDRESS_CATEGORY)
    if show_name:
        access.shown.update(NAME_CATEGORIES)
    if show_address:
        access.shown.add(ADDRESS_CATEGORY)
    document = invoice_document(invoice=invoice, show_name=show_name, show_address=show_address)
    return document, not (show_name and show_address)


@never_cache
@staff_required
@screen_required(SCREEN)
@purpose_required(kind="invoice", data_subject="customer", id_kwarg="invoice_id")
def backoffice_invoice(request, invoice_id, *, access):
    document, partly_hidden = _staff_document(invoice_id, access)
    context = {"document": document, "access": access, "partly_hidden": partly_hidden}
    return render(request, "shop/invoice/backoffice_invoice.html", context)


@never_cache
@staff_required
@screen_required(SCREEN)
@purpose_required(kind="invoice", data_subject="customer", id_kwarg="invoice_id")
def backoffice_invoice_pdf(request, invoice_id, *, access):
    document, _partly_hidden = _staff_document(invoice_id, access)
    return _pdf_response(document)
