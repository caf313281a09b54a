"""Drive a Pledge process against SQLite files, for tests that inspect or restore the files.

``python -m pledge.vault.tests.scenario <command> [json]`` with DATABASE_URL, VAULT_DATABASE_URL
and PLEDGE_VAR_DIR pointing at a temporary directory. Prints one JSON line as its answer.
"""

import json
import os
import sys

os.environ.setdefault("PLEDGE_ENV", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledge.settings")


def main(command: str, argument: dict) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from pledge.vault.blind_index import lookup_index
    from pledge.vault.erased import ERASED
    from pledge.vault.keys import key_scope
    from pledge.vault.registry import register_model
    from pledge.vault.services import subject_create, subject_shred

    from .models import TEST_MODELS, Customer, Order, create_tables

    for model in TEST_MODELS:
        register_model(model)
    with key_scope():
        if command == "setup":
            call_command("migrate", database="default", verbosity=0)
            call_command("migrate", database="vault", verbosity=0)
            create_tables()
            return {}
        if command == "write":
            subject_id = subject_create()
            customer = Customer.objects.create(subject_id=subject_id, **argument["customer"])
            Order.objects.create(subject_id=subject_id, number=1, **argument["order"])
            return {"subject": str(subject_id), "customer": str(customer.pk)}
        if command == "read":
            customer = Customer.objects.get(pk=argument["customer"])
            order = Order.objects.get(subject_id=customer.subject_id)
            found = Customer.objects.filter(
                email_index=lookup_index(Customer, "email_index", argument["email"])
            ).exists()
            values = {
                name: getattr(customer, name)
                for name in ("email", "first_name", "last_name", "phone", "address")
            }
            values |= {"invoice_address": customer.invoice_address, "note": order.note}
            return {
                "found_by_email": found,
                "erased": sorted(k for k, v in values.items() if v is ERASED),
                "values": {k: v for k, v in values.items() if v is not ERASED},
            }
        if command == "shred":
            subject_shred(argument["subject"], keys=argument.get("keys", ["profile"]))
            return {}
        if command == "replay-erasures":
            call_command("vault", "replay-erasures", verbosity=0)
            return {}
    raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    answer = main(sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else {})
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
    if os.environ.get("SCENARIO_HOLD"):
        # Keep the database connections (and SQLite's -wal file) open until told to finish.
        sys.stdin.readline()
