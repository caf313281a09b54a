"""What changed between two policy versions, and which changes are *material*.

A material change is one a person would want to be asked or told about before it applies to
them: a new purpose, recipient or vendor, data newly used for a purpose or given to a recipient,
a longer retention, a changed legal basis, a recipient moving outside the EEA. It is the basis
for asking consent again and for informing customers of a new statement.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from .consistency import EEA
from .schema import Policy, Retention


@dataclass(frozen=True, order=True)
class PolicyChange:
    kind: str  # purpose, recipient, vendor, cookie, cookie_category, data_category, retention
    item: str  # the id (or cookie name) that changed
    description: str
    material: bool

    def __str__(self) -> str:
        marker = "MATERIAL" if self.material else "minor"
        return f"[{marker}] {self.kind} {self.item}: {self.description}"


def policy_diff(old: Policy, new: Policy) -> list[PolicyChange]:
    return sorted(
        [
            *_purpose_changes(old, new),
            *_recipient_changes(old, new),
            *_vendor_changes(old, new),
            *_cookie_changes(old, new),
            *_added_and_removed(
                "data_category", old.data_categories, new.data_categories, material_when_added=False
            ),
            *_added_and_removed(
                "cookie_category",
                old.cookie_categories,
                new.cookie_categories,
                material_when_added=True,
            ),
        ],
        key=lambda change: (not change.material, change.kind, change.item),
    )


def retention_in_brief(retention: Retention) -> str:
    if retention.duration is None:
        return f"until {retention.after.value}"
    return f"{retention.duration} {retention.unit.value} after {retention.after.value}"


def _added_and_removed(
    kind, old_items, new_items, *, material_when_added
) -> Iterator[PolicyChange]:
    old_ids = {item.id for item in old_items}
    new_ids = {item.id for item in new_items}
    for item_id in sorted(new_ids - old_ids):
        yield PolicyChange(kind, item_id, "added", material_when_added)
    for item_id in sorted(old_ids - new_ids):
        yield PolicyChange(kind, item_id, "removed", False)


def _grown(kind: str, item: str, what: str, old: tuple, new: tuple) -> Iterator[PolicyChange]:
    added, removed = sorted(set(new) - set(old)), sorted(set(old) - set(new))
    if added:
        yield PolicyChange(kind, item, f"{what} added: {', '.join(added)}", True)
    if removed:
        yield PolicyChange(kind, item, f"{what} removed: {', '.join(removed)}", False)


def _purpose_changes(old: Policy, new: Policy) -> Iterator[PolicyChange]:
    yield from _added_and_removed("purpose", old.purposes, new.purposes, material_when_added=True)
    old_by_id = {p.id: p for p in old.purposes}
    for purpose in new.purposes:
        before = old_by_id.get(purpose.id)
        if before is None:
            continue
        if before.legal_basis != purpose.legal_basis:
            yield PolicyChange(
                "purpose",
                purpose.id,
                f"legal basis {before.legal_basis.value} -> {purpose.legal_basis.value}",
                True,
            )
        yield from _grown(
            "purpose",
            purpose.id,
            "data categories",
            before.data_categories,
            purpose.data_categories,
        )
        yield from _grown(
            "purpose", purpose.id, "data subjects", before.data_subjects, purpose.data_subjects
        )
        if before.retention != purpose.retention:
            yield _retention_change(purpose.id, before.retention, purpose.retention)
        if (before.name, before.description) != (purpose.name, purpose.description):
            yield PolicyChange("purpose", purpose.id, "wording changed", False)


def _retention_change(purpose_id: str, before: Retention, after: Retention) -> PolicyChange:
    summary = f"{retention_in_brief(before)} -> {retention_in_brief(after)}"
    if before.after != after.after:
        # A different starting event cannot be proven shorter: treat it as material.
        return PolicyChange("retention", purpose_id, f"{summary} (starts at another moment)", True)
    if after.days > before.days:
        return PolicyChange("retention", purpose_id, f"{summary} (longer)", True)
    if after.days < before.days:
        return PolicyChange("retention", purpose_id, f"{summary} (shorter)", False)
    return PolicyChange("retention", purpose_id, f"{summary} (note changed)", False)


def _recipient_changes(old: Policy, new: Policy) -> Iterator[PolicyChange]:
    yield from _added_and_removed(
        "recipient", old.recipients, new.recipients, material_when_added=True
    )
    old_by_id = {r.id: r for r in old.recipients}
    for recipient in new.recipients:
        before = old_by_id.get(recipient.id)
        if before is None:
            continue
        yield from _grown(
            "recipient", recipient.id, "purposes", before.purposes, recipient.purposes
        )
        yield from _grown(
            "recipient",
            recipient.id,
            "data categories",
            before.data_categories,
            recipient.data_categories,
        )
        if before.country != recipient.country:
            leaves_eea = before.country in EEA and recipient.country not in EEA
            yield PolicyChange(
                "recipient",
                recipient.id,
                f"country {before.country} -> {recipient.country}",
                leaves_eea,
            )
        if before.role != recipient.role:
            yield PolicyChange(
                "recipient",
                recipient.id,
                f"role {before.role.value} -> {recipient.role.value}",
                True,
            )


def _vendor_changes(old: Policy, new: Policy) -> Iterator[PolicyChange]:
    yield from _added_and_removed("vendor", old.vendors, new.vendors, material_when_added=True)
    old_by_id = {v.id: v for v in old.vendors}
    for vendor in new.vendors:
        before = old_by_id.get(vendor.id)
        if before is None:
            continue
        yield from _grown("vendor", vendor.id, "hosts", before.hosts, vendor.hosts)
        if before.category != vendor.category:
            yield PolicyChange(
                "vendor", vendor.id, f"category {before.category} -> {vendor.category}", True
            )


def _cookie_changes(old: Policy, new: Policy) -> Iterator[PolicyChange]:
    old_by_key = {(c.name, c.vendor): c for c in old.cookies}
    new_by_key = {(c.name, c.vendor): c for c in new.cookies}
    for key in sorted(set(new_by_key) - set(old_by_key), key=str):
        cookie = new_by_key[key]
        yield PolicyChange(
            "cookie", cookie.name, f"added ({cookie.category})", cookie.category != "functional"
        )
    for key in sorted(set(old_by_key) - set(new_by_key), key=str):
        yield PolicyChange("cookie", old_by_key[key].name, "removed", False)
    for key in sorted(set(old_by_key) & set(new_by_key), key=str):
        before, after = old_by_key[key], new_by_key[key]
        if before.category != after.category:
            yield PolicyChange(
                "cookie", after.name, f"category {before.category} -> {after.category}", True
            )
        old_days = before.lifetime.days if before.lifetime else 0
        new_days = after.lifetime.days if after.lifetime else 0
        if new_days != old_days:
            yield PolicyChange(
                "cookie",
                after.name,
                "lifetime longer" if new_days > old_days else "lifetime shorter",
                new_days > old_days,
            )
