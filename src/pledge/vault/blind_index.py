"""Blind indexes: keyed HMAC-SHA256 of a normalised value, for exact lookups and uniqueness.

``lookup`` indexes (login by e-mail) use ``PLEDGE_BLIND_INDEX_KEY`` and are nulled when the
subject is erased. ``suppression`` indexes (the newsletter's do-not-mail list) use the separate
``PLEDGE_SUPPRESSION_KEY`` and outlive the erasure on purpose: someone who asked never to be
mailed again must stay unmailed after their account is gone (Art. 21(3) GDPR). Because the keys
differ, a kept suppression entry cannot be matched against the nulled lookup indexes.

A lookup index is written only while the subject still has the key of its source field, and
that is asked of the vault at save time, not of the request's cached keys: a row loaded before
an erasure and saved after it gets NULL, not its old index back (see ``services`` for the
erasure's side of that race).

The purpose string separates indexes of different fields, so equal e-mail addresses in two
tables do not produce linkable equal indexes unless both fields name the same purpose.
"""

import hashlib
import hmac
import unicodedata
from collections.abc import Callable

from django.db import models
from django.db.models import signals

from . import conf, keys
from .erased import ERASED
from .fields import Ciphertext, EncryptedFieldMixin
from .selectors import subject_key_kinds

LOOKUP = "lookup"
SUPPRESSION = "suppression"
_KEYS = {LOOKUP: conf.blind_index_key, SUPPRESSION: conf.suppression_key}


def normalize_email(value: str) -> str:
    """``" Jan@Example.NL "`` and ``"jan@example.nl"`` are one address for login and opt-out."""
    return unicodedata.normalize("NFC", str(value)).strip().lower()


def normalize_text(value: str) -> str:
    return unicodedata.normalize("NFC", str(value)).strip()


def compute_index(
    value: str,
    *,
    purpose: str,
    key: str = LOOKUP,
    normalizer: Callable[[str], str] = normalize_email,
) -> str:
    message = purpose.encode("utf-8") + b"\x00" + normalizer(value).encode("utf-8")
    return hmac.new(_KEYS[key](), message, hashlib.sha256).hexdigest()


def blind_index(value: str, *, purpose: str, normalizer=normalize_email) -> str:
    """The lookup index of a value, e.g. ``Customer.objects.get(email_index=blind_index(...))``."""
    return compute_index(value, purpose=purpose, key=LOOKUP, normalizer=normalizer)


def suppression_index(value: str, *, purpose: str, normalizer=normalize_email) -> str:
    """The index for a list that must outlive an erasure (never nulled by ``subject_shred``)."""
    return compute_index(value, purpose=purpose, key=SUPPRESSION, normalizer=normalizer)


class BlindIndexField(models.CharField):
    """The index of another (encrypted) field of the same model, kept up to date on save.

    ``email_index = BlindIndexField(source="email", purpose="customer.email", unique=True)``.
    Always nullable: an erased subject's lookup indexes are set to NULL, and NULLs never clash
    in a unique index on SQLite or PostgreSQL.
    """

    def __init__(
        self,
        *args,
        source: str,
        purpose: str,
        key: str = LOOKUP,
        normalizer: Callable[[str], str] = normalize_email,
        **kwargs,
    ) -> None:
        if key not in _KEYS:
            raise ValueError(f"BlindIndexField key must be one of {sorted(_KEYS)}, not {key!r}")
        self.source, self.purpose, self.index_key, self.normalizer = (
            source,
            purpose,
            key,
            normalizer,
        )
        kwargs.update(max_length=64, null=True, blank=True, editable=False)
        kwargs.setdefault("db_index", not kwargs.get("unique", False))
        super().__init__(*args, **kwargs)

    @property
    def survives_erasure(self) -> bool:
        return self.index_key == SUPPRESSION

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for fixed in ("max_length", "null", "blank", "editable"):
            kwargs.pop(fixed, None)
        kwargs.update(source=self.source, purpose=self.purpose)
        if self.index_key != LOOKUP:
            kwargs["key"] = self.index_key
        if self.normalizer is not normalize_email:
            kwargs["normalizer"] = self.normalizer
        return name, path, args, kwargs

    def index_for(self, value: str) -> str:
        return compute_index(
            value, purpose=self.purpose, key=self.index_key, normalizer=self.normalizer
        )

    def source_field(self):
        return self.model._meta.get_field(self.source)

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only)
        if not cls._meta.abstract:
            signals.pre_save.connect(
                _refuse_a_stale_index,
                sender=cls,
                weak=False,
                dispatch_uid=f"pledge.vault.blind_index:{cls.__module__}.{cls.__qualname__}",
            )

    def pre_save(self, model_instance, add):
        source = self.source_field()
        source_value = model_instance.__dict__.get(source.attname)
        current = model_instance.__dict__.get(self.attname)
        if isinstance(source_value, Ciphertext):
            index = current  # the source was not touched: its index stands
        elif source_value is ERASED:
            index = current if self.survives_erasure else None
        elif source_value is None:
            index = None
        else:
            index = self.index_for(source_value)
        if (
            index is not None
            and not self.survives_erasure
            and _erased_meanwhile(source, model_instance)
        ):
            index = None
        setattr(model_instance, self.attname, index)
        return index


def _refuse_a_stale_index(sender, instance, update_fields=None, **kwargs) -> None:
    """``save(update_fields=[...])`` runs ``pre_save`` only for the fields named: saving a
    source field without its index would leave the index matching the old value (an old
    e-mail address that still signs in, a new one that is not found)."""
    if not update_fields:
        return
    for field in sender._meta.concrete_fields:
        if not isinstance(field, BlindIndexField):
            continue
        source = field.source_field()
        if {source.name, source.attname} & update_fields and not (
            {field.name, field.attname} & update_fields
        ):
            raise ValueError(
                f"{sender._meta.label}: save(update_fields=...) names {source.name} but not "
                f"its blind index {field.name}; name both"
            )


def _erased_meanwhile(source, instance) -> bool:
    """Whether the subject's key under ``source`` is gone, asked of the vault now.

    The row may have been loaded, and its keys cached in this request's scope, before another
    request shredded them and nulled this index; writing the index back would make the erased
    address findable again and keep it from registering anew. One indexed vault query per save
    that writes a lookup index (saves with ``update_fields`` that leave it out ask nothing).
    """
    if not isinstance(source, EncryptedFieldMixin):
        return False
    subject_id = getattr(instance, source.subject_field)
    if subject_id is None or source.key_kind in subject_key_kinds(subject_id):
        return False
    keys.forget_subject(subject_id)  # the rest of this request reads the row as erased too
    return True


def lookup_index(model, field_name: str, value: str) -> str:
    """The index a ``BlindIndexField`` of ``model`` would hold for ``value``."""
    return model._meta.get_field(field_name).index_for(value)
