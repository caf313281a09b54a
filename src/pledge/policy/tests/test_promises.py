"""The promise table (pledge.policy.promises) and the policy-file proofs it points to.

The first half tests the table itself: it loads, every quote is the seed's own words, every
listed test exists, and the checker catches a claim that points at nothing. The class at the end
proves, from the policy file in force, the promises that the policy alone keeps or replaces.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from pledge.policy.problems import PolicyError
from pledge.policy.promises import (
    Feature,
    PromiseStatus,
    default_promises_path,
    load_promises,
    node_id_problem,
    normalise,
    promise_problems,
    seed_path,
)
from pledge.policy.schema import LegalBasis, RecipientRole, RecipientType
from pledge.policy.selectors import current_policy

ROOT = Path(settings.PROJECT_DIR)


@pytest.fixture(scope="module")
def book():
    return load_promises()


@pytest.fixture(scope="module")
def policy():
    return current_policy()


def _write(tmp_path: Path, body: str, *, seed: str = "Seed text. We never sell your data.") -> Path:
    (tmp_path / "seed.txt").write_text(seed, encoding="utf-8")
    path = tmp_path / "shop-promises.toml"
    path.write_text('seed = "seed.txt"\n' + body, encoding="utf-8")
    return path


# --- the table ----------------------------------------------------------------------------------


def test_the_promise_table_loads_from_next_to_the_policy(book):
    assert default_promises_path().name == "pixeljet-promises.toml"
    assert seed_path(book).name == "pixeljet-seed-2018.txt"
    assert book.promises


def test_the_table_tracks_at_least_30_promises(book):
    assert len(book.promises) >= 30


def test_every_listed_test_exists(book):
    assert promise_problems(book, root=ROOT) == []


def test_every_quote_is_the_seeds_own_words(book):
    seed = normalise(seed_path(book).read_text(encoding="utf-8"))
    misquoted = [p.id for p in book.promises if normalise(p.quote) not in seed]
    assert misquoted == []


def test_every_promise_is_kept_pending_with_a_feature_or_replaced_with_a_note(book):
    for promise in book.promises:
        match promise.status:
            case PromiseStatus.KEPT:
                assert promise.tests, promise.id
            case PromiseStatus.PENDING:
                assert isinstance(promise.feature, Feature), promise.id
            case PromiseStatus.REPLACED:
                assert promise.note, promise.id
                assert promise.tests or promise.feature, promise.id


def test_the_checker_catches_a_made_up_test_id(tmp_path):
    tests_dir = tmp_path / "src/pledge/shop/tests"
    tests_dir.mkdir(parents=True)
    (tests_dir / "test_orders.py").write_text(
        "def test_real():\n    pass\n\n\n"
        "class TestCheckout:\n    def test_pays(self):\n        pass\n",
        encoding="utf-8",
    )
    real = "src/pledge/shop/tests/test_orders.py"
    assert node_id_problem(f"{real}::test_real", root=tmp_path) is None
    assert node_id_problem(f"{real}::TestCheckout::test_pays", root=tmp_path) is None
    assert "no test function" in node_id_problem(f"{real}::test_invented", root=tmp_path)
    assert "no test function" in node_id_problem(f"{real}::TestCheckout::test_x", root=tmp_path)
    assert "no test class" in node_id_problem(f"{real}::TestNope::test_pays", root=tmp_path)
    assert "does not exist" in node_id_problem(
        "src/pledge/shop/tests/test_nothing.py::test_real", root=tmp_path
    )

    path = _write(
        tmp_path,
        '[[promises]]\nid = "never-sell"\nsection = "S"\nquote = "We never sell your data."\n'
        f'status = "kept"\ntests = ["{real}::test_invented"]\n',
    )
    problems = promise_problems(load_promises(path), root=tmp_path)
    assert problems == [
        f"never-sell: {real}::test_invented: no test function 'test_invented' in the module"
    ]


def test_the_checker_catches_a_kept_promise_without_tests_and_a_misquote(tmp_path):
    path = _write(
        tmp_path,
        '[[promises]]\nid = "never-sell"\nsection = "S"\nquote = "We never sold anything."\n'
        'status = "kept"\n',
    )
    problems = promise_problems(load_promises(path), root=tmp_path, seed_text="We never sell.")
    assert problems == [
        "never-sell: kept, but no test proves it",
        "never-sell: the quote is not in the seed word for word",
    ]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('status = "pending"', "names the feature"),
        ('status = "replaced"\nfeature = "newsletter"', "needs a note"),
        ('status = "replaced"\nnote = "Concrete now."', "lists tests or the feature"),
        ('status = "pending"\nfeature = "someday"', "feature"),
        ('status = "promised"', "status"),
    ],
)
def test_an_unexplained_status_is_refused(tmp_path, entry, message):
    path = _write(
        tmp_path, f'[[promises]]\nid = "p"\nsection = "S"\nquote = "Seed text."\n{entry}\n'
    )
    with pytest.raises(PolicyError) as caught:
        load_promises(path)
    assert message in caught.value.report()
    assert "promises[0](p)" in caught.value.report()


def test_the_command_prints_the_table_and_exits_0(book):
    out = io.StringIO()
    call_command("promises", stdout=out)
    printed = out.getvalue()
    for promise in book.promises:
        assert promise.id in printed
    counts = book.by_status()
    assert f"kept: {counts[PromiseStatus.KEPT]}" in printed
    assert f"pending: {counts[PromiseStatus.PENDING]}" in printed
    assert "feature: newsletter" in printed


def test_the_command_fails_when_a_listed_test_is_missing(tmp_path):
    path = _write(
        tmp_path,
        '[[promises]]\nid = "never-sell"\nsection = "S"\nquote = "We never sell your data."\n'
        'status = "kept"\ntests = ["src/pledge/policy/tests/test_promises.py::test_invented"]\n',
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("promises", path=str(path), stdout=out)
    assert "test_invented" in out.getvalue()


# --- what the policy file in force proves -------------------------------------------------------


class TestPolicyKeepsSeedPromises:
    # Seed "Purpose of use" item -> the policy purposes that carry it.
    SEED_PURPOSES = {
        "Log in and verify / authenticate users;": ["authentication"],
        "Communication between Pixeljet and users;": ["communication"],
        "Sending newsletters and direct marketing campaigns;": ["newsletter"],
        "Monitoring and auditing our services;": ["monitoring"],
        "Analyzing statistics and optimizing our services;": ["statistics", "web_analytics"],
        "Sending and delivery and communication concerning orders;": ["order_fulfilment"],
    }

    def test_each_seed_purpose_is_declared_with_a_legal_basis_and_retention(self, policy, book):
        quotes = {normalise(p.quote) for p in book.promises}
        for seed_item, purpose_ids in self.SEED_PURPOSES.items():
            assert normalise(seed_item) in quotes, seed_item
            for purpose_id in purpose_ids:
                purpose = policy.purpose(purpose_id)
                assert purpose.legal_basis in LegalBasis
                assert purpose.retention.after
                if purpose.legal_basis is LegalBasis.LEGITIMATE_INTERESTS:
                    # Art. 6(1)(f) needs its balancing written down.
                    assert purpose.legitimate_interest is not None, purpose_id

    def test_marketing_is_only_by_email_with_consent(self, policy):
        marketing = [
            p for p in policy.purposes if p.data_use.startswith("marketing.communications")
        ]
        assert [p.id for p in marketing] == ["newsletter"]
        for purpose in marketing:
            assert purpose.data_use == "marketing.communications.email"
            assert purpose.legal_basis is LegalBasis.CONSENT
            assert "user.contact.phone_number" not in purpose.data_categories

    def test_every_non_functional_cookie_needs_opt_in(self, policy):
        functional = policy.cookie_category("functional")
        assert functional.requires_consent is False
        for category in policy.cookie_categories:
            if category.id == "functional":
                continue
            assert category.requires_consent, category.id
            for purpose_id in category.purposes:
                assert policy.purpose(purpose_id).legal_basis is LegalBasis.CONSENT, purpose_id
        # Before you choose, only first-party functional cookies can be set.
        assert all(c.party == "first" for c in policy.cookies_in("functional"))

    def test_every_third_party_cookie_belongs_to_a_named_vendor_behind_consent(self, policy):
        for cookie in policy.cookies:
            if cookie.party == "third" or cookie.vendor:
                vendor = policy.vendor(cookie.vendor)
                assert vendor.category == cookie.category
                assert policy.cookie_category(cookie.category).requires_consent, cookie.name
        vendors = {v.name for v in policy.vendors}
        assert {"Google Analytics", "Google Ads en DoubleClick", "Facebook", "LinkedIn"} <= vendors

    def test_every_purpose_has_a_concrete_retention(self, policy):
        for purpose in policy.purposes:
            retention = purpose.retention
            # Either delete at the event, or keep for a duration that has a unit.
            assert (retention.duration is None) == (retention.unit is None), purpose.id
        communication = policy.purpose("communication").retention
        assert (communication.after, communication.duration, communication.unit) == (
            "ticket_closed",
            6,
            "months",
        )

    def test_cookieless_statistics_are_kept_a_day_and_shared_with_nobody(self, policy):
        statistics = policy.purpose("statistics")
        assert statistics.retention.days <= 1
        assert "user.device.cookie_id" not in statistics.data_categories
        assert policy.recipients_for("statistics") == ()

    def test_security_measures_promise_tls_not_ssl(self, policy):
        texts = [m.en for m in policy.security_measures] + [m.nl for m in policy.security_measures]
        assert any("TLS" in text for text in texts)
        assert not any("SSL" in text or "Secure Sockets Layer" in text for text in texts)

    def test_google_analytics_names_its_sub_processors(self, policy):
        vendor = policy.vendor("google_analytics")
        recipient = policy.recipient(vendor.recipient)
        assert recipient.role is RecipientRole.PROCESSOR
        assert recipient.sub_processors
        for sub_processor in recipient.sub_processors:
            # Chapter V GDPR: outside the EEA only with a named transfer ground.
            if sub_processor.country == "US":
                assert sub_processor.transfer_mechanism is not None, sub_processor.name

    def test_every_processor_is_bound_by_an_agreement(self, policy):
        for recipient in policy.recipients:
            if recipient.role is RecipientRole.PROCESSOR:
                assert recipient.agreement, recipient.id
            elif recipient.role is RecipientRole.CONTROLLER:
                assert recipient.privacy_url, recipient.id

    def test_each_seed_recipient_type_is_a_declared_recipient(self, policy):
        seed_types = {
            RecipientType.DELIVERY,
            RecipientType.SUPPLIER,
            RecipientType.PAYMENT,
            RecipientType.REVIEW_COLLECTOR,
        }
        for recipient_type in seed_types:
            declared = [r for r in policy.recipients if r.type is recipient_type]
            assert declared, recipient_type
            assert all(r.purposes and r.data_categories for r in declared), recipient_type

    def test_no_purpose_sells_data(self, policy):
        for purpose in policy.purposes:
            assert not purpose.data_use.startswith("sales"), purpose.id
            assert not purpose.data_use.startswith("third_party_sharing"), purpose.id

    def test_fraud_reports_go_only_to_authorities(self, policy):
        recipients = policy.recipients_for("fraud_reporting")
        assert recipients
        assert all(r.role is RecipientRole.AUTHORITY for r in recipients)

    def test_complaint_route_names_the_dutch_authority(self, policy):
        authority = policy.supervisory_authority
        assert authority.name == "Autoriteit Persoonsgegevens"
        assert str(authority.complaint_url).startswith("https://autoriteitpersoonsgegevens.nl/")

    def test_privacy_officer_is_a_voluntary_contact(self, policy):
        officer = policy.privacy_officer
        assert officer.name == "Koen de Wit"
        assert officer.email and officer.phone
        assert officer.designated_dpo is False
        # The statement already says "not a designated data protection officer" from the flag
        # above; the role text must not say it a second time.
        assert "functionaris gegevensbescherming" not in officer.role.nl
        assert "data protection officer" not in officer.role.en

    def test_changes_are_published_with_a_version_and_date(self, policy):
        latest = max(policy.changelog, key=lambda entry: entry.date)
        assert latest.version == policy.policy.version
        assert latest.date == policy.policy.effective
