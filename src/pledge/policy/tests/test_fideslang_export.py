"""The fideslang export: other privacy tooling must read the same shop the policy describes."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from pledge.policy.fideslang_export import export_fideslang, fides_key
from pledge.policy.fideslang_taxonomy import DATA_CATEGORIES
from pledge.policy.loader import load_policy

FIDESLANG_LEGAL_BASES = {
    "Consent",
    "Contract",
    "Legal obligations",
    "Vital interests",
    "Public interest",
    "Legitimate interests",
}
FIDES_KEY = re.compile(r"^[a-zA-Z0-9_.<>-]+$")


@pytest.fixture(scope="module")
def policy():
    return load_policy(Path(settings.PLEDGE_POLICY))


@pytest.fixture(scope="module")
def taxonomy(policy):
    return yaml.safe_load(export_fideslang(policy))


@pytest.fixture(scope="module")
def systems(taxonomy):
    return {system["fides_key"]: system for system in taxonomy["system"]}


@pytest.fixture(scope="module")
def shop(systems):
    return systems["pixeljet_webshop"]


def test_export_is_yaml_with_the_fideslang_sections(taxonomy):
    assert list(taxonomy) == ["organization", "data_category", "data_subject", "data_use", "system"]


def test_organization_names_controller_and_privacy_officer(policy, taxonomy):
    (organization,) = taxonomy["organization"]
    assert organization["controller"]["name"] == policy.controller.legal_name
    assert organization["controller"]["email"] == policy.controller.email
    assert "Amsterdam" in organization["controller"]["address"]
    assert organization["data_protection_officer"]["name"] == policy.privacy_officer.name
    assert organization["data_protection_officer"]["email"] == policy.privacy_officer.email
    assert set(organization["controller"]) == {"name", "address", "email", "phone"}


def test_every_policy_data_category_is_exported_with_its_label(policy, taxonomy):
    exported = {c["fides_key"]: c for c in taxonomy["data_category"]}
    assert list(exported) == [c.id for c in policy.data_categories]
    for category in policy.data_categories:
        assert exported[category.id]["name"] == category.label.en


def test_parent_keys_are_the_key_minus_its_last_segment(taxonomy):
    for section in ("data_category", "data_use"):
        for item in taxonomy[section]:
            head, _, _ = item["fides_key"].rpartition(".")
            assert item["parent_key"] == (head or None), item["fides_key"]


def test_only_default_fideslang_keys_are_marked_default_and_carry_a_version(taxonomy):
    categories = {c["fides_key"]: c for c in taxonomy["data_category"]}
    assert categories["user.contact.email"]["is_default"] is True
    assert categories["user.contact.email"]["version_added"] == "2.0.0"
    # An own extension of a fideslang key: fideslang refuses version fields on it.
    assert categories["user.account.activity"]["is_default"] is False
    assert "version_added" not in categories["user.account.activity"]
    for key, category in categories.items():
        assert category["is_default"] is (key in DATA_CATEGORIES)


def test_data_subjects_and_data_uses_come_from_the_policy(policy, taxonomy):
    assert [s["fides_key"] for s in taxonomy["data_subject"]] == [
        s.id for s in policy.data_subjects
    ]
    uses = [u["fides_key"] for u in taxonomy["data_use"]]
    assert sorted(uses) == sorted({p.data_use for p in policy.purposes})
    assert len(uses) == len(set(uses))


def test_shop_declares_every_purpose_with_fideslang_legal_basis(policy, shop):
    declarations = {d["name"]: d for d in shop["privacy_declarations"]}
    assert list(declarations) == [p.name.en for p in policy.purposes]
    for purpose in policy.purposes:
        declaration = declarations[purpose.name.en]
        assert declaration["legal_basis_for_processing"] in FIDESLANG_LEGAL_BASES
        assert declaration["data_use"] == purpose.data_use
        assert declaration["data_categories"] == list(purpose.data_categories)
        assert declaration["data_subjects"] == list(purpose.data_subjects)
    assert declarations["Your account"]["legal_basis_for_processing"] == "Contract"
    assert (
        declarations["Newsletter and e-mail marketing"]["legal_basis_for_processing"] == "Consent"
    )
    fiscal = declarations["Statutory record keeping (tax)"]
    assert fiscal["legal_basis_for_processing"] == "Legal obligations"
    assert fiscal["retention_period"] == "7 years after the end of the fiscal year."
    assert shop["responsibility"] == ["Controller"]


def test_shop_declaration_names_the_recipients_it_shares_with(shop):
    declarations = {d["name"]: d for d in shop["privacy_declarations"]}
    reviews = declarations["Invitation to write a review"]
    assert reviews["data_shared_with_third_parties"] is True
    assert reviews["third_parties"] == "Kiyoh"
    assert set(reviews["shared_categories"]) <= set(reviews["data_categories"])
    statistics = declarations["Statistics without cookies"]
    assert statistics["data_shared_with_third_parties"] is False
    assert statistics["shared_categories"] == []


def test_every_recipient_is_a_system_limited_to_what_it_receives(policy, systems):
    for recipient in policy.recipients:
        system = systems[recipient.id]
        assert system["name"] == recipient.name
        assert system["responsibility"] in (["Controller"], ["Processor"])
        assert [d["name"] for d in system["privacy_declarations"]] == [
            policy.purpose(p).name.en for p in recipient.purposes
        ]
        for declaration in system["privacy_declarations"]:
            assert declaration["legal_basis_for_processing"] in FIDESLANG_LEGAL_BASES
            if recipient.data_categories:
                assert set(declaration["data_categories"]) <= set(recipient.data_categories)
    assert systems["mollie"]["privacy_policy"] == "https://www.mollie.com/privacy"
    assert systems["print_supplier"]["responsibility"] == ["Processor"]
    assert systems["print_supplier"]["dpa_location"].startswith("VWO-2026-01")


def test_us_mail_relay_shows_its_transfer_basis(systems):
    mail_relay = systems["mail_relay"]
    assert mail_relay["does_international_transfers"] is True
    # The EU-US Data Privacy Framework is an Art. 45 adequacy decision.
    assert mail_relay["legal_basis_for_transfers"] == ["Adequacy Decision"]
    assert mail_relay["dpa_location"] == "Mailgun Data Processing Agreement 2026"


def test_recipients_inside_the_eea_do_no_international_transfers(systems):
    assert systems["postnl"]["does_international_transfers"] is False
    assert systems["backups"]["legal_basis_for_transfers"] == []


def test_a_us_sub_processor_counts_as_an_international_transfer(systems):
    assert systems["google_analytics"]["does_international_transfers"] is True


def test_every_fides_key_is_valid(taxonomy):
    keys = [item["fides_key"] for section in taxonomy.values() for item in section]
    keys += [flow["fides_key"] for s in taxonomy["system"] for flow in s.get("egress", [])]
    assert all(FIDES_KEY.match(key) for key in keys), keys
    assert len(keys) > 0


def test_fides_key_from_a_name_drops_what_fideslang_refuses():
    assert fides_key("Pixeljet") == "pixeljet"
    assert FIDES_KEY.match(fides_key("Drukkerij Voorbeeld B.V. (NL)"))
