"""The public statements, read as an auditor reads them: every fact from the policy, in the
page's language, with the routes a data subject needs (officer, rights, complaint)."""

import pytest
from django.utils.html import escape
from django.utils.translation import override

from pledge.policy import wording
from pledge.policy.schema import Lifetime, Retention
from pledge.policy.selectors import current_policy, policy_reload

PRIVACY = {"nl": "/privacy/", "en": "/en/privacy/"}
COOKIES = {"nl": "/cookies/", "en": "/en/cookies/"}
OFFICER = {"nl": "/privacy/officer/", "en": "/en/privacy/officer/"}
LANGUAGES = ["nl", "en"]


@pytest.fixture
def policy():
    return current_policy()


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def shows(html: str, text: str) -> bool:
    return escape(str(text)) in html


# --- Privacy statement --------------------------------------------------------------------


def test_dutch_privacy_statement_names_the_privacy_officer(client, policy):
    html = page(client, PRIVACY["nl"])
    assert shows(html, policy.privacy_officer.name)
    assert shows(html, policy.privacy_officer.email)
    assert shows(html, policy.privacy_officer.role.nl)
    assert "geen aangewezen functionaris gegevensbescherming" in html


def test_english_privacy_statement_names_the_privacy_officer(client, policy):
    html = page(client, PRIVACY["en"])
    assert shows(html, policy.privacy_officer.name)
    assert shows(html, policy.privacy_officer.email)
    assert shows(html, policy.privacy_officer.role.en)
    assert "not a designated data protection officer" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_privacy_statement_names_the_controller(client, policy, language):
    html = page(client, PRIVACY[language])
    controller = policy.controller
    for fact in (
        controller.legal_name,
        controller.kvk,
        controller.btw,
        controller.email,
        controller.phone,
        controller.address.street,
        controller.address.postal_code,
    ):
        assert shows(html, fact)


@pytest.mark.parametrize("language", LANGUAGES)
def test_privacy_statement_tells_how_to_complain_to_the_ap(client, policy, language):
    html = page(client, PRIVACY[language])
    authority = policy.supervisory_authority
    assert 'id="complaint"' in html
    assert shows(html, authority.name)
    assert shows(html, authority.complaint_url)
    assert shows(html, authority.phone)


@pytest.mark.parametrize("language", LANGUAGES)
def test_privacy_statement_explains_every_purpose_in_the_page_language(client, policy, language):
    html = page(client, PRIVACY[language])
    for purpose in policy.purposes:
        assert shows(html, purpose.name.get(language)), purpose.id
        assert shows(html, purpose.description.get(language)), purpose.id
        article = purpose.legal_basis.article if language == "en" else "art. 6 lid 1 sub"
        assert article in html
        if purpose.legitimate_interest:
            assert shows(html, purpose.legitimate_interest.get(language)), purpose.id


def test_dutch_privacy_statement_gives_the_fiscal_retention_in_words(client):
    html = page(client, PRIVACY["nl"])
    assert "7 jaar na het einde van het boekjaar" in html
    assert "Tot u uw account verwijdert" in html


def test_english_privacy_statement_gives_the_fiscal_retention_in_words(client):
    html = page(client, PRIVACY["en"])
    assert "7 years after the end of the fiscal year" in html
    assert "Until you delete your account" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_privacy_statement_names_every_recipient_and_what_it_receives(client, policy, language):
    html = page(client, PRIVACY[language])
    for recipient in policy.recipients:
        assert shows(html, recipient.name)
        assert f'id="recipient-{recipient.id}"' in html
    on_our_behalf = {
        "nl": "in onze opdracht (bijvoorbeeld door ze op te slaan)",
        "en": "on our behalf (for example by storing it)",
    }
    assert on_our_behalf[language] in html


def test_privacy_statement_names_the_transfer_ground_outside_the_eea(client):
    html = page(client, PRIVACY["en"])
    assert "United States. Outside the European Economic Area" in html
    assert "EU-US Data Privacy Framework" in html


@pytest.mark.parametrize(
    ("language", "promises"),
    [
        ("nl", ["Wij verkopen uw gegevens nooit.", "Wij publiceren geen klantgegevens."]),
        ("en", ["We never sell your data.", "We do not publish customer data."]),
    ],
)
def test_privacy_statement_promises_no_selling_and_no_publication(client, language, promises):
    html = page(client, PRIVACY[language])
    for promise in promises:
        assert promise in html


@pytest.mark.parametrize(
    ("language", "rights"),
    [
        (
            "nl",
            [
                "Inzage",
                "Rectificatie",
                "Gegevenswissing",
                "Beperking",
                "Dataportabiliteit",
                "Bezwaar",
                "Toestemming intrekken",
            ],
        ),
        (
            "en",
            [
                "Access",
                "Rectification",
                "Erasure",
                "Restriction",
                "Data portability",
                "Objection",
                "Withdrawing consent",
            ],
        ),
    ],
)
def test_privacy_statement_lists_every_data_subject_right(client, language, rights):
    html = page(client, PRIVACY[language])
    for right in rights:
        assert f"<li>{right}:" in html


@pytest.fixture
def backup_periods(policy_source, tmp_path, settings):
    """Serve a policy whose database backups are kept ``database`` days (the vault's: 35)."""
    line = 'database_backup_retention = { duration = 35, unit = "days" }'
    assert line in policy_source

    def use(database: int) -> None:
        path = tmp_path / f"policy-{database}.toml"
        path.write_text(
            policy_source.replace(line, line.replace("35", str(database))), encoding="utf-8"
        )
        settings.PLEDGE_POLICY = str(path)
        policy_reload()

    # The loaded policy is cached by path, so the shop's own is back once settings are.
    return use


@pytest.mark.parametrize(
    ("database", "language", "sentences"),
    [
        (
            14,
            "en",
            [
                "backups of the database for 14 days",
                "key store for 35 days",
                "no later than 35 days",
            ],
        ),
        (
            60,
            "en",
            [
                "backups of the database for 60 days",
                "key store for 35 days",
                "no later than 60 days",
            ],
        ),
        (
            14,
            "nl",
            ["back-ups van de database 14 dagen", "sleutelopslag 35 dagen", "uiterlijk 35 dagen"],
        ),
        (
            60,
            "nl",
            ["back-ups van de database 60 dagen", "sleutelopslag 35 dagen", "uiterlijk 60 dagen"],
        ),
    ],
)
def test_privacy_statement_says_when_an_erasure_reaches_the_backups(
    client, backup_periods, database, language, sentences
):
    # The two periods differ here, so each sentence shows which one it took.
    backup_periods(database)
    html = " ".join(page(client, PRIVACY[language]).split())
    assert 'id="backups"' in html
    for sentence in sentences:
        assert sentence in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_privacy_statement_shows_every_security_measure(client, policy, language):
    html = page(client, PRIVACY[language])
    for measure in policy.security_measures:
        assert shows(html, measure.get(language))


@pytest.mark.parametrize("url", [*PRIVACY.values(), *COOKIES.values(), *OFFICER.values()])
def test_every_statement_shows_the_policy_version_and_changelog(client, policy, url):
    html = page(client, url)
    language = "en" if url.startswith("/en/") else "nl"
    assert 'id="changes"' in html
    assert policy.policy.version in html
    for entry in policy.changelog:
        assert shows(html, entry.summary.get(language))


def test_dutch_statement_is_in_dutch_and_english_statement_in_english(client, policy):
    dutch, english = page(client, PRIVACY["nl"]), page(client, PRIVACY["en"])
    assert '<html lang="nl">' in dutch
    assert '<html lang="en">' in english
    for english_only in ("Your rights", "Retention", "Who receives your data"):
        assert english_only not in dutch
        assert english_only in english
    for dutch_only in ("Uw rechten", "Bewaartermijn", "Wie uw gegevens ontvangt"):
        assert dutch_only not in english
        assert dutch_only in dutch


def test_statement_follows_the_policy_not_a_copy_in_the_template(client, policy, monkeypatch):
    renamed = policy.purposes[0].model_copy(
        update={"name": policy.purposes[0].name.model_copy(update={"en": "Renamed purpose"})}
    )
    changed = policy.model_copy(update={"purposes": (renamed, *policy.purposes[1:])})
    monkeypatch.setattr("pledge.frame.context_processors.current_policy", lambda: changed)
    html = page(client, PRIVACY["en"])
    assert "Renamed purpose" in html
    assert not shows(html, policy.purposes[0].name.en)


# --- Cookie statement ---------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_cookie_statement_names_every_category_in_the_page_language(client, policy, language):
    html = page(client, COOKIES[language])
    for category in policy.cookie_categories:
        assert shows(html, category.name.get(language))
        assert shows(html, category.description.get(language))


@pytest.mark.parametrize("language", LANGUAGES)
def test_cookie_statement_lists_every_cookie_and_vendor_host(client, policy, language):
    html = page(client, COOKIES[language])
    for cookie in policy.cookies:
        assert f"<code>{escape(cookie.name)}</code>" in html
        assert shows(html, cookie.purpose.get(language))
    for vendor in policy.vendors:
        for host in vendor.hosts:
            assert f"<code>{host}</code>" in html
        assert shows(html, policy.recipient(vendor.recipient).name)


@pytest.mark.parametrize(
    ("language", "opt_in", "no_wall", "withdraw"),
    [
        (
            "nl",
            "wij plaatsen ze pas nadat u er actief mee hebt ingestemd",
            "geen cookiewall",
            "op elk moment wijzigen of intrekken",
        ),
        (
            "en",
            "we place them only after you have actively agreed to them",
            "no cookie wall",
            "change or withdraw your choice at any time",
        ),
    ],
)
def test_cookie_statement_says_consent_is_opt_in(client, language, opt_in, no_wall, withdraw):
    html = page(client, COOKIES[language])
    assert "opt-in" in html
    assert opt_in in html
    assert no_wall in html
    assert withdraw in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_cookie_statement_never_treats_further_use_as_consent(client, language):
    html = page(client, COOKIES[language]).lower()
    for seed_wording in (
        "further use",
        "verder gebruik",
        "important that you accept",
        "belangrijk dat u",
        "as permission",
        "als toestemming",
    ):
        assert seed_wording not in html


@pytest.mark.parametrize(
    ("language", "lifetimes"),
    [("nl", ["2 weken", "13 maanden", "1 dag"]), ("en", ["2 weeks", "13 months", "1 day"])],
)
def test_cookie_statement_gives_lifetimes_in_words(client, language, lifetimes):
    html = page(client, COOKIES[language])
    for lifetime in lifetimes:
        assert f"<td>{lifetime}</td>" in html


# --- Officer page -------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_officer_page_gives_the_officer_and_the_complaint_route(client, policy, language):
    html = page(client, OFFICER[language])
    assert shows(html, policy.privacy_officer.name)
    assert shows(html, policy.privacy_officer.email)
    assert shows(html, policy.privacy_officer.phone)
    assert shows(html, policy.controller.email)
    assert f'href="{PRIVACY[language]}#complaint"' in html


# --- Wording --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("retention", "dutch", "english"),
    [
        (
            Retention(after="account_deleted"),
            "tot u uw account verwijdert",
            "until you delete your account",
        ),
        (
            Retention(after="fiscal_year_end", duration=1, unit="years"),
            "1 jaar na het einde van het boekjaar",
            "1 year after the end of the fiscal year",
        ),
        (
            Retention(after="order_delivered", duration=3, unit="months"),
            "3 maanden nadat uw bestelling is bezorgd",
            "3 months after your order has been delivered",
        ),
        (
            Retention(after="collection", duration=0, unit="days"),
            "niet bewaard nadat ze zijn gebruikt",
            "not kept after it has been used",
        ),
    ],
)
def test_retention_reads_as_a_sentence_in_both_languages(retention, dutch, english):
    with override("nl"):
        assert wording.retention_text(retention) == dutch
    with override("en"):
        assert wording.retention_text(retention) == english


def test_every_retention_event_has_words_in_both_forms():
    for event in wording.RetentionEvent:
        assert event in wording._UNTIL
        assert event in wording._AFTER


@pytest.mark.parametrize("event", list(wording.RetentionEvent))
def test_every_statement_retention_phrase_is_translated(event):
    for retention in (Retention(after=event), Retention(after=event, duration=2, unit="weeks")):
        with override("nl"):
            dutch = wording.retention_text(retention)
        with override("en"):
            assert wording.retention_text(retention) != dutch


def test_legal_basis_article_matches_the_schema_in_english_and_reads_dutch_in_dutch():
    for basis in wording.LegalBasis:
        with override("en"):
            assert str(wording.LEGAL_BASIS_ARTICLES[basis]) == basis.article
        with override("nl"):
            assert str(wording.LEGAL_BASIS_ARTICLES[basis]).startswith("art. 6 lid 1 sub ")


def test_a_cookie_without_lifetime_lasts_the_session():
    with override("en"):
        assert wording.lifetime_text(None).startswith("session")
        assert wording.lifetime_text(Lifetime(duration=12, unit="months")) == "12 months"
