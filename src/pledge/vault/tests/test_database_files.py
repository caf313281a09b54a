"""What an attacker with a copy of the database files gets, and what a restore brings back."""

import uuid

import pytest

from .factories import canary
from .shop_process import ShopProcess


@pytest.fixture(scope="module")
def shop(tmp_path_factory) -> ShopProcess:
    shop = ShopProcess(tmp_path_factory.mktemp("shop"))
    shop.run("setup")
    return shop


def _customer(label: str) -> dict:
    email = f"{canary(label)}@example.nl"
    return {
        "email": email,
        "customer": {
            "email": email,
            "first_name": canary("first"),
            "last_name": canary("last"),
            "phone": canary("phone"),
            "address": {"street": canary("street"), "city": "Haarlem"},
            "invoice_address": {"name": canary("invoice")},
        },
        "order": {"invoice_name": canary("invoicename"), "note": canary("note")},
    }


def _canaries(customer: dict) -> list[str]:
    values = [customer["customer"][name] for name in ("email", "first_name", "last_name", "phone")]
    values += [customer["customer"]["address"]["street"]]
    values += [customer["customer"]["invoice_address"]["name"]]
    return values + list(customer["order"].values())


def _leaks(files: dict[str, bytes], canaries: list[str]) -> list[str]:
    found = []
    for name, content in files.items():
        lowered = content.lower()
        for value in canaries:
            for encoded in (value.encode(), value.encode("utf-16-le")):
                if encoded.lower() in lowered:
                    found.append(f"{value} in {name}")
    return found


def test_a_customers_details_are_nowhere_in_plain_text_and_unrecoverable_after_erasure(shop):
    customer = _customer("leak")
    canaries = _canaries(customer)
    held = shop.hold("write", {"customer": customer["customer"], "order": customer["order"]})
    # While the writer is still connected the new pages sit in the -wal file: read it too.
    files_while_open = shop.database_bytes()
    assert any(name.endswith("-wal") for name in files_while_open)
    held.finish()
    ids = held.answer
    assert _leaks(files_while_open, canaries) == []
    # Positive control: the plain subject id column is found, so the scan does see the rows.
    assert any(
        uuid.UUID(ids["subject"]).hex.encode() in content for content in files_while_open.values()
    )
    assert _leaks(shop.database_bytes(), canaries) == []
    read = shop.run("read", {"customer": ids["customer"], "email": customer["email"]})
    assert read["found_by_email"] and read["erased"] == []
    assert read["values"]["last_name"] == customer["customer"]["last_name"]

    shop.run("shred", {"subject": ids["subject"], "keys": ["profile", "retention"]})
    read = shop.run("read", {"customer": ids["customer"], "email": customer["email"]})
    assert read == {
        "found_by_email": False,
        "values": {},
        "erased": sorted(
            ["email", "first_name", "last_name", "phone", "address", "invoice_address", "note"]
        ),
    }
    files = shop.database_bytes() | {"tombstones": shop.tombstones.read_bytes()}
    assert _leaks(files, canaries) == []
    assert ids["subject"].encode() in files["tombstones"]


def test_replaying_erasures_after_restoring_older_database_copies_erases_again(shop):
    kept, erased = _customer("kept"), _customer("erased")
    ids = {
        label: shop.run("write", {"customer": c["customer"], "order": c["order"]})
        for label, c in (("kept", kept), ("erased", erased))
    }
    backup = shop.backup("nightly")
    shop.run("shred", {"subject": ids["erased"]["subject"]})
    shop.run("shred", {"subject": ids["erased"]["subject"], "keys": ["retention"]})

    shop.restore(backup)  # both databases roll back; the tombstone file does not
    restored = shop.run("read", {"customer": ids["erased"]["customer"], "email": erased["email"]})
    assert restored["found_by_email"] and restored["erased"] == []

    shop.run("replay-erasures")
    shop.run("replay-erasures")  # idempotent
    after = shop.run("read", {"customer": ids["erased"]["customer"], "email": erased["email"]})
    assert after["found_by_email"] is False
    assert set(after["erased"]) == set(restored["values"])
    untouched = shop.run("read", {"customer": ids["kept"]["customer"], "email": kept["email"]})
    assert untouched["found_by_email"] and untouched["erased"] == []
