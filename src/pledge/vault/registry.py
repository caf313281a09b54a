"""Which models hold vault fields: found from the installed apps, not listed by hand.

An erasure must reach every blind index, including those of apps added next year; so the list
is derived from the app registry. Models outside INSTALLED_APPS (the vault's own test models,
the benchmark) are added with ``register_model``.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps

from .blind_index import BlindIndexField
from .fields import EncryptedFieldMixin

_extra_models: set = set()


def register_model(model) -> None:
    _extra_models.add(model)


def unregister_model(model) -> None:
    _extra_models.discard(model)


def _has_vault_fields(model) -> bool:
    return any(
        isinstance(field, EncryptedFieldMixin | BlindIndexField)
        for field in model._meta.concrete_fields
    )


def vault_models() -> list:
    installed = [m for m in apps.get_models() if _has_vault_fields(m)]
    return installed + sorted(_extra_models - set(installed), key=lambda m: m._meta.label)


@dataclass(frozen=True)
class ErasableIndexes:
    """The lookup indexes of one model that an erasure of these key kinds must null."""

    model: type
    subject_attname: str
    index_attnames: tuple[str, ...]


def erasable_indexes(kinds: frozenset[str]) -> list[ErasableIndexes]:
    found = []
    for model in vault_models():
        by_subject: dict[str, list[str]] = defaultdict(list)
        for field in model._meta.concrete_fields:
            if not isinstance(field, BlindIndexField) or field.survives_erasure:
                continue
            source = field.source_field()
            if isinstance(source, EncryptedFieldMixin) and source.key_kind in kinds:
                subject = model._meta.get_field(source.subject_field)
                by_subject[subject.attname].append(field.attname)
        found += [
            ErasableIndexes(model, subject, tuple(indexes))
            for subject, indexes in by_subject.items()
        ]
    return found
