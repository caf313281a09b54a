"""A policy file with a mistake fails with the key path and the problem, never a traceback."""

import pytest

from pledge.policy.loader import load_policy, parse_policy, validate_policy
from pledge.policy.problems import PolicyError


def problems_of(raw) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        validate_policy(raw)
    return [str(problem) for problem in caught.value.problems]


def purpose_index(raw, purpose_id):
    return next(i for i, p in enumerate(raw["purposes"]) if p["id"] == purpose_id)


def test_the_shops_policy_file_is_valid(raw_policy):
    policy = validate_policy(raw_policy)
    assert policy.controller.name == "Pixeljet"
    assert policy.purpose("fiscal_records").retention.duration == 7


def test_unknown_data_category_in_a_purpose_names_the_purpose_and_the_category(raw_policy):
    index = purpose_index(raw_policy, "newsletter")
    raw_policy["purposes"][index]["data_categories"].append("user.contact.pigeon")
    assert problems_of(raw_policy) == [
        f"purposes[{index}](newsletter).data_categories[4]: "
        "unknown data category 'user.contact.pigeon'"
    ]


def test_recipient_without_a_purpose_is_refused(raw_policy):
    raw_policy["recipients"][0]["purposes"] = []
    raw_policy["recipients"][0]["data_categories"] = []
    assert problems_of(raw_policy) == [
        "recipients[0](postnl).purposes: a recipient needs at least one purpose"
    ]


def test_missing_dutch_text_names_the_key(raw_policy):
    index = purpose_index(raw_policy, "reviews")
    del raw_policy["purposes"][index]["name"]["nl"]
    assert problems_of(raw_policy) == [
        f"purposes[{index}](reviews).name.nl: the Dutch (nl) text is missing"
    ]


def test_retention_without_a_unit_is_refused(raw_policy):
    index = purpose_index(raw_policy, "communication")
    del raw_policy["purposes"][index]["retention"]["unit"]
    assert problems_of(raw_policy) == [
        f"purposes[{index}](communication).retention.unit: "
        "a retention period needs a unit (days, weeks, months or years)"
    ]


def test_unknown_retention_unit_is_refused(raw_policy):
    index = purpose_index(raw_policy, "communication")
    raw_policy["purposes"][index]["retention"]["unit"] = "fortnights"
    (problem,) = problems_of(raw_policy)
    assert problem.startswith(f"purposes[{index}](communication).retention.unit: ")


def test_duplicate_id_is_refused_at_both_places(raw_policy):
    raw_policy["purposes"].append(dict(raw_policy["purposes"][0]))
    last = len(raw_policy["purposes"]) - 1
    assert problems_of(raw_policy) == [
        "purposes[0](authentication).id: duplicate id 'authentication' (ids must be unique)",
        f"purposes[{last}](authentication).id: duplicate id 'authentication' (ids must be unique)",
    ]


def test_processor_without_agreement_is_refused(raw_policy):
    index = next(i for i, r in enumerate(raw_policy["recipients"]) if r["id"] == "hosting")
    del raw_policy["recipients"][index]["agreement"]
    assert problems_of(raw_policy) == [
        f"recipients[{index}](hosting).agreement: "
        "a processor needs its data-processing agreement reference (Art. 28 GDPR)"
    ]


def test_recipient_outside_the_eea_needs_a_transfer_mechanism(raw_policy):
    index = next(i for i, r in enumerate(raw_policy["recipients"]) if r["id"] == "mail_relay")
    del raw_policy["recipients"][index]["transfer_mechanism"]
    (problem,) = problems_of(raw_policy)
    assert problem.startswith(f"recipients[{index}](mail_relay).transfer_mechanism: US is outside")


def test_legitimate_interest_without_balancing_is_refused(raw_policy):
    index = purpose_index(raw_policy, "statistics")
    del raw_policy["purposes"][index]["legitimate_interest"]
    (problem,) = problems_of(raw_policy)
    assert problem.startswith(f"purposes[{index}](statistics).legitimate_interest: ")


def test_analytics_cookies_cannot_be_declared_consent_free(raw_policy):
    index = next(i for i, c in enumerate(raw_policy["cookie_categories"]) if c["id"] == "analytics")
    raw_policy["cookie_categories"][index]["requires_consent"] = False
    assert (
        f"cookie_categories[{index}](analytics).requires_consent: "
        "only functional cookies may be placed without consent"
    ) in problems_of(raw_policy)


def test_misspelt_key_is_reported_as_unknown(raw_policy):
    raw_policy["controller"]["adress"] = raw_policy["controller"].pop("address")
    assert sorted(problems_of(raw_policy)) == [
        "controller.address: this key is required but missing",
        "controller.adress: unknown key (check the spelling)",
    ]


def test_every_problem_is_reported_at_once(raw_policy):
    del raw_policy["privacy_officer"]["email"]
    raw_policy["purposes"][0]["legal_basis"] = "because"
    assert len(problems_of(raw_policy)) == 2


def test_invalid_toml_says_where():
    with pytest.raises(PolicyError) as caught:
        parse_policy("[policy\nversion = 1", source="broken.toml")
    assert "broken.toml" in caught.value.report()
    assert "not valid TOML" in caught.value.report()
    assert "line 1" in caught.value.report()


def test_missing_file_is_a_clear_problem(tmp_path):
    with pytest.raises(PolicyError, match="cannot read the file"):
        load_policy(tmp_path / "absent.toml")


def test_loaded_policy_is_immutable(raw_policy):
    policy = validate_policy(raw_policy)
    with pytest.raises(Exception, match="frozen"):
        policy.controller.name = "Someone else"
