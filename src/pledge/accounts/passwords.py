"""Password rules of NIST SP 800-63B: long, not common, not the account's own details.

No composition rules (a digit, a capital...): 800-63B §3.1.1.2 advises against them. Django's
validators do the work; the account's e-mail address and names are encrypted and not attributes
of ``User``, so they are handed to ``UserAttributeSimilarityValidator`` as the values at hand.
"""

from types import SimpleNamespace

from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

# 800-63B: accept at least 64 characters; beyond this a password is a denial-of-service vector.
MAX_LENGTH = 1024


def password_check(
    password: str,
    *,
    username: str = "",
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> None:
    """Raise ``ValidationError`` with every rule the password breaks."""
    at_hand = SimpleNamespace(
        username=username,
        email=str(email or ""),
        first_name=str(first_name or ""),
        last_name=str(last_name or ""),
        _meta=_AtHandMeta(),
    )
    password_validation.validate_password(password, user=at_hand)


class _AtHandMeta:
    """What the similarity validator calls each value in its message ("too similar to ...")."""

    names = {
        "username": _("username"),
        "email": _("e-mail address"),
        "first_name": _("first name"),
        "last_name": _("last name"),
    }

    def get_field(self, name):
        return SimpleNamespace(verbose_name=self.names[name])


def password_help() -> list[str]:
    return password_validation.password_validators_help_texts()
