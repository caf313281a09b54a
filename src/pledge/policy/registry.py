"""Which model fields hold personal data, declared next to the models.

Every field of every installed model is either personal data, with the policy's data category
id, or explicitly non-personal. ``privacy-lint`` fails on anything else, so a new field cannot
slip in without somebody deciding what it is.

Own models use the class decorator::

    @personal_data(personal={"email": "user.contact.email"}, non_personal=["id"])
    class Subscriber(models.Model): ...

Third-party models (``auth.Group``, sessions, django-axes...) are declared with
``classify_model("sessions.Session", ...)`` in the ``privacy.py`` of the app that brings them in.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Classification:
    model_label: str  # "app_label.ModelName", as Django's ``Model._meta.label``
    personal: Mapping[str, str]  # field name -> data category id
    non_personal: frozenset[str]

    def category_of(self, field_name: str) -> str | None:
        return self.personal.get(field_name)


class ClassificationRegistry:
    def __init__(self) -> None:
        self._by_label: dict[str, Classification] = {}

    def add(self, label: str, personal: Mapping[str, str], non_personal: Iterable[str]) -> None:
        non_personal = frozenset(non_personal)
        both = set(personal) & non_personal
        if both:
            raise ValueError(f"{label}: {sorted(both)} declared personal and non-personal")
        if label in self._by_label:
            raise ValueError(f"{label} is classified twice")
        self._by_label[label] = Classification(label, dict(personal), non_personal)

    def get(self, label: str) -> Classification | None:
        return self._by_label.get(label)

    def __iter__(self):
        return iter(self._by_label.values())

    def copy(self) -> "ClassificationRegistry":
        clone = ClassificationRegistry()
        clone._by_label = dict(self._by_label)
        return clone

    def replace(self, label: str, personal: Mapping[str, str], non_personal: Iterable[str]) -> None:
        self._by_label.pop(label, None)
        self.add(label, personal, non_personal)


registry = ClassificationRegistry()


def personal_data(*, personal: Mapping[str, str], non_personal: Iterable[str] = ()):
    """Class decorator for a Pledge model: classify each of its fields."""

    def decorate(model):
        registry.add(model._meta.label, personal, non_personal)
        return model

    return decorate


def classify_model(label: str, *, personal: Mapping[str, str], non_personal: Iterable[str] = ()):
    """Classify a third-party model's fields by its label, e.g. ``"sessions.Session"``."""
    registry.add(label, personal, non_personal)


def personal_fields_of(model) -> Mapping[str, str]:
    """Field name -> data category for a model (empty when it holds no personal data)."""
    classification = registry.get(model._meta.label)
    return classification.personal if classification else {}
