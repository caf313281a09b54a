"""What may go into an audit row: no names, e-mail addresses, phone numbers or IP addresses.

Callers pass ids, codes and counts, never values a person typed or that describe a person
(Art. 5(1)(c), data minimisation: the log needs to say *that* something happened, not *what*
the data was). These checks catch the usual slips; they cannot prove a string is harmless.
Error messages name the offending key, never the value, so the refusal itself leaks nothing
into logs.
"""

import ipaddress
import re
import uuid

from .chain import canonical_details

MAX_DETAILS_BYTES = 2048

_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
# Key words that mean the caller is about to store a personal value instead of a reference.
_PERSONAL_KEY_WORDS = frozenset(
    {
        "email",
        "mail",
        "name",
        "firstname",
        "lastname",
        "surname",
        "phone",
        "mobile",
        "telephone",
        "address",
        "street",
        "postcode",
        "zipcode",
        "city",
        "ip",
        "username",
        "password",
        "iban",
        "birthdate",
        "birthday",
    }
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[0-9][0-9 ()./-]{7,}[0-9]")
_IDENTIFIER = re.compile(r"[A-Za-z0-9_.:=+/-]+")
# Control characters: never in an id or a code, and the canonical form's field separator is one.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class AuditRecordRejected(ValueError):
    """The event would put personal data (or something unverifiable) into the audit log."""


def check_text(where: str, value: str, *, max_length: int) -> None:
    if len(value) > max_length:
        raise AuditRecordRejected(f"{where} is longer than {max_length} characters")
    if _CONTROL.search(value):
        raise AuditRecordRejected(f"{where} holds a control character")
    if looks_personal(value):
        raise AuditRecordRejected(f"{where} looks like personal data; pass an id or a code")


def looks_personal(value: str) -> bool:
    """An e-mail address, a phone number or an IP address (user.device.ip_address)."""
    if "@" in value and _EMAIL.search(value):
        return True
    if (
        value.startswith(("+", "0"))
        and _PHONE.fullmatch(value)
        and sum(c.isdigit() for c in value) >= 9
    ):
        return True
    return _looks_like_ip(value)


def _looks_like_ip(value: str) -> bool:
    if not (7 <= len(value) <= 45) or not (":" in value or value.count(".") == 3):
        return False
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def check_actor(*, staff_id: object, subject_pseudonym: object) -> tuple[str, str]:
    """Normalise the actor: a staff id, a subject pseudonym, or neither (the system acted)."""
    if staff_id is not None and subject_pseudonym is not None:
        raise AuditRecordRejected("an event has one actor: staff_id or subject_pseudonym")
    staff = str(staff_id) if isinstance(staff_id, uuid.UUID | int) else staff_id or ""
    pseudonym = subject_pseudonym or ""
    if not isinstance(staff, str) or not isinstance(pseudonym, str):
        raise AuditRecordRejected("staff_id and subject_pseudonym are strings")
    if staff and (len(staff) > 64 or not _IDENTIFIER.fullmatch(staff) or looks_personal(staff)):
        raise AuditRecordRejected("staff_id must be the staff account's id, not a name or e-mail")
    if pseudonym and (
        not 8 <= len(pseudonym) <= 128
        or not _IDENTIFIER.fullmatch(pseudonym)
        or looks_personal(pseudonym)
    ):
        raise AuditRecordRejected(
            "subject_pseudonym must be a derived pseudonym (8-128 characters, no spaces)"
        )
    return staff, pseudonym


def check_details(details: object) -> str:
    """Vet a details dict and return its canonical JSON text."""
    if details is None:
        return "{}"
    if not isinstance(details, dict):
        raise AuditRecordRejected("details must be a dict")
    _check_value("details", details, depth=0)
    try:
        text = canonical_details(details)
    except (TypeError, ValueError) as error:
        raise AuditRecordRejected(f"details must be JSON-serialisable: {error}") from None
    if len(text) > MAX_DETAILS_BYTES:
        raise AuditRecordRejected(f"details are larger than {MAX_DETAILS_BYTES} bytes as JSON")
    return text


def _check_value(where: str, value: object, *, depth: int) -> None:
    if depth > 4:
        raise AuditRecordRejected(f"{where} is nested too deeply")
    # bool is an int; float is refused because its text form is not stable across databases
    # and languages, which would make the chain fail to verify elsewhere.
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, str):
        if looks_personal(value):
            raise AuditRecordRejected(f"{where} looks like personal data; pass an id or a code")
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_value(f"{where}[{index}]", item, depth=depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not _KEY.fullmatch(key):
                raise AuditRecordRejected(f"{where} keys must be snake_case identifiers")
            if _PERSONAL_KEY_WORDS & set(key.split("_")):
                raise AuditRecordRejected(
                    f"{where}.{key}: the key names personal data; pass an id or a code"
                )
            _check_value(f"{where}.{key}", item, depth=depth + 1)
        return
    raise AuditRecordRejected(
        f"{where} holds a {type(value).__name__}; details take str, int, bool, None, list, dict"
    )
