"""The shared PDF setup: the embedded font prints any name and the euro sign, nothing is
fetched, and subsetting the font logs nothing about the letters a document contains."""

import io
import logging

from pypdf import PdfReader

from pledge.frame.pdf import FONT, new_pdf, pdf_font_path


def test_the_font_and_its_licence_ship_with_pledge():
    for style in ("", "B"):
        assert pdf_font_path(style).is_file()
    assert (pdf_font_path().parent / "LICENSE").read_text().startswith("DejaVu Sans")


def test_a_name_outside_latin_1_and_the_euro_sign_print_from_the_embedded_font(caplog):
    caplog.set_level(logging.DEBUG)
    pdf = new_pdf(title="Factuur F000042", creator="Pixeljet B.V.", language="nl", margin=18)
    pdf.set_font(FONT, "B", 12)
    pdf.cell(text="Łucja Wąsowska-Øberg")
    pdf.ln()
    pdf.set_font(FONT, "", 10)
    pdf.cell(text="Totaal € 54,90")
    content = bytes(pdf.output())

    reader = PdfReader(io.BytesIO(content))
    text = reader.pages[0].extract_text()
    assert "Łucja Wąsowska-Øberg" in text and "€ 54,90" in text
    fonts = list(reader.pages[0]["/Resources"]["/Font"].values())
    assert len(fonts) == 2 and all(
        "/FontFile2" in font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for font in fonts
    )
    assert reader.metadata["/Title"] == "Factuur F000042"
    assert b"http://" not in content.replace(b"http://www.w3.org", b"")
    # The subsetter's INFO lines list the glyphs kept: the letters of the customer's name.
    assert not [record for record in caplog.records if record.name.startswith("fontTools")]
