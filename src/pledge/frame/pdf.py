"""The PDFs Pledge draws itself (invoices and credit notes, a disclosure's hand-over file).

One setup for all of them: A4 in millimetres, DejaVu Sans embedded from this app's ``fonts``
(licence alongside) and subset to the glyphs used. The PDF core fonts stop at Latin-1 and have
no euro sign, so a customer named Łucja would not print with them. Nothing is fetched: no image
or link is ever given to fpdf2 as a URL, the only way it would reach out.
"""

import logging
from pathlib import Path

from fpdf import FPDF

FONT = "DejaVuSans"  # the family name documents use with ``pdf.set_font``: "" and "B"
FONT_DIR = Path(__file__).resolve().parent / "fonts"
_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}

# fontTools logs, at INFO, the glyphs it keeps when subsetting the font: which letters a name or
# address in the document contains. That is derived from personal data; keep it out of logs.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def pdf_font_path(style: str = "") -> Path:
    """The font file of ``style`` ("" regular, "B" bold)."""
    return FONT_DIR / _FILES[style]


def new_pdf(*, title: str, creator: str, language: str = "", margin: float | None = None) -> FPDF:
    """An A4 document with its first page added and the font registered as ``FONT``.

    ``title`` and ``creator`` go into the PDF's metadata, which readers and search indexes
    show: a document number or a fixed title, never a person's name. ``margin`` (mm) sets all
    margins and the automatic page break; None keeps fpdf2's defaults.
    """
    pdf = FPDF(format="A4", unit="mm")
    if margin is not None:
        pdf.set_margins(margin, margin, margin)
        pdf.set_auto_page_break(auto=True, margin=margin)
    for style in _FILES:
        pdf.add_font(FONT, style, pdf_font_path(style))
    if language:
        pdf.set_lang(language)
    pdf.set_title(title)
    pdf.set_creator(creator)
    pdf.add_page()
    return pdf
