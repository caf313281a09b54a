"""The policy as a fideslang taxonomy (Ethyca's open privacy vocabulary), in YAML.

So that other privacy tooling (Fides, data maps, a DPO's own register) can read what the shop
declares without a second, hand-kept copy. The shop itself is one system; every recipient is a
system of its own, so that data flows and third-country transfers are visible per party.
"""

import re

import yaml

from .consistency import EEA
from .fideslang_taxonomy import DATA_CATEGORIES, DATA_SUBJECTS, DATA_USES, parent_key
from .register import retention_in_words
from .schema import (
    LegalBasis,
    Policy,
    Purpose,
    Recipient,
    RecipientRole,
    TransferMechanism,
)

# fideslang's LegalBasisForProcessingEnum: these strings exactly, or Fides refuses the file.
_LEGAL_BASIS: dict[LegalBasis, str] = {
    LegalBasis.CONSENT: "Consent",
    LegalBasis.CONTRACT: "Contract",
    LegalBasis.LEGAL_OBLIGATION: "Legal obligations",
    LegalBasis.VITAL_INTERESTS: "Vital interests",
    LegalBasis.PUBLIC_TASK: "Public interest",
    LegalBasis.LEGITIMATE_INTERESTS: "Legitimate interests",
}

# fideslang's suggested legal_basis_for_transfers values. The DPF is an Art. 45 adequacy
# decision for certified US companies, so it is one to fideslang.
_TRANSFER_BASIS: dict[TransferMechanism, str] = {
    TransferMechanism.ADEQUACY: "Adequacy Decision",
    TransferMechanism.DPF: "Adequacy Decision",
    TransferMechanism.SCC: "SCCs",
    TransferMechanism.BCR: "BCRs",
}

# An authority decides on its own purposes, so to fideslang it is a controller (Art. 4(7)).
_RESPONSIBILITY: dict[RecipientRole, str] = {
    RecipientRole.PROCESSOR: "Processor",
    RecipientRole.CONTROLLER: "Controller",
    RecipientRole.AUTHORITY: "Controller",
}

# fideslang refuses a default item without the version that added it. Most keys came with 2.0.0;
# these came later (fideslang 3.2.0 is not on PyPI yet: Fides 3.1.x does not know them).
_ADDED_IN_3_2_0_ROOTS = (
    "user.biometrics",
    "user.children",
    "user.health",
    "user.professional_information",
)
_ADDED_IN_3_2_0 = frozenset(
    {
        "user.authorization.biometrics",
        "user.contact.address.mailing_address",
        "user.contact.social_url",
        "user.demographic.citizenship_or_immigration_status",
        "user.demographic.philosophical_belief",
        "user.demographic.protected_classifications",
        "user.demographic.union_membership",
        "user.device.sensor",
        "user.device.telemetry",
        "user.location.coarse",
        "user.settings",
        "user.social_activity",
        "user.unique_id.deterministic",
        "user.unique_id.probablistic",
    }
)
_ADDED_IN_2_1_1 = frozenset(
    ["personalize.content.limited", "personalize.content.profiled", "personalize.content.profiling"]
)

_SYSTEM_TYPE: dict[RecipientRole, str] = {
    RecipientRole.PROCESSOR: "Processor",
    RecipientRole.CONTROLLER: "Third Party",
    RecipientRole.AUTHORITY: "Third Party (public authority)",
}


def export_fideslang(policy: Policy) -> str:
    organization_key = fides_key(policy.controller.name)
    shop_key = f"{organization_key}_webshop"
    taxonomy = {
        "organization": [_organization(policy, organization_key)],
        "data_category": [_data_category(policy, c.id) for c in policy.data_categories],
        "data_subject": [_data_subject(policy, s.id) for s in policy.data_subjects],
        "data_use": [_data_use(policy, use) for use in _data_uses(policy)],
        "system": [
            _shop_system(policy, shop_key, organization_key),
            *(_recipient_system(policy, r, shop_key, organization_key) for r in policy.recipients),
        ],
    }
    return yaml.safe_dump(taxonomy, sort_keys=False, allow_unicode=True)


def fides_key(name: str) -> str:
    """A FidesKey (``^[a-zA-Z0-9_.<>-]+$``) from a name: ``Pixeljet B.V.`` -> ``pixeljet_b.v``."""
    key = re.sub(r"[^a-z0-9_.<>-]+", "_", name.lower()).strip("_.")
    return key or "organization"


def _organization(policy: Policy, key: str) -> dict:
    controller, officer = policy.controller, policy.privacy_officer
    address = controller.address
    return {
        "fides_key": key,
        "name": controller.legal_name,
        "description": policy.policy.title.en,
        "controller": {
            "name": controller.legal_name,
            "address": f"{address.street}, {address.postal_code} {address.city}, {address.country}",
            "email": str(controller.email),
            "phone": controller.phone,
        },
        # fideslang has no field for a voluntary privacy officer; this is the closest, and the
        # description says which it is (Art. 37: only a designated DPO has the legal position).
        "data_protection_officer": {
            "name": officer.name,
            "address": "",
            "email": str(officer.email),
            "phone": officer.phone,
        },
    }


def _default_marks(key: str, defaults: frozenset[str]) -> dict:
    """fideslang: a default key carries ``version_added``; an own key must carry no version."""
    if key not in defaults:
        return {"is_default": False}
    if key in _ADDED_IN_3_2_0 or any(
        key == root or key.startswith(f"{root}.") for root in _ADDED_IN_3_2_0_ROOTS
    ):
        version = "3.2.0"
    elif key in _ADDED_IN_2_1_1:
        version = "2.1.1"
    else:
        version = "2.0.0"
    return {"is_default": True, "version_added": version}


def _data_category(policy: Policy, key: str) -> dict:
    category = policy.data_category(key)
    description = category.description.en if category.description else category.label.en
    return {
        "fides_key": key,
        "name": category.label.en,
        "description": description,
        "parent_key": parent_key(key),
        **_default_marks(key, DATA_CATEGORIES),
    }


def _data_subject(policy: Policy, key: str) -> dict:
    subject = policy.data_subject(key)
    return {
        "fides_key": key,
        "name": subject.label.en,
        "description": subject.label.en,
        **_default_marks(key, DATA_SUBJECTS),
    }


def _data_uses(policy: Policy) -> list[str]:
    return list(dict.fromkeys(purpose.data_use for purpose in policy.purposes))


def _data_use(policy: Policy, key: str) -> dict:
    purposes = [p.name.en for p in policy.purposes if p.data_use == key]
    return {
        "fides_key": key,
        "name": key.rpartition(".")[2].replace("_", " ").capitalize(),
        "description": "Used for: " + "; ".join(purposes),
        "parent_key": parent_key(key),
        **_default_marks(key, DATA_USES),
    }


def _shared_categories(purpose: Purpose, recipient: Recipient) -> list[str]:
    """What a recipient receives for a purpose. No list: it holds all of it (hosting, backups)."""
    if not recipient.data_categories:
        return list(purpose.data_categories)
    return [c for c in purpose.data_categories if c in recipient.data_categories]


def _shop_system(policy: Policy, key: str, organization_key: str) -> dict:
    controller, officer = policy.controller, policy.privacy_officer
    address = controller.address
    declarations = []
    for purpose in policy.purposes:
        recipients = policy.recipients_for(purpose.id)
        shared = {c for r in recipients for c in _shared_categories(purpose, r)}
        declarations.append(
            {
                **_declaration(policy, purpose, list(purpose.data_categories)),
                "retention_period": _retention(purpose),
                "data_shared_with_third_parties": bool(recipients),
                "third_parties": "; ".join(r.name for r in recipients) or None,
                "shared_categories": [c for c in purpose.data_categories if c in shared],
            }
        )
    return {
        "fides_key": key,
        "organization_fides_key": organization_key,
        "name": f"{controller.name} webshop",
        "description": policy.policy.title.en,
        "system_type": "Application",
        "egress": [
            {"fides_key": r.id, "type": "system", "data_categories": _received(policy, r)}
            for r in policy.recipients
        ],
        "privacy_declarations": declarations,
        "responsibility": ["Controller"],
        "legal_name": controller.legal_name,
        "legal_address": f"{address.street}, {address.postal_code} {address.city}, "
        f"{address.country}",
        "dpo": f"{officer.name} <{officer.email}>",
        "data_security_practices": " ".join(m.en for m in policy.security_measures),
        "privacy_policy": str(controller.website),
        "uses_cookies": bool(policy.cookies),
    }


def _recipient_system(
    policy: Policy, recipient: Recipient, shop_key: str, organization_key: str
) -> dict:
    declarations = []
    for purpose_id in recipient.purposes:
        purpose = policy.purpose(purpose_id)
        declaration = _declaration(policy, purpose, _shared_categories(purpose, recipient))
        # A processor keeps data only as long as we do (Art. 28(3)(g)); a controller or an
        # authority sets its own period, which is not ours to state.
        if recipient.role is RecipientRole.PROCESSOR:
            declaration["retention_period"] = _retention(purpose)
        declarations.append(declaration)
    transfer_bases = _transfer_bases(recipient)
    system = {
        "fides_key": recipient.id,
        "organization_fides_key": organization_key,
        "name": recipient.name,
        "description": f"{recipient.type.value.replace('_', ' ').capitalize()} "
        f"({recipient.role.value}, {recipient.country})",
        "system_type": _SYSTEM_TYPE[recipient.role],
        "ingress": [
            {
                "fides_key": shop_key,
                "type": "system",
                "data_categories": _received(policy, recipient),
            }
        ],
        "privacy_declarations": declarations,
        "responsibility": [_RESPONSIBILITY[recipient.role]],
        "legal_name": recipient.name,
        "does_international_transfers": bool(transfer_bases),
        "legal_basis_for_transfers": transfer_bases,
        "meta": {
            "country": recipient.country,
            "sub_processors": [
                {"name": sub.name, "country": sub.country, "service": sub.service.en}
                for sub in recipient.sub_processors
            ],
        },
    }
    if recipient.agreement:
        system["dpa_location"] = recipient.agreement
    if recipient.privacy_url:
        system["privacy_policy"] = str(recipient.privacy_url)
    return system


def _declaration(policy: Policy, purpose: Purpose, categories: list[str]) -> dict:
    return {
        "name": purpose.name.en,
        "data_categories": categories,
        "data_use": purpose.data_use,
        "data_subjects": list(purpose.data_subjects),
        "legal_basis_for_processing": _LEGAL_BASIS[purpose.legal_basis],
        # The policy fixes one basis per purpose; it is not for a vendor list to change it.
        "flexible_legal_basis_for_processing": False,
        "processes_special_category_data": any(policy.data_category(c).special for c in categories),
    }


def _retention(purpose: Purpose) -> str:
    words = retention_in_words(purpose.retention, "en")
    return words[0].upper() + words[1:] + "."


def _received(policy: Policy, recipient: Recipient) -> list[str]:
    received = {
        c
        for purpose_id in recipient.purposes
        for c in _shared_categories(policy.purpose(purpose_id), recipient)
    }
    return [c.id for c in policy.data_categories if c.id in received]


def _transfer_bases(recipient: Recipient) -> list[str]:
    """Chapter V GDPR: the grounds for the recipient and its sub-processors outside the EEA."""
    parties = [(recipient.country, recipient.transfer_mechanism)]
    parties += [(sub.country, sub.transfer_mechanism) for sub in recipient.sub_processors]
    bases = [
        _TRANSFER_BASIS[mechanism] if mechanism else "Other"
        for country, mechanism in parties
        if country not in EEA
    ]
    return list(dict.fromkeys(bases))
