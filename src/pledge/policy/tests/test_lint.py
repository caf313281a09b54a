"""`privacy-lint`: no model field escapes classification, and models and policy agree."""

import copy

from django.contrib.sessions.models import Session
from django.db import models
from django.test.utils import isolate_apps

from pledge.accounts.models import User
from pledge.policy.lint import privacy_lint
from pledge.policy.loader import validate_policy
from pledge.policy.registry import ClassificationRegistry, registry
from pledge.policy.selectors import current_policy


def test_the_installed_apps_pass_privacy_lint():
    assert privacy_lint(current_policy()) == []


@isolate_apps("pledge.policy")
def test_an_undeclared_field_of_a_pledge_model_fails():
    class Ticket(models.Model):
        subject = models.CharField(max_length=100)
        sender_email = models.EmailField()

        class Meta:
            app_label = "policy"

    classifications = ClassificationRegistry()
    classifications.add("policy.Ticket", personal={}, non_personal=["id", "subject"])
    problems = privacy_lint(current_policy(), models=[Ticket], classifications=classifications)
    assert [str(p) for p in problems] == [
        "policy.Ticket.sender_email: not classified as personal or non-personal data"
    ]


@isolate_apps("pledge.policy")
def test_a_model_without_any_declaration_fails_on_every_field():
    class Note(models.Model):
        text = models.TextField()

        class Meta:
            app_label = "policy"

    problems = privacy_lint(current_policy(), models=[Note], classifications=registry.copy())
    assert [p.where for p in problems] == ["policy.Note.id", "policy.Note.text"]


def test_an_undeclared_field_of_a_third_party_model_fails():
    # As if a Django upgrade added a column to sessions that nobody has looked at yet.
    classifications = registry.copy()
    classifications.replace(
        "sessions.Session",
        personal={"session_key": "user.device.cookie_id", "session_data": "user.account.activity"},
        non_personal=[],
    )
    problems = privacy_lint(current_policy(), models=[Session], classifications=classifications)
    assert [str(p) for p in problems] == [
        "sessions.Session.expire_date: not classified as personal or non-personal data"
    ]


def test_a_category_the_policy_lacks_fails():
    classifications = registry.copy()
    classifications.replace(
        "accounts.User",
        personal={**registry.get("accounts.User").personal, "username": "user.account.nickname"},
        non_personal=registry.get("accounts.User").non_personal,
    )
    problems = privacy_lint(current_policy(), models=[User], classifications=classifications)
    assert [str(p) for p in problems] == [
        "accounts.User.username: data category 'user.account.nickname' is not in the policy"
    ]


def test_a_policy_category_no_purpose_uses_fails(raw_policy):
    raw = copy.deepcopy(raw_policy)
    raw["data_categories"].append(
        {"id": "user.contact.fax_number", "label": {"nl": "Faxnummer", "en": "Fax number"}}
    )
    problems = privacy_lint(validate_policy(raw), models=[])
    assert [str(p) for p in problems] == [
        "policy data category user.contact.fax_number: no purpose uses it"
    ]


def test_a_classified_field_that_no_longer_exists_fails():
    classifications = registry.copy()
    user = registry.get("accounts.User")
    classifications.replace(
        "accounts.User",
        personal={**user.personal, "nickname": "user.name.first"},
        non_personal=user.non_personal,
    )
    problems = privacy_lint(current_policy(), models=[User], classifications=classifications)
    assert [str(p) for p in problems] == [
        "accounts.User.nickname: classified, but the model has no such field"
    ]
