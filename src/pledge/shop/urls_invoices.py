"""Invoice, credit-note and return URLs, included by the shop's ``urls.py`` (app name "shop").

Documents are addressed by their random UUID only: no number, name or other personal data in
a URL (they end up in logs and browser histories).
"""

from django.urls import path

from . import invoice_views, returns_views

urlpatterns = [
    path("account/invoices/<uuid:invoice_id>/", invoice_views.invoice_page, name="invoice"),
    path(
        "account/invoices/<uuid:invoice_id>/pdf/",
        invoice_views.invoice_pdf_download,
        name="invoice_pdf",
    ),
    path(
        "account/credit-notes/<uuid:invoice_id>/",
        invoice_views.credit_note_page,
        name="credit_note",
    ),
    path(
        "account/credit-notes/<uuid:invoice_id>/pdf/",
        invoice_views.credit_note_pdf_download,
        name="credit_note_pdf",
    ),
    path(
        "backoffice/invoices/",
        invoice_views.backoffice_invoice_list,
        name="backoffice_invoices",
    ),
    path(
        "backoffice/invoices/<uuid:invoice_id>/",
        invoice_views.backoffice_invoice,
        name="backoffice_invoice",
    ),
    path(
        "backoffice/invoices/<uuid:invoice_id>/pdf/",
        invoice_views.backoffice_invoice_pdf,
        name="backoffice_invoice_pdf",
    ),
    path("backoffice/returns/", returns_views.backoffice_returns, name="backoffice_returns"),
    path(
        "backoffice/returns/<uuid:return_id>/accept/",
        returns_views.backoffice_return_accept,
        name="backoffice_return_accept",
    ),
    path(
        "backoffice/returns/<uuid:return_id>/refund/",
        returns_views.backoffice_return_refund,
        name="backoffice_return_refund",
    ),
    path(
        "backoffice/returns/<uuid:return_id>/reject/",
        returns_views.backoffice_return_reject,
        name="backoffice_return_reject",
    ),
]
