"""The Art. 30(1) record of processing activities, rendered from the policy."""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import override

from pledge.policy import wording
from pledge.policy.loader import load_policy
from pledge.policy.register import render_register, retention_in_words
from pledge.policy.schema import Retention, RetentionEvent, TimeUnit


@pytest.fixture(scope="module")
def policy():
    return load_policy(Path(settings.PLEDGE_POLICY))


def _rows(policy, language):
    return list(csv.reader(io.StringIO(render_register(policy, fmt="csv", language=language))))


def test_csv_has_a_header_and_one_row_per_purpose(policy):
    header, *rows = _rows(policy, "en")
    assert header == [
        "Processing activity (purpose)",
        "Description",
        "Legal basis",
        "Categories of data subjects",
        "Categories of personal data",
        "Categories of recipients",
        "Transfers to third countries",
        "Retention period",
        "Security measures (general description)",
    ]
    assert [row[0] for row in rows] == [p.name.en for p in policy.purposes]
    assert all(len(row) == len(header) for row in rows)


def test_fiscal_records_are_kept_seven_years(policy):
    header, *rows = _rows(policy, "nl")
    fiscal = next(r for r in rows if r[0] == policy.purpose("fiscal_records").name.nl)
    assert fiscal[header.index("Bewaartermijn")] == "7 jaar na het einde van het boekjaar"
    assert "art. 6 lid 1 sub c AVG" in fiscal[header.index("Grondslag")]
    assert "Belastingdienst (overheidsinstantie)" in fiscal[header.index("Categorieën ontvangers")]


def test_csv_names_the_us_transfer_and_says_none_otherwise(policy):
    header, *rows = _rows(policy, "en")
    transfers = {row[0]: row[header.index("Transfers to third countries")] for row in rows}
    account = transfers[policy.purpose("account").name.en]
    assert "Mailgun Technologies, Inc., US" in account
    assert "Data Privacy Framework" in account
    assert transfers[policy.purpose("statistics").name.en] == "none"
    assert "Google LLC" in transfers[policy.purpose("web_analytics").name.en]


def test_csv_lists_labels_and_security_measures(policy):
    header, *rows = _rows(policy, "en")
    account = next(r for r in rows if r[0] == "Your account")
    assert "E-mail address" in account[header.index("Categories of personal data")]
    assert "Customers" in account[header.index("Categories of data subjects")]
    security = account[header.index("Security measures (general description)")]
    assert "AES-256-GCM" in security


def test_markdown_names_controller_privacy_officer_and_every_recipient(policy):
    register = render_register(policy, fmt="md")
    assert register.startswith("# Register van verwerkingsactiviteiten")
    assert policy.controller.legal_name in register
    assert policy.controller.address.street in register
    assert policy.controller.email in register
    assert policy.privacy_officer.name in register
    assert policy.privacy_officer.email in register
    for recipient in policy.recipients:
        assert recipient.name in register
    for purpose in policy.purposes:
        assert purpose.name.nl in register
    for measure in policy.security_measures:
        assert measure.nl in register


def test_dutch_and_english_registers_differ(policy):
    for fmt in ("md", "csv"):
        dutch = render_register(policy, fmt=fmt, language="nl")
        english = render_register(policy, fmt=fmt, language="en")
        assert dutch != english
    english = render_register(policy, fmt="md", language="en")
    assert "Record of processing activities" in english
    assert "Statutory record keeping (tax)" in english


def test_unknown_format_is_refused(policy):
    with pytest.raises(ValueError, match="pdf"):
        render_register(policy, fmt="pdf")


@pytest.mark.parametrize(
    ("retention", "nl", "en"),
    [
        (
            Retention(after=RetentionEvent.FISCAL_YEAR_END, duration=7, unit=TimeUnit.YEARS),
            "7 jaar na het einde van het boekjaar",
            "7 years after the end of the fiscal year",
        ),
        (
            Retention(after=RetentionEvent.ACCOUNT_DELETED),
            "tot uw account is verwijderd",
            "until the account is deleted",
        ),
        (
            Retention(after=RetentionEvent.COLLECTION, duration=1, unit=TimeUnit.DAYS),
            "1 dag na het verzamelen",
            "1 day after collection",
        ),
        (
            Retention(after=RetentionEvent.TICKET_CLOSED, duration=6, unit=TimeUnit.MONTHS),
            "6 maanden nadat uw vraag is afgehandeld",
            "6 months after the question is answered",
        ),
    ],
)
def test_retention_in_words(retention, nl, en):
    assert retention_in_words(retention, "nl") == nl
    assert retention_in_words(retention, "en") == en


@pytest.mark.parametrize("event", list(RetentionEvent))
def test_every_retention_event_has_words(event):
    for language in ("nl", "en"):
        assert retention_in_words(Retention(after=event), language)
        with_period = Retention(after=event, duration=2, unit=TimeUnit.WEEKS)
        assert retention_in_words(with_period, language).startswith("2 we")


@pytest.mark.parametrize("event", list(RetentionEvent))
def test_every_register_retention_phrase_is_translated(event):
    for retention in (Retention(after=event), Retention(after=event, duration=2, unit="weeks")):
        assert retention_in_words(retention, "nl") != retention_in_words(retention, "en")


def test_register_and_statement_word_the_same_retention_alike():
    # One vocabulary: where no one is addressed, the register reads as the statement does.
    retention = Retention(after=RetentionEvent.FISCAL_YEAR_END, duration=7, unit=TimeUnit.YEARS)
    for language in ("nl", "en"):
        with override(language):
            assert retention_in_words(retention, language) == wording.retention_text(retention)
