"""The hand-over files of a disclosure to an authority: JSON (for systems) and PDF (to read).

Both hold exactly the values of the ticked categories, plus what the authority needs to file
it: who discloses, to whom, on which ground, for which case. The PDF is drawn locally (fpdf2,
fonts embedded from disk, nothing fetched from any URL).
"""

import json

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from fpdf import FPDF

from pledge.frame.pdf import FONT, new_pdf
from pledge.policy.selectors import current_policy
from pledge.policy.wording import legal_basis_text


def package_json(*, disclosure, payload: dict) -> bytes:
    policy = current_policy()
    document = {
        "controller": policy.controller.legal_name,
        "recipient": policy.recipient(disclosure.recipient).name,
        "purpose": disclosure.purpose,
        "legal_basis": disclosure.legal_basis,
        "legal_ground": payload["legal_ground"],
        "case_reference": payload["case_reference"],
        "disclosed_at": payload["created_at"],
        "disclosure_id": str(disclosure.id),
        "categories": payload["categories"],
        "data": payload["values"],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def package_pdf(*, disclosure, payload: dict) -> bytes:
    policy = current_policy()
    language = get_language()
    purpose = policy.purpose(disclosure.purpose)
    when = parse_datetime(payload["created_at"]) or disclosure.created_at
    # The project's embedded DejaVu Sans (full Unicode; the PDF core fonts stop at Latin-1).
    pdf = new_pdf(title=_("Disclosure of personal data"), creator="Pledge", language=language or "")
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(0, 9, _("Disclosure of personal data"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    facts = [
        (_("From"), policy.controller.legal_name),
        (_("To"), policy.recipient(disclosure.recipient).name),
        (_("Purpose"), purpose.name.get(language)),
        (_("Legal basis"), legal_basis_text(purpose.legal_basis)),
        (_("Legal ground"), payload["legal_ground"]),
        (_("Case reference"), payload["case_reference"]),
        (_("Date"), formats.date_format(timezone.localtime(when), "j F Y H:i")),
        (_("Disclosure id"), str(disclosure.id)),
    ]
    for label, value in facts:
        _row(pdf, label, value)
    pdf.ln(4)
    for category in payload["categories"]:
        pdf.set_font(FONT, "B", 11)
        label = policy.data_category(category).label.get(language)
        pdf.multi_cell(0, 7, label, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 10)
        for line in _lines(payload["values"].get(category)):
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())


def _row(pdf: FPDF, label: str, value: str) -> None:
    pdf.set_font(FONT, "B", 10)
    pdf.cell(45, 6, label)
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")


def _lines(value, indent: str = "") -> list[str]:
    """Plain text lines of a category's value: text, a dict, or a list of dicts. A dict's
    nested values (an order's lines) follow it indented, rather than as Python notation."""
    if value in (None, "", [], {}):
        return [indent + _("(none)")]
    if isinstance(value, dict):
        nested = {key: item for key, item in value.items() if isinstance(item, (dict, list))}
        flat = ", ".join(
            f"{key}: {item}"
            for key, item in value.items()
            if key not in nested and item not in ("", None)
        )
        lines = [indent + flat] if flat else []
        for key, item in nested.items():
            lines.append(f"{indent}    {key}:")
            lines.extend(_lines(item, indent + "        "))
        return lines
    if isinstance(value, list):
        return [line for item in value for line in _lines(item, indent)]
    return [indent + str(value)]
