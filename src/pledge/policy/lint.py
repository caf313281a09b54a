"""``pledge privacy-lint``: the models and the policy must agree about personal data."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps as django_apps

from .registry import ClassificationRegistry, registry
from .schema import Policy


@dataclass(frozen=True, order=True)
class LintProblem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def classified_field_names(model) -> list[str]:
    """The fields a model stores itself: its own columns and many-to-many relations."""
    meta = model._meta
    return [f.name for f in [*meta.local_fields, *meta.local_many_to_many]]


def privacy_lint(
    policy: Policy,
    *,
    models: Iterable | None = None,
    classifications: ClassificationRegistry = registry,
) -> list[LintProblem]:
    models = list(django_apps.get_models() if models is None else models)
    known_categories = {c.id for c in policy.data_categories}
    problems: list[LintProblem] = []
    for model in models:
        label = model._meta.label
        classification = classifications.get(label)
        fields = classified_field_names(model)
        if classification is None:
            problems += [
                LintProblem(f"{label}.{name}", "not classified as personal or non-personal data")
                for name in fields
            ]
            continue
        declared = set(classification.personal) | classification.non_personal
        for name in fields:
            if name not in declared:
                problems.append(
                    LintProblem(
                        f"{label}.{name}", "not classified as personal or non-personal data"
                    )
                )
        for name in sorted(declared - set(fields)):
            problems.append(
                LintProblem(f"{label}.{name}", "classified, but the model has no such field")
            )
        for name, category in classification.personal.items():
            if category not in known_categories:
                problems.append(
                    LintProblem(
                        f"{label}.{name}", f"data category {category!r} is not in the policy"
                    )
                )
    used = {c for purpose in policy.purposes for c in purpose.data_categories}
    for category in policy.data_categories:
        if category.id not in used:
            problems.append(
                LintProblem(f"policy data category {category.id}", "no purpose uses it")
            )
    return sorted(problems)
