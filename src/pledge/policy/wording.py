"""Policy values in words, in the active language (gettext): retention, lifetimes, roles.

The policy stores structure (an event, a number, a unit); the statements and the Art. 30 register
need words. These phrases are the only place that turns one into the other, so NL and EN, and the
statements and the register, never drift apart. The statements speak to the data subject ("until
you delete your account"); the register speaks about them to the authority ("until the account is
deleted"): ``third_person=True``. Only the phrases that address the reader have a second form.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from .schema import (
    LegalBasis,
    Lifetime,
    RecipientRole,
    RecipientType,
    Retention,
    RetentionEvent,
    TimeUnit,
    TransferMechanism,
)

_UNITS = {
    TimeUnit.MINUTES: ngettext_lazy("%(count)d minute", "%(count)d minutes", "count"),
    TimeUnit.HOURS: ngettext_lazy("%(count)d hour", "%(count)d hours", "count"),
    TimeUnit.DAYS: ngettext_lazy("%(count)d day", "%(count)d days", "count"),
    TimeUnit.WEEKS: ngettext_lazy("%(count)d week", "%(count)d weeks", "count"),
    TimeUnit.MONTHS: ngettext_lazy("%(count)d month", "%(count)d months", "count"),
    TimeUnit.YEARS: ngettext_lazy("%(count)d year", "%(count)d years", "count"),
}

# Retention without a duration: the data goes at the event itself.
_UNTIL = {
    RetentionEvent.COLLECTION: _("not kept after it has been used"),
    RetentionEvent.ACCOUNT_DELETED: _("until you delete your account"),
    RetentionEvent.ORDER_DELIVERED: _("until your order has been delivered"),
    RetentionEvent.FISCAL_YEAR_END: _("until the end of the fiscal year"),
    RetentionEvent.TICKET_CLOSED: _("until your question has been answered in full"),
    RetentionEvent.UNSUBSCRIBED: _("until you unsubscribe"),
    RetentionEvent.CONSENT_WITHDRAWN: _("until you withdraw your consent"),
    RetentionEvent.CASE_CLOSED: _("until the case has been closed"),
    RetentionEvent.SESSION_END: _("until the end of your session"),
    RetentionEvent.MAIL_DELIVERED: _("until the e-mail has been delivered"),
}

# Retention with a duration: the period starts to run at the event.
_AFTER = {
    RetentionEvent.COLLECTION: _("%(duration)s after collection"),
    RetentionEvent.ACCOUNT_DELETED: _("%(duration)s after you delete your account"),
    RetentionEvent.ORDER_DELIVERED: _("%(duration)s after your order has been delivered"),
    RetentionEvent.FISCAL_YEAR_END: _("%(duration)s after the end of the fiscal year"),
    RetentionEvent.TICKET_CLOSED: _("%(duration)s after your question has been answered"),
    RetentionEvent.UNSUBSCRIBED: _("%(duration)s after you unsubscribe"),
    RetentionEvent.CONSENT_WITHDRAWN: _("%(duration)s after you withdraw your consent"),
    RetentionEvent.CASE_CLOSED: _("%(duration)s after the case has been closed"),
    RetentionEvent.SESSION_END: _("%(duration)s after the end of your session"),
    RetentionEvent.MAIL_DELIVERED: _("%(duration)s after the e-mail has been delivered"),
}

# The events the data subject brings about, said about them rather than to them (the register).
_UNTIL_THIRD_PERSON = _UNTIL | {
    RetentionEvent.ACCOUNT_DELETED: _("until the account is deleted"),
    RetentionEvent.ORDER_DELIVERED: _("until the order is delivered"),
    RetentionEvent.TICKET_CLOSED: _("until the question is answered"),
    RetentionEvent.UNSUBSCRIBED: _("until unsubscribing"),
    RetentionEvent.CONSENT_WITHDRAWN: _("until consent is withdrawn"),
    RetentionEvent.SESSION_END: _("until the session ends"),
}

_AFTER_THIRD_PERSON = _AFTER | {
    RetentionEvent.ACCOUNT_DELETED: _("%(duration)s after the account is deleted"),
    RetentionEvent.ORDER_DELIVERED: _("%(duration)s after the order is delivered"),
    RetentionEvent.TICKET_CLOSED: _("%(duration)s after the question is answered"),
    RetentionEvent.UNSUBSCRIBED: _("%(duration)s after unsubscribing"),
    RetentionEvent.CONSENT_WITHDRAWN: _("%(duration)s after consent is withdrawn"),
    RetentionEvent.SESSION_END: _("%(duration)s after the session ends"),
}

# In a sentence of the statement: "on the basis of <your consent>".
LEGAL_BASES = {
    LegalBasis.CONSENT: _("your consent"),
    LegalBasis.CONTRACT: _("the performance of our contract with you"),
    LegalBasis.LEGAL_OBLIGATION: _("a legal obligation"),
    LegalBasis.VITAL_INTERESTS: _("vital interests"),
    LegalBasis.PUBLIC_TASK: _("a task in the public interest"),
    LegalBasis.LEGITIMATE_INTERESTS: _("our legitimate interest"),
}

# As a name on its own: the register's legal basis column.
LEGAL_BASIS_NAMES = {
    LegalBasis.CONSENT: pgettext_lazy("legal basis", "Consent"),
    LegalBasis.CONTRACT: pgettext_lazy("legal basis", "Performance of a contract"),
    LegalBasis.LEGAL_OBLIGATION: pgettext_lazy("legal basis", "Legal obligation"),
    LegalBasis.VITAL_INTERESTS: pgettext_lazy("legal basis", "Vital interests"),
    LegalBasis.PUBLIC_TASK: pgettext_lazy("legal basis", "Public task"),
    LegalBasis.LEGITIMATE_INTERESTS: pgettext_lazy("legal basis", "Legitimate interests"),
}

# The article in the reader's language (the schema's ``LegalBasis.article`` is the English form).
LEGAL_BASIS_ARTICLES = {
    LegalBasis.CONSENT: _("Art. 6(1)(a) GDPR"),
    LegalBasis.CONTRACT: _("Art. 6(1)(b) GDPR"),
    LegalBasis.LEGAL_OBLIGATION: _("Art. 6(1)(c) GDPR"),
    LegalBasis.VITAL_INTERESTS: _("Art. 6(1)(d) GDPR"),
    LegalBasis.PUBLIC_TASK: _("Art. 6(1)(e) GDPR"),
    LegalBasis.LEGITIMATE_INTERESTS: _("Art. 6(1)(f) GDPR"),
}

RECIPIENT_TYPES = {
    RecipientType.PAYMENT: _("Payment"),
    RecipientType.DELIVERY: _("Delivery"),
    RecipientType.SUPPLIER: _("Suppliers"),
    RecipientType.REVIEW_COLLECTOR: _("Reviews"),
    RecipientType.AUTHORITY: _("Authorities"),
    RecipientType.HOSTING: _("Hosting"),
    RecipientType.MAIL_RELAY: _("E-mail delivery"),
    RecipientType.BACKUP: _("Backups"),
    RecipientType.ANALYTICS: _("Analytics"),
    RecipientType.ADVERTISING: _("Advertising"),
    RecipientType.SOCIAL_MEDIA: _("Social media"),
}

# The role explained to the data subject (statements).
RECIPIENT_ROLES = {
    RecipientRole.PROCESSOR: _(
        "Processor: processes data only on our behalf and on our instructions, under a "
        "processing agreement (Art. 28 GDPR)."
    ),
    RecipientRole.CONTROLLER: _(
        "Independent controller: decides itself how it uses the data it receives; its own "
        "privacy statement applies."
    ),
    RecipientRole.AUTHORITY: _(
        "Public authority: receives data only where the law requires it, in a specific case."
    ),
}

# The role as a name, after the recipient's name (register).
RECIPIENT_ROLE_NAMES = {
    RecipientRole.PROCESSOR: pgettext_lazy("recipient role", "processor"),
    RecipientRole.CONTROLLER: pgettext_lazy("recipient role", "independent controller"),
    RecipientRole.AUTHORITY: pgettext_lazy("recipient role", "public authority"),
}

# The ground for a transfer outside the EEA (Chapter V GDPR), for statements and register alike.
TRANSFER_MECHANISMS = {
    TransferMechanism.ADEQUACY: _("an adequacy decision of the European Commission (Art. 45 GDPR)"),
    TransferMechanism.DPF: _(
        "the EU-US Data Privacy Framework, an adequacy decision for certified companies "
        "(Art. 45 GDPR)"
    ),
    TransferMechanism.SCC: _("standard contractual clauses (Art. 46(2)(c) GDPR)"),
    TransferMechanism.BCR: _("binding corporate rules (Art. 47 GDPR)"),
}


def duration_text(duration: int, unit: TimeUnit) -> str:
    return _UNITS[unit] % {"count": duration}


def lifetime_text(lifetime: Lifetime | None) -> str:
    if lifetime is None:
        return str(_("session (until you close your browser)"))
    return duration_text(lifetime.duration, lifetime.unit)


def retention_text(retention: Retention, *, third_person: bool = False) -> str:
    """``7 years after the end of the fiscal year``; ``until you delete your account``.

    Without a period (or a period of zero) the data goes at the event itself.
    """
    until, after = (_UNTIL_THIRD_PERSON, _AFTER_THIRD_PERSON) if third_person else (_UNTIL, _AFTER)
    if not retention.duration or retention.unit is None:
        return str(until[retention.after])
    duration = duration_text(retention.duration, retention.unit)
    return str(after[retention.after]) % {"duration": duration}


def legal_basis_text(basis: LegalBasis) -> str:
    """``Consent (Art. 6(1)(a) GDPR)`` / ``Toestemming (art. 6 lid 1 sub a AVG)``."""
    return f"{LEGAL_BASIS_NAMES[basis]} ({LEGAL_BASIS_ARTICLES[basis]})"


def transfer_mechanism_text(mechanism: TransferMechanism | None) -> str:
    return str(TRANSFER_MECHANISMS[mechanism]) if mechanism else ""
