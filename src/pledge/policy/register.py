"""The record of processing activities (Art. 30(1) GDPR), rendered from the policy file.

One entry per purpose: the purpose is the processing activity. The register is what the
Autoriteit Persoonsgegevens asks for first (Art. 30(4)), so it is rendered from the same policy
the shop runs on and can never describe a different shop.
"""

import csv
import io
from dataclasses import dataclass

from .consistency import EEA
from .schema import (
    LegalBasis,
    Policy,
    Purpose,
    Recipient,
    RecipientRole,
    Retention,
    RetentionEvent,
    TimeUnit,
    TransferMechanism,
)

FORMATS = ("md", "csv")

# Per event: the words after a period ("7 jaar <na ...>") and the words when no period is set
# (the data goes at the event itself: "<tot ...>").
_EVENT_WORDS: dict[RetentionEvent, dict[str, tuple[str, str]]] = {
    RetentionEvent.COLLECTION: {
        "nl": ("na het verzamelen", "niet bewaard na gebruik"),
        "en": ("after collection", "not kept after use"),
    },
    RetentionEvent.ACCOUNT_DELETED: {
        "nl": ("nadat uw account is verwijderd", "tot uw account is verwijderd"),
        "en": ("after the account is deleted", "until the account is deleted"),
    },
    RetentionEvent.ORDER_DELIVERED: {
        "nl": ("na de bezorging van de bestelling", "tot de bestelling is bezorgd"),
        "en": ("after the order is delivered", "until the order is delivered"),
    },
    RetentionEvent.FISCAL_YEAR_END: {
        "nl": ("na het einde van het boekjaar", "tot het einde van het boekjaar"),
        "en": ("after the end of the fiscal year", "until the end of the fiscal year"),
    },
    RetentionEvent.TICKET_CLOSED: {
        "nl": ("nadat uw vraag is afgehandeld", "tot uw vraag is afgehandeld"),
        "en": ("after the question is answered", "until the question is answered"),
    },
    RetentionEvent.UNSUBSCRIBED: {
        "nl": ("nadat u zich hebt afgemeld", "tot u zich afmeldt"),
        "en": ("after unsubscribing", "until unsubscribing"),
    },
    RetentionEvent.CONSENT_WITHDRAWN: {
        "nl": ("nadat de toestemming is ingetrokken", "tot de toestemming is ingetrokken"),
        "en": ("after consent is withdrawn", "until consent is withdrawn"),
    },
    RetentionEvent.CASE_CLOSED: {
        "nl": ("nadat de zaak is afgesloten", "tot de zaak is afgesloten"),
        "en": ("after the case is closed", "until the case is closed"),
    },
    RetentionEvent.SESSION_END: {
        "nl": ("na het einde van de sessie", "tot het einde van de sessie"),
        "en": ("after the session ends", "until the session ends"),
    },
    RetentionEvent.MAIL_DELIVERED: {
        "nl": ("nadat de e-mail is afgeleverd", "tot de e-mail is afgeleverd"),
        "en": ("after the e-mail is delivered", "until the e-mail is delivered"),
    },
}

# (singular, plural) per unit and language.
_UNIT_WORDS: dict[TimeUnit, dict[str, tuple[str, str]]] = {
    TimeUnit.MINUTES: {"nl": ("minuut", "minuten"), "en": ("minute", "minutes")},
    TimeUnit.HOURS: {"nl": ("uur", "uur"), "en": ("hour", "hours")},
    TimeUnit.DAYS: {"nl": ("dag", "dagen"), "en": ("day", "days")},
    TimeUnit.WEEKS: {"nl": ("week", "weken"), "en": ("week", "weeks")},
    TimeUnit.MONTHS: {"nl": ("maand", "maanden"), "en": ("month", "months")},
    TimeUnit.YEARS: {"nl": ("jaar", "jaar"), "en": ("year", "years")},
}

_LEGAL_BASIS_WORDS: dict[LegalBasis, dict[str, str]] = {
    LegalBasis.CONSENT: {"nl": "Toestemming", "en": "Consent"},
    LegalBasis.CONTRACT: {
        "nl": "Uitvoering van een overeenkomst",
        "en": "Performance of a contract",
    },
    LegalBasis.LEGAL_OBLIGATION: {"nl": "Wettelijke verplichting", "en": "Legal obligation"},
    LegalBasis.VITAL_INTERESTS: {"nl": "Vitaal belang", "en": "Vital interests"},
    LegalBasis.PUBLIC_TASK: {"nl": "Taak van algemeen belang", "en": "Public task"},
    LegalBasis.LEGITIMATE_INTERESTS: {"nl": "Gerechtvaardigd belang", "en": "Legitimate interests"},
}

_ROLE_WORDS: dict[RecipientRole, dict[str, str]] = {
    RecipientRole.PROCESSOR: {"nl": "verwerker", "en": "processor"},
    RecipientRole.CONTROLLER: {
        "nl": "zelfstandig verwerkingsverantwoordelijke",
        "en": "independent controller",
    },
    RecipientRole.AUTHORITY: {"nl": "overheidsinstantie", "en": "public authority"},
}

_MECHANISM_WORDS: dict[TransferMechanism, dict[str, str]] = {
    TransferMechanism.ADEQUACY: {
        "nl": "adequaatheidsbesluit (art. 45 AVG)",
        "en": "adequacy decision (Art. 45 GDPR)",
    },
    TransferMechanism.DPF: {
        "nl": "EU-VS Data Privacy Framework (adequaatheidsbesluit, art. 45 AVG)",
        "en": "EU-US Data Privacy Framework (adequacy decision, Art. 45 GDPR)",
    },
    TransferMechanism.SCC: {
        "nl": "standaardcontractbepalingen (art. 46 lid 2 sub c AVG)",
        "en": "standard contractual clauses (Art. 46(2)(c) GDPR)",
    },
    TransferMechanism.BCR: {
        "nl": "bindende bedrijfsvoorschriften (art. 47 AVG)",
        "en": "binding corporate rules (Art. 47 GDPR)",
    },
}

# Column headings, in the order of Art. 30(1)(b) to (g).
_COLUMNS: dict[str, dict[str, str]] = {
    "name": {"nl": "Verwerking (doel)", "en": "Processing activity (purpose)"},
    "description": {"nl": "Omschrijving", "en": "Description"},
    "legal_basis": {"nl": "Grondslag", "en": "Legal basis"},
    "subjects": {"nl": "Categorieën betrokkenen", "en": "Categories of data subjects"},
    "categories": {"nl": "Categorieën persoonsgegevens", "en": "Categories of personal data"},
    "recipients": {"nl": "Categorieën ontvangers", "en": "Categories of recipients"},
    "transfers": {
        "nl": "Doorgifte naar derde landen",
        "en": "Transfers to third countries",
    },
    "retention": {"nl": "Bewaartermijn", "en": "Retention period"},
    "security": {
        "nl": "Beveiligingsmaatregelen (algemeen)",
        "en": "Security measures (general description)",
    },
}

_WORDS: dict[str, dict[str, str]] = {
    "title": {
        "nl": "Register van verwerkingsactiviteiten (art. 30 lid 1 AVG)",
        "en": "Record of processing activities (Art. 30(1) GDPR)",
    },
    "controller": {"nl": "Verwerkingsverantwoordelijke", "en": "Controller"},
    "officer": {"nl": "Privacy officer", "en": "Privacy officer"},
    "dpo": {"nl": "Functionaris gegevensbescherming", "en": "Data protection officer"},
    "policy": {"nl": "Privacybeleid", "en": "Privacy policy"},
    "effective": {"nl": "ingangsdatum", "en": "effective"},
    "none": {"nl": "geen", "en": "none"},
    "sub_processor": {"nl": "subverwerker van", "en": "sub-processor of"},
    "security_see": {
        "nl": "zie Beveiligingsmaatregelen hieronder",
        "en": "see Security measures below",
    },
}


def retention_in_words(retention: Retention, language: str) -> str:
    """``7 jaar na het einde van het boekjaar`` / ``7 years after the end of the fiscal year``."""
    lang = _language(language)
    after, until = _EVENT_WORDS[retention.after][lang]
    if retention.duration is None or retention.unit is None:
        return until
    if retention.duration == 0:
        return f"{'direct' if lang == 'nl' else 'immediately'} {after}"
    singular, plural = _UNIT_WORDS[retention.unit][lang]
    unit = singular if retention.duration == 1 else plural
    return f"{retention.duration} {unit} {after}"


def legal_basis_in_words(basis: LegalBasis, language: str) -> str:
    """``Toestemming (art. 6 lid 1 sub a AVG)`` / ``Consent (Art. 6(1)(a) GDPR)``."""
    lang = _language(language)
    if lang == "en":
        article = basis.article
    else:
        letter = "abcdef"[list(LegalBasis).index(basis)]
        article = f"art. 6 lid 1 sub {letter} AVG"
    return f"{_LEGAL_BASIS_WORDS[basis][lang]} ({article})"


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
    return [_record(policy, purpose, lang, security) for purpose in policy.purposes]


def render_register(policy: Policy, *, fmt: str, language: str = "nl") -> str:
    if fmt not in FORMATS:
        raise ValueError(f"Unknown register format {fmt!r}: use one of {', '.join(FORMATS)}.")
    records = processing_records(policy, language)
    lang = _language(language)
    return _csv(records, lang) if fmt == "csv" else _markdown(policy, records, lang)


def _record(policy: Policy, purpose: Purpose, lang: str, security: tuple[str, ...]):
    recipients = policy.recipients_for(purpose.id)
    legal_basis = legal_basis_in_words(purpose.legal_basis, lang)
    if purpose.legitimate_interest:
        # Art. 6(1)(f) is only lawful with the balancing written down (Art. 5(2)).
        legal_basis = f"{legal_basis}: {purpose.legitimate_interest.get(lang)}"
    retention = retention_in_words(purpose.retention, lang)
    if purpose.retention.note:
        retention = f"{retention} ({purpose.retention.note.get(lang)})"
    return ProcessingRecord(
        name=purpose.name.get(lang),
        description=purpose.description.get(lang),
        legal_basis=legal_basis,
        subjects=tuple(policy.data_subject(s).label.get(lang) for s in purpose.data_subjects),
        categories=tuple(policy.data_category(c).label.get(lang) for c in purpose.data_categories),
        recipients=tuple(_recipient_in_words(r, lang) for r in recipients),
        transfers=tuple(t for r in recipients for t in _transfers_in_words(r, lang))
        or (_WORDS["none"][lang],),
        retention=retention,
        security=security,
    )


def _recipient_in_words(recipient: Recipient, lang: str) -> str:
    text = f"{recipient.name} ({_ROLE_WORDS[recipient.role][lang]})"
    for sub in recipient.sub_processors:
        text += f"; {sub.name} ({_WORDS['sub_processor'][lang]} {recipient.name})"
    return text


def _transfers_in_words(recipient: Recipient, lang: str) -> list[str]:
    """Chapter V GDPR: every recipient or sub-processor outside the EEA, with its ground."""
    transfers = []
    parties = [(recipient.name, recipient.country, recipient.transfer_mechanism)]
    parties += [
        (
            f"{sub.name} ({_WORDS['sub_processor'][lang]} {recipient.name})",
            sub.country,
            sub.transfer_mechanism,
        )
        for sub in recipient.sub_processors
    ]
    for name, country, mechanism in parties:
        if country in EEA:
            continue
        # The consistency check refuses a transfer without mechanism; say so if one slips by.
        ground = _MECHANISM_WORDS[mechanism][lang] if mechanism else "?"
        transfers.append(f"{name}, {country}: {ground}")
    return transfers


def _csv(records: list[ProcessingRecord], lang: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([heading[lang] for heading in _COLUMNS.values()])
    for record in records:
        writer.writerow(
            [
                record.name,
                record.description,
                record.legal_basis,
                "; ".join(record.subjects),
                "; ".join(record.categories),
                "; ".join(record.recipients) or _WORDS["none"][lang],
                "; ".join(record.transfers),
                record.retention,
                " ".join(record.security),
            ]
        )
    return out.getvalue()


def _markdown(policy: Policy, records: list[ProcessingRecord], lang: str) -> str:
    controller, officer = policy.controller, policy.privacy_officer
    address = controller.address
    officer_title = _WORDS["dpo" if officer.designated_dpo else "officer"][lang]
    lines = [
        f"# {_WORDS['title'][lang]}",
        "",
        f"{_WORDS['policy'][lang]} {policy.policy.version} "
        f"({_WORDS['effective'][lang]} {policy.policy.effective.isoformat()})",
        "",
        # Art. 30(1)(a): name and contact details of the controller and the officer.
        f"## {_WORDS['controller'][lang]}",
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
            ("recipients", "; ".join(record.recipients) or _WORDS["none"][lang]),
            ("transfers", "; ".join(record.transfers)),
            ("retention", record.retention),
            ("security", _WORDS["security_see"][lang]),
        ]
        lines += [f"| {_COLUMNS[key][lang]} | {_cell(value)} |" for key, value in rows]
    lines += ["", f"## {_COLUMNS['security'][lang]}", ""]
    lines += [f"- {measure.get(lang)}" for measure in policy.security_measures]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    # A pipe or line break inside a value would split the Markdown table row.
    return text.replace("|", "\\|").replace("\n", " ")


def _language(language: str | None) -> str:
    return "en" if (language or "").startswith("en") else "nl"
