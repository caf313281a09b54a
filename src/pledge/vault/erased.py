"""``ERASED``: what an encrypted field reads as once its subject's key is shredded."""

from django.utils.translation import gettext


class Erased(str):
    """A str, so code and templates that expect text keep working, but not a usable value.

    It is falsy (``if customer.phone:`` does not text "[erased]"), renders as "[gewist]" or
    "[erased]" in the active language, and indexing it (``address["city"]`` on an erased JSON
    field) gives ``ERASED`` again instead of an error.
    """

    _instance: "Erased | None" = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls, "[erased]")
        return cls._instance

    def __str__(self) -> str:
        return gettext("[erased]")

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __html__(self) -> str:
        return str(self)

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "ERASED"

    def __getitem__(self, key):
        return self if isinstance(key, str) else str.__getitem__(self, key)

    def get(self, key, default=None):
        return self

    def __reduce__(self):
        return (Erased, ())


ERASED = Erased()


def is_erased(value) -> bool:
    return value is ERASED
