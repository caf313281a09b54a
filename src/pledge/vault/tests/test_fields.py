import uuid

import pytest
from django.db import connection
from django.template import Context, Template
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pledge.vault.erased import ERASED, is_erased
from pledge.vault.exceptions import CiphertextInvalid, SubjectErased
from pledge.vault.services import subject_create, subject_shred

from .conftest import BOTH
from .factories import customer_create
from .models import Customer, Order

pytestmark = pytest.mark.django_db(databases=BOTH)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)
HYPOTHESIS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _reloaded(row):
    return type(row).objects.get(pk=row.pk)


@HYPOTHESIS
@given(text=st.text(max_size=2000), value=json_values)
def test_any_text_and_json_value_reads_back_as_written(scope, text, value):
    customer = customer_create(first_name=text, address=value)
    again = _reloaded(customer)
    assert again.first_name == text
    assert again.address == value


def test_empty_and_very_long_values_round_trip(scope):
    long_text = "ë€🙂\x00" * 250_000  # a million characters, with a NUL PostgreSQL text rejects
    customer = customer_create(first_name="", last_name=long_text, address={}, phone=None)
    again = _reloaded(customer)
    assert again.first_name == ""
    assert again.last_name == long_text
    assert again.address == {}
    assert again.phone is None


def test_the_database_holds_ciphertext_not_the_value(scope):
    customer = customer_create(last_name="Bakker-Jansen")
    stored = Customer.objects.filter(pk=customer.pk).values_list("last_name", flat=True).get()
    assert "Bakker" not in stored
    assert stored.startswith("pv1:")


def _copy_column(column: str, *, source, target) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Customer._meta.db_table} SET {column} = "  # noqa: S608
            f"(SELECT {column} FROM {Customer._meta.db_table} WHERE id = %s) WHERE id = %s",
            [_db_id(source.pk), _db_id(target.pk)],
        )


def _db_id(value: uuid.UUID):
    return value if connection.features.has_native_uuid_field else value.hex


def test_ciphertext_copied_to_another_row_of_the_same_subject_does_not_decrypt(scope):
    subject_id = subject_create()
    first = customer_create(subject_id=subject_id, last_name="Visser")
    second = customer_create(subject_id=subject_id, last_name="Smit")
    _copy_column("last_name", source=first, target=second)
    with pytest.raises(CiphertextInvalid):
        _ = _reloaded(second).last_name


def test_ciphertext_copied_to_another_subjects_row_does_not_decrypt(scope):
    first, second = customer_create(last_name="Visser"), customer_create(last_name="Smit")
    _copy_column("last_name", source=first, target=second)
    with pytest.raises(CiphertextInvalid):
        _ = _reloaded(second).last_name


def test_ciphertext_copied_to_another_field_of_the_same_row_does_not_decrypt(scope):
    customer = customer_create(first_name="Visser", last_name="Smit")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Customer._meta.db_table} SET last_name = first_name WHERE id = %s",  # noqa: S608
            [_db_id(customer.pk)],
        )
    with pytest.raises(CiphertextInvalid):
        _ = _reloaded(customer).last_name


def test_a_token_assigned_from_another_row_is_refused_on_save(scope):
    first, second = customer_create(last_name="Visser"), customer_create(last_name="Smit")
    token = Customer.objects.filter(pk=first.pk).values_list("last_name", flat=True).get()
    second = _reloaded(second)
    second.__dict__["last_name"] = token
    with pytest.raises(CiphertextInvalid):
        second.save()


def test_saving_unchanged_values_keeps_the_stored_ciphertext(scope):
    customer = _reloaded(customer_create())
    before = Customer.objects.filter(pk=customer.pk).values("email", "address").get()
    _ = customer.email, customer.address
    customer.save()
    after = Customer.objects.filter(pk=customer.pk).values("email", "address").get()
    assert before == after


def test_a_json_value_changed_in_place_is_saved(scope):
    customer = _reloaded(customer_create())
    customer.address["city"] = "Utrecht"
    customer.save()
    assert _reloaded(customer).address["city"] == "Utrecht"


def test_a_row_copied_under_a_new_primary_key_is_encrypted_for_its_new_key(scope):
    customer = _reloaded(customer_create(last_name="Mulder"))
    _ = customer.email, customer.first_name, customer.last_name, customer.phone
    _ = customer.address, customer.invoice_address
    customer.pk = uuid.uuid4()
    customer.email = "kopie@example.nl"
    customer.save(force_insert=True)
    assert _reloaded(customer).last_name == "Mulder"


def test_filtering_or_updating_an_encrypted_field_is_refused(scope):
    customer_create()
    with pytest.raises(TypeError, match="encrypted"):
        list(Customer.objects.filter(last_name="Visser"))
    with pytest.raises(TypeError, match="encrypted"):
        Customer.objects.update(last_name="Visser")


def test_an_erased_value_reads_as_the_erased_marker_and_renders_in_both_languages(
    scope, tombstone_file
):
    customer = customer_create()
    subject_shred(customer.subject_id)
    again = _reloaded(customer)
    assert again.email is ERASED and is_erased(again.last_name)
    assert again.address is ERASED and again.address["city"] is ERASED
    assert not again.phone  # falsy: nobody texts "[erased]"
    template = Template("{{ c.last_name }} {{ c.address.city }}")
    with translation.override("nl"):
        assert template.render(Context({"c": again})) == "[gewist] [gewist]"
    with translation.override("en"):
        assert template.render(Context({"c": again})) == "[erased] [erased]"
        assert f"{again.email}" == "[erased]"


def test_the_retention_key_outlives_a_profile_erasure(scope, tombstone_file):
    customer = customer_create()
    order = Order.objects.create(
        subject_id=customer.subject_id, number=1, invoice_name="S. de Vries", note="Graag inpakken"
    )
    subject_shred(customer.subject_id)
    assert _reloaded(customer).invoice_address["name"] == "S. de Vries"
    assert _reloaded(order).invoice_name == "S. de Vries"
    assert _reloaded(order).note is ERASED
    subject_shred(customer.subject_id, keys=("retention",))
    assert _reloaded(customer).invoice_address is ERASED
    assert _reloaded(order).invoice_name is ERASED


def test_an_erased_row_can_still_be_saved_without_reviving_anything(scope, tombstone_file):
    customer = customer_create()
    subject_shred(customer.subject_id)
    again = _reloaded(customer)
    _ = again.email
    again.save()
    assert _reloaded(again).email is ERASED
    again.email = "nieuw@example.nl"
    with pytest.raises(SubjectErased):
        again.save()


def test_deferred_encrypted_fields_load_and_decrypt_on_access(scope):
    customer = customer_create(last_name="Dekker")
    assert Customer.objects.only("id", "subject_id").get(pk=customer.pk).last_name == "Dekker"
