"""Masked values show just enough to tell people apart, never the value itself."""

from hypothesis import given
from hypothesis import strategies as st

from pledge.backoffice.masking import mask_address, mask_email, mask_name, mask_phone
from pledge.vault.erased import ERASED


def test_email_keeps_first_letters_and_top_level_domain():
    assert mask_email("jan.jansen@example.nl") == "j***@e***.nl"
    assert mask_email("info@fotowinkel.co.uk") == "i***@f***.uk"


def test_phone_keeps_country_code_mobile_prefix_and_last_two_digits():
    assert mask_phone("+31 6 12345678") == "+31 6 ****78"
    assert mask_phone("06 12345678") == "06 ****78"
    assert mask_phone("+31612345678") == "****78"
    assert mask_phone("+31 20 123 4567") == "+31 ****67"


def test_name_keeps_the_first_letter():
    assert mask_name("Jan") == "J***"
    assert mask_name("Özlem") == "Ö***"


def test_address_shows_the_city_only():
    address = {
        "street": "Prinsengracht",
        "house_number": "263",
        "postal_code": "1016 GV",
        "city": "Amsterdam",
        "country": "NL",
    }
    assert mask_address(address) == "Amsterdam"


def test_erased_and_empty_values_stay_as_they_are():
    for mask in (mask_email, mask_phone, mask_name, mask_address):
        assert mask("") == ""
        assert mask(None) == ""
        assert mask(ERASED) == str(ERASED)


@given(
    local=st.from_regex(r"[a-z][a-z0-9.]{3,20}", fullmatch=True),
    host=st.from_regex(r"[a-z][a-z0-9-]{3,20}", fullmatch=True),
)
def test_a_masked_email_never_contains_the_local_part_or_host(local, host):
    masked = mask_email(f"{local}@{host}.nl")
    assert local not in masked
    assert host not in masked


@given(number=st.from_regex(r"[1-9][0-9]{7}", fullmatch=True))
def test_a_masked_phone_never_shows_more_than_two_subscriber_digits(number):
    masked = mask_phone(f"+31 6 {number}")
    assert number[:-2] not in masked
    assert masked.endswith(number[-2:])
