"""The record of processing activities (Art. 30(1) GDPR), rendered from the policy file.

One entry per purpose: the purpose is the processing activity. The register is what the
Autoriteit Persoonsgegevens asks for first (Art. 30(4)), so it is rendered from the same policy
the shop runs on and can never describe a different shop.
"""

import csv
import io
from dataclasses import dataclass

from django.utils.translation import override, pgettext, pgettext_lazy

from . import wording
from .consistency import EEA
from .schema import LegalBasis, Policy, Purpose, Recipient, Retention

FORMATS = ("md", "csv")

# Column headings, in the order of Art. 30(1)(b) to (g).
_COLUMNS = {
    "name": pgettext_lazy("register", "Processing activity (purpose)"),
    "description": pgettext_lazy("register", "Description"),
    "legal_basis": pgettext_lazy("register", "Legal basis"),
    "subjects": pgettext_lazy("register", "Categories of data subjects"),
    "categories": pgettext_lazy("register", "Categories of personal data"),
    "recipients": pgettext_lazy("register", "Categories of recipients"),
    "transfers": pgettext_lazy("register", "Transfers to third countries"),
    "retention": pgettext_lazy("register", "Retention period"),
    "security": pgettext_lazy("register", "Security measures (general description)"),
}


def retention_in_words(retention: Retention, language: str) -> str:
    """``7 jaar na het einde van het boekjaar`` / ``7 years after the end of the fiscal year``."""
    with override(_language(language)):
        return wording.retention_text(retention, third_person=True)


def legal_basis_in_words(basis: LegalBasis, language: str) -> str:
    """``Toestemming (art. 6 lid 1 sub a AVG)`` / ``Consent (Art. 6(1)(a) GDPR)``."""
    with override(_language(language)):
        return wording.legal_basis_text(basis)


@dataclass(frozen=True)
class ProcessingRecord:
    """One Art. 30(1) entry, in words: each field is one column of the register."""

    name: str
    description: str
    legal_basis: str
    subjects: tuple[str, ...]
    categories: tuple[str, ...]
    recipients: tuple[str, ...]
    transfers: tuple[str, ...]
    retention: str
    security: tuple[str, ...]


def processing_records(policy: Policy, language: str) -> list[ProcessingRecord]:
    lang = _language(language)
    security = tuple(measure.get(lang) for measure in policy.security_measures)
    with override(lang):
        return [_record(policy, purpose, lang, security) for purpose in policy.purposes]


def render_register(policy: Policy, *, fmt: str, language: str = "nl") -> str:
    if fmt not in FORMATS:
        raise ValueError(f"Unknown register format {fmt!r}: use one of {', '.join(FORMATS)}.")
    lang = _language(language)
    records = processing_records(policy, lang)
    # The words come from the one vocabulary (gettext), in the register's language.
    with override(lang):
        return _csv(records) if fmt == "csv" else _markdown(policy, records, lang)


def _record(policy: Policy, purpose: Purpose, lang: str, security: tuple[str, ...]):
    recipients = policy.recipients_for(purpose.id)
    legal_basis = wording.legal_basis_text(purpose.legal_basis)
    if purpose.legitimate_interest:
        # Art. 6(1)(f) is only lawful with the balancing written down (Art. 5(2)).
        legal_basis = f"{legal_basis}: {purpose.legitimate_interest.get(lang)}"
    retention = wording.retention_text(purpose.retention, third_person=True)
    if purpose.retention.note:
        retention = f"{retention} ({purpose.retention.note.get(lang)})"
    return ProcessingRecord(
        name=purpose.name.get(lang),
        description=purpose.description.get(lang),
        legal_basis=legal_basis,
        subjects=tuple(policy.data_subject(s).label.get(lang) for s in purpose.data_subjects),
        categories=tuple(policy.data_category(c).label.get(lang) for c in purpose.data_categories),
        recipients=tuple(_recipient_in_words(r) for r in recipients),
        transfers=tuple(t for r in recipients for t in _transfers_in_words(r)) or (_none(),),
        retention=retention,
        security=security,
    )


def _recipient_in_words(recipient: Recipient) -> str:
    text = f"{recipient.name} ({wording.RECIPIENT_ROLE_NAMES[recipient.role]})"
    for sub in recipient.sub_processors:
        text += f"; {_sub_processor(sub.name, recipient)}"
    return text


def _transfers_in_words(recipient: Recipient) -> list[str]:
    """Chapter V GDPR: every recipient or sub-processor outside the EEA, with its ground."""
    transfers = []
    parties = [(recipient.name, recipient.country, recipient.transfer_mechanism)]
    parties += [
        (_sub_processor(sub.name, recipient), sub.country, sub.transfer_mechanism)
        for sub in recipient.sub_processors
    ]
    for name, country, mechanism in parties:
        if country in EEA:
            continue
        # The consistency check refuses a transfer without mechanism; say so if one slips by.
        ground = wording.transfer_mechanism_text(mechanism) or "?"
        transfers.append(f"{name}, {country}: {ground}")
    return transfers


def _sub_processor(name: str, recipient: Recipient) -> str:
    return pgettext("register", "%(name)s (sub-processor of %(recipient)s)") % {
        "name": name,
        "recipient": recipient.name,
    }


def _none() -> str:
    return pgettext("register", "none")


def _csv(records: list[ProcessingRecord]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(heading) for heading in _COLUMNS.values()])
    for record in records:
        writer.writerow(
            [
                record.name,
                record.description,
                record.legal_basis,
                "; ".join(record.subjects),
                "; ".join(record.categories),
                "; ".join(record.recipients) or _none(),
                "; ".join(record.transfers),
                record.retention,
                " ".join(record.security),
            ]
        )
    return out.getvalue()


def _markdown(policy: Policy, records: list[ProcessingRecord], lang: str) -> str:
    controller, officer = policy.controller, policy.privacy_officer
    address = controller.address
    if officer.designated_dpo:
        officer_title = pgettext("register", "Data protection officer")
    else:
        officer_title = pgettext("register", "Privacy officer")
    version = pgettext("register", "Privacy policy %(version)s (effective %(date)s)") % {
        "version": policy.policy.version,
        "date": policy.policy.effective.isoformat(),
    }
    title = pgettext("register", "Record of processing activities (Art. 30(1) GDPR)")
    controller_title = pgettext("register", "Controller")
    lines = [
        f"# {title}",
        "",
        version,
        "",
        # Art. 30(1)(a): name and contact details of the controller and the officer.
        f"## {controller_title}",
        "",
        f"- {controller.legal_name} ({controller.name}), KvK {controller.kvk}",
        f"- {address.street}, {address.postal_code} {address.city}, {address.country}",
        f"- {controller.email}, {controller.phone}, {controller.website}",
        "",
        f"## {officer_title}",
        "",
        f"- {officer.name}, {officer.email}, {officer.phone}",
        f"- {officer.role.get(lang)}",
    ]
    for number, record in enumerate(records, start=1):
        lines += ["", f"## {number}. {_cell(record.name)}", "", "| | |", "|---|---|"]
        rows = [
            ("description", record.description),
            ("legal_basis", record.legal_basis),
            ("subjects", "; ".join(record.subjects)),
            ("categories", "; ".join(record.categories)),
            ("recipients", "; ".join(record.recipients) or _none()),
            ("transfers", "; ".join(record.transfers)),
            ("retention", record.retention),
            ("security", pgettext("register", "see Security measures below")),
        ]
        lines += [f"| {_COLUMNS[key]} | {_cell(value)} |" for key, value in rows]
    lines += ["", f"## {_COLUMNS['security']}", ""]
    lines += [f"- {measure.get(lang)}" for measure in policy.security_measures]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    # A pipe or line break inside a value would split the Markdown table row.
    return text.replace("|", "\\|").replace("\n", " ")


def _language(language: str | None) -> str:
    return "en" if (language or "").startswith("en") else "nl"
