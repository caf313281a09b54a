"""Dutch test data for the partners tests: a customer subject and what an order sends."""

from pledge.vault.services import subject_create

ADDRESS = {
    "name": "Sanne de Vries",
    "street": "Prinsengracht",
    "house_number": "263",
    "postal_code": "1016 GV",
    "city": "Amsterdam",
    "country": "NL",
}
LINES = [{"name": "Fotoboek A4 liggend", "quantity": 1, "sku": "PJ-FB-A4L"}]


def subject() -> "uuid.UUID":  # noqa: F821
    return subject_create()


def customer_fields(**overrides) -> dict:
    fields = {
        "first_name": "Sanne",
        "last_name": "de Vries",
        "email": "sanne.devries@example.nl",
        "phone": "+31 6 1234 5678",
        "address": dict(ADDRESS),
        "lines": list(LINES),
    }
    fields.update(overrides)
    return fields


def only(fields: dict, *names: str) -> dict:
    return {name: fields[name] for name in names}
