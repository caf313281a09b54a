"""Checks across sections of a structurally valid policy: references, duplicates, the law."""

from collections import Counter
from collections.abc import Iterable, Iterator

from .fideslang_taxonomy import DATA_CATEGORIES, DATA_USES, SPECIAL_CATEGORY_ROOTS, parent_key
from .problems import PolicyProblem
from .schema import LegalBasis, Policy, RecipientRole, TransferMechanism

# EU member states plus Iceland, Liechtenstein and Norway: no transfer mechanism needed.
EEA = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "IS",
        "LI",
        "NO",
    ]
)


def policy_problems(policy: Policy) -> list[PolicyProblem]:
    return sorted(
        [
            *_duplicate_ids(policy),
            *_data_category_problems(policy),
            *_purpose_problems(policy),
            *_recipient_problems(policy),
            *_role_problems(policy),
            *_cookie_problems(policy),
        ]
    )


def _duplicate_ids(policy: Policy) -> Iterator[PolicyProblem]:
    sections = {
        "data_subjects": policy.data_subjects,
        "data_categories": policy.data_categories,
        "purposes": policy.purposes,
        "recipients": policy.recipients,
        "roles": policy.roles,
        "cookie_categories": policy.cookie_categories,
        "vendors": policy.vendors,
    }
    for section, items in sections.items():
        counts = Counter(item.id for item in items)
        for index, item in enumerate(items):
            if counts[item.id] > 1:
                yield PolicyProblem(
                    f"{_at(section, index, item)}.id",
                    f"duplicate id {item.id!r} (ids must be unique)",
                )
    cookie_keys = Counter((c.name, c.vendor) for c in policy.cookies)
    for index, cookie in enumerate(policy.cookies):
        if cookie_keys[(cookie.name, cookie.vendor)] > 1:
            yield PolicyProblem(
                f"cookies[{index}]({cookie.name}).name", "this cookie is declared twice"
            )


def _at(section: str, index: int, item) -> str:
    return f"{section}[{index}]({item.id})"


def _unknown(
    path: str, values: Iterable[str], known: set[str], kind: str
) -> Iterator[PolicyProblem]:
    for index, value in enumerate(values):
        if value not in known:
            yield PolicyProblem(f"{path}[{index}]", f"unknown {kind} {value!r}")


def _data_category_problems(policy: Policy) -> Iterator[PolicyProblem]:
    declared = {c.id for c in policy.data_categories}
    for index, category in enumerate(policy.data_categories):
        path = _at("data_categories", index, category)
        parent = parent_key(category.id)
        if category.id not in DATA_CATEGORIES and parent not in DATA_CATEGORIES | declared:
            yield PolicyProblem(
                f"{path}.id",
                f"{category.id!r} is not a fideslang data category and does not extend one",
            )
        is_special = any(
            category.id == root or category.id.startswith(root + ".")
            for root in SPECIAL_CATEGORY_ROOTS
        )
        if is_special and not category.special:
            yield PolicyProblem(
                f"{path}.special",
                "this is special-category data (Art. 9/10 GDPR): declare special = true",
            )


def _purpose_problems(policy: Policy) -> Iterator[PolicyProblem]:
    categories = {c.id for c in policy.data_categories}
    subjects = {s.id for s in policy.data_subjects}
    for index, purpose in enumerate(policy.purposes):
        path = _at("purposes", index, purpose)
        yield from _unknown(
            f"{path}.data_categories", purpose.data_categories, categories, "data category"
        )
        yield from _unknown(
            f"{path}.data_subjects", purpose.data_subjects, subjects, "data subject"
        )
        if purpose.data_use not in DATA_USES and parent_key(purpose.data_use) not in DATA_USES:
            yield PolicyProblem(
                f"{path}.data_use", f"{purpose.data_use!r} is not a fideslang data use"
            )
        if (
            purpose.legal_basis is LegalBasis.LEGITIMATE_INTERESTS
            and not purpose.legitimate_interest
        ):
            yield PolicyProblem(
                f"{path}.legitimate_interest",
                "legitimate interests (Art. 6(1)(f)) need the balancing of interests written out",
            )
        retention = purpose.retention
        if retention.duration is not None and retention.unit is None:
            yield PolicyProblem(
                f"{path}.retention.unit",
                "a retention period needs a unit (days, weeks, months or years)",
            )
        if retention.unit is not None and retention.duration is None:
            yield PolicyProblem(f"{path}.retention.duration", "a retention unit needs a duration")


def _recipient_problems(policy: Policy) -> Iterator[PolicyProblem]:
    purposes = {p.id: p for p in policy.purposes}
    categories = {c.id for c in policy.data_categories}
    for index, recipient in enumerate(policy.recipients):
        path = _at("recipients", index, recipient)
        if not recipient.purposes:
            yield PolicyProblem(f"{path}.purposes", "a recipient needs at least one purpose")
        yield from _unknown(f"{path}.purposes", recipient.purposes, set(purposes), "purpose")
        yield from _unknown(
            f"{path}.data_categories", recipient.data_categories, categories, "data category"
        )
        covered = {
            c
            for pid in recipient.purposes
            if pid in purposes
            for c in purposes[pid].data_categories
        }
        for c_index, category in enumerate(recipient.data_categories):
            if category in categories and category not in covered:
                yield PolicyProblem(
                    f"{path}.data_categories[{c_index}]",
                    f"{category!r} is not used by any purpose of this recipient",
                )
        if recipient.role is RecipientRole.PROCESSOR and not recipient.agreement:
            yield PolicyProblem(
                f"{path}.agreement",
                "a processor needs its data-processing agreement reference (Art. 28 GDPR)",
            )
        yield from _transfer_problems(path, recipient.country, recipient.transfer_mechanism)
        for s_index, sub in enumerate(recipient.sub_processors):
            yield from _transfer_problems(
                f"{path}.sub_processors[{s_index}]", sub.country, sub.transfer_mechanism
            )


def _transfer_problems(path: str, country: str, mechanism) -> Iterator[PolicyProblem]:
    if country not in EEA and mechanism is None:
        yield PolicyProblem(
            f"{path}.transfer_mechanism",
            f"{country} is outside the EEA: name the transfer mechanism "
            "(adequacy, dpf, scc or bcr; Chapter V GDPR)",
        )
    if mechanism is TransferMechanism.DPF and country != "US":
        yield PolicyProblem(
            f"{path}.transfer_mechanism",
            "the EU-US Data Privacy Framework only covers US recipients",
        )


def _role_problems(policy: Policy) -> Iterator[PolicyProblem]:
    purposes = {p.id: p for p in policy.purposes}
    categories = {c.id for c in policy.data_categories}
    for index, role in enumerate(policy.roles):
        path = _at("roles", index, role)
        yield from _unknown(f"{path}.purposes", role.purposes, set(purposes), "purpose")
        yield from _unknown(
            f"{path}.data_categories", role.data_categories, categories, "data category"
        )
        covered = {
            c for pid in role.purposes if pid in purposes for c in purposes[pid].data_categories
        }
        for c_index, category in enumerate(role.data_categories):
            if category in categories and category not in covered:
                yield PolicyProblem(
                    f"{path}.data_categories[{c_index}]",
                    f"{category!r} is not used by any purpose of this role",
                )


def _cookie_problems(policy: Policy) -> Iterator[PolicyProblem]:
    purposes = {p.id: p for p in policy.purposes}
    cookie_categories = {c.id: c for c in policy.cookie_categories}
    recipients = {r.id for r in policy.recipients}
    vendors = {v.id: v for v in policy.vendors}
    if "functional" not in cookie_categories:
        yield PolicyProblem("cookie_categories", "the functional category must be declared")
    for index, category in enumerate(policy.cookie_categories):
        path = _at("cookie_categories", index, category)
        if category.id == "functional" and category.requires_consent:
            yield PolicyProblem(
                f"{path}.requires_consent",
                "functional cookies are strictly necessary and need no consent",
            )
        if category.id != "functional" and not category.requires_consent:
            # Telecommunicatiewet art. 11.7a: only strictly necessary cookies are exempt.
            yield PolicyProblem(
                f"{path}.requires_consent", "only functional cookies may be placed without consent"
            )
        yield from _unknown(f"{path}.purposes", category.purposes, set(purposes), "purpose")
        for p_index, purpose_id in enumerate(category.purposes):
            purpose = purposes.get(purpose_id)
            if category.requires_consent and purpose and not purpose.requires_consent:
                yield PolicyProblem(
                    f"{path}.purposes[{p_index}]",
                    f"purpose {purpose_id!r} must rest on consent for this category",
                )
    for index, vendor in enumerate(policy.vendors):
        path = _at("vendors", index, vendor)
        if vendor.recipient not in recipients:
            yield PolicyProblem(f"{path}.recipient", f"unknown recipient {vendor.recipient!r}")
        if vendor.category not in cookie_categories:
            yield PolicyProblem(f"{path}.category", f"unknown cookie category {vendor.category!r}")
    for index, cookie in enumerate(policy.cookies):
        path = f"cookies[{index}]({cookie.name})"
        if cookie.category not in cookie_categories:
            yield PolicyProblem(f"{path}.category", f"unknown cookie category {cookie.category!r}")
        if cookie.party == "third" and cookie.vendor is None:
            yield PolicyProblem(f"{path}.vendor", "a third-party cookie needs its vendor")
        if cookie.vendor is not None:
            vendor = vendors.get(cookie.vendor)
            if vendor is None:
                yield PolicyProblem(f"{path}.vendor", f"unknown vendor {cookie.vendor!r}")
            elif vendor.category != cookie.category:
                yield PolicyProblem(
                    f"{path}.category", f"vendor {vendor.id!r} is in category {vendor.category!r}"
                )
