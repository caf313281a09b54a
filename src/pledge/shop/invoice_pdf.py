"""The invoice or credit note as a PDF (fpdf2), with everything art. 35a Wet OB asks.

Rendering needs nothing from outside the machine: ``pledge.frame.pdf`` sets the page up with
the project's embedded DejaVu Sans (a customer named Łucja prints, and so does the euro sign) and
nothing is fetched. The PDF's metadata names the document by number, never the customer.
"""

from decimal import Decimal

from django.utils import formats, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from pledge.frame.pdf import FONT, new_pdf

from .invoice_selectors import DocumentLine, InvoiceDocument

MARGIN = 18  # mm
LINE = 5  # mm per line of 9-point text
GREY = (90, 90, 90)


def money(amount: Decimal) -> str:
    """Dutch "€ 1.234,50", English "€ 1,234.50"."""
    return "€ " + formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


def percent(value: Decimal) -> str:
    return f"{formats.number_format(value, use_l10n=True)}%"


def invoice_pdf(*, document: InvoiceDocument) -> bytes:
    """The document as PDF bytes, in the language the document was made in."""
    with translation.override(document.language):
        pdf = _new_pdf(document, document.language)
        _header(pdf, document)
        _meta(pdf, document)
        _lines(pdf, document)
        _vat_summary(pdf, document)
        return bytes(pdf.output())


def _new_pdf(document: InvoiceDocument, language: str) -> FPDF:
    pdf = new_pdf(
        title=f"{document.title} {document.number}",
        creator=document.seller.legal_name,
        language=language,
        margin=MARGIN,
    )
    pdf.set_author(document.seller.legal_name)
    return pdf


def _text(pdf: FPDF, text: str, *, size: float = 9, bold: bool = False, grey=False) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*(GREY if grey else (0, 0, 0)))
    pdf.multi_cell(0, LINE, text, new_x="LMARGIN", new_y="NEXT")


def _header(pdf: FPDF, document: InvoiceDocument) -> None:
    seller = document.seller
    _text(pdf, seller.legal_name, size=13, bold=True)
    for line in seller.address_lines:
        _text(pdf, line, grey=True)
    _text(pdf, f"{_('KvK number')}: {seller.kvk}", grey=True)
    _text(pdf, f"{_('VAT number')}: {seller.btw}", grey=True)
    _text(pdf, f"{seller.email} · {seller.website}", grey=True)
    pdf.ln(8)
    if document.customer_name or document.customer_address:
        for line in [document.customer_name, *document.customer_address]:
            if line:
                _text(pdf, line)
        pdf.ln(8)
    _text(pdf, f"{document.title} {document.number}", size=16, bold=True)
    pdf.ln(2)


def _meta(pdf: FPDF, document: InvoiceDocument) -> None:
    number_label = _("Credit note number") if document.is_credit_note else _("Invoice number")
    rows = [
        (number_label, document.number),
        (_("Date"), formats.date_format(document.issued_on, "DATE_FORMAT")),
        (_("Order number"), str(document.order_number)),
        (_("Order date"), formats.date_format(document.ordered_on, "DATE_FORMAT")),
    ]
    if document.credits_number:
        rows.append((_("Credits invoice"), document.credits_number))
    with pdf.table(
        col_widths=(45, 129),
        first_row_as_headings=False,
        borders_layout="NONE",
        text_align="LEFT",
        align="LEFT",
        line_height=LINE,
    ) as table:
        pdf.set_font(FONT, "", 9)
        for label, value in rows:
            row = table.row()
            row.cell(label, style=FontFace(emphasis="BOLD"))
            row.cell(value)
    pdf.ln(6)


def _lines(pdf: FPDF, document: InvoiceDocument) -> None:
    pdf.set_font(FONT, "", 9)
    lines: list[DocumentLine] = [*document.lines]
    if document.delivery is not None:
        lines.append(document.delivery)
    with pdf.table(
        col_widths=(74, 18, 32, 16, 34),
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        borders_layout="HORIZONTAL_LINES",
        line_height=LINE + 1,
    ) as table:
        heading = table.row()
        for label in (
            _("Description"),
            _("Quantity"),
            _("Unit price incl. VAT"),
            _("VAT"),
            _("Total incl. VAT"),
        ):
            heading.cell(label)
        for line in lines:
            row = table.row()
            row.cell(line.name)
            row.cell(str(line.quantity))
            row.cell(money(line.unit_price))
            row.cell(percent(line.vat_percentage))
            row.cell(money(line.total))
    pdf.ln(6)


def _vat_summary(pdf: FPDF, document: InvoiceDocument) -> None:
    pdf.set_font(FONT, "", 9)
    with pdf.table(
        col_widths=(40, 45, 40, 49),
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
        borders_layout="HORIZONTAL_LINES",
        line_height=LINE + 1,
    ) as table:
        heading = table.row()
        for label in (_("VAT rate"), _("Amount excl. VAT"), _("VAT"), _("Amount incl. VAT")):
            heading.cell(label)
        for rate in document.vat_rows:
            row = table.row()
            row.cell(percent(rate.percentage))
            row.cell(money(rate.excl))
            row.cell(money(rate.vat))
            row.cell(money(rate.incl))
    pdf.ln(4)
    with pdf.table(
        col_widths=(125, 49),
        first_row_as_headings=False,
        borders_layout="NONE",
        text_align=("RIGHT", "RIGHT"),
        line_height=LINE + 1,
    ) as table:
        for label, amount, bold in (
            (_("Total excl. VAT"), document.total_excl, False),
            (_("VAT"), document.total_vat, False),
            (_("Total incl. VAT"), document.total_incl, True),
        ):
            row = table.row()
            style = FontFace(emphasis="BOLD") if bold else None
            row.cell(label, style=style)
            row.cell(money(amount), style=style)
    if document.is_credit_note:
        pdf.ln(4)
        _text(
            pdf,
            _("The amounts of this credit note are refunded to the account you paid from."),
            grey=True,
        )
