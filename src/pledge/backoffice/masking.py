"""Masked forms of personal data for screens that do not need the value itself.

Lists always show these; a record shows a plain value only after a purpose was given (see
``purposes.py``). A mask keeps just enough to tell people apart at a glance: ``j***@e***.nl``,
``+31 6 ****78``, ``J***``, a city. An erased value stays "[erased]".
"""

import re

from pledge.vault.erased import is_erased

MASK = "***"


def mask_email(value) -> str:
    if is_erased(value) or not value:
        return _as_is(value)
    local, _, domain = str(value).rpartition("@")
    if not local:
        return MASK
    host, dot, tld = domain.rpartition(".")
    if not dot:
        return f"{local[0]}{MASK}@{MASK}"
    return f"{local[0]}{MASK}@{host[:1]}{MASK}.{tld}"


def mask_phone(value) -> str:
    """Country code and a short area/mobile prefix stay; of the rest only the last two digits."""
    if is_erased(value) or not value:
        return _as_is(value)
    text = str(value).strip()
    digits = re.sub(r"\D", "", text)
    if len(digits) < 4:
        return "****"
    kept: list[str] = []
    kept_digits = 0
    for group in text.split()[:-1]:
        group_digits = len(re.sub(r"\D", "", group))
        # At most three leading digits (+31 6, 020...) so the mask hides the subscriber number.
        if kept_digits + group_digits > 3:
            break
        kept.append(group)
        kept_digits += group_digits
    return " ".join([*kept, f"****{digits[-2:]}"])


def mask_name(value) -> str:
    if is_erased(value) or not value:
        return _as_is(value)
    return f"{str(value).strip()[:1]}{MASK}"


def mask_address(value) -> str:
    """An address shows as its city only."""
    if is_erased(value) or not value:
        return _as_is(value)
    if isinstance(value, dict):
        city = value.get("city")
        return str(city) if city else MASK
    return MASK


def _as_is(value) -> str:
    """An erased value reads "[erased]" in the reader's language; an empty one stays empty."""
    return str(value) if is_erased(value) else ""
