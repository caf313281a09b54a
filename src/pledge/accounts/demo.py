"""The demo shop's customer account, so a visitor can try "My account" at once."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from pledge.frame.seeding import demo_seeder
from pledge.vault.services import subject_create

from .models import Address, CustomerProfile

DEMO_USERNAME = "sanne"
DEMO_PASSWORD = "pixeljet-demo-2026"  # noqa: S105 (the demo's published password)


@demo_seeder(order=20)
def demo_customer() -> str:
    User = get_user_model()
    if User.objects.filter(username=DEMO_USERNAME).exists():
        return f"customer {DEMO_USERNAME!r} already exists"
    subject_id = subject_create()
    with transaction.atomic():
        user = User(username=DEMO_USERNAME, language="nl", subject_id=subject_id)
        user.set_password(DEMO_PASSWORD)
        user.save()
        CustomerProfile.objects.create(
            user=user,
            subject_id=subject_id,
            email="sanne@example.nl",
            first_name="Sanne",
            last_name="de Vries",
            phone="+31 6 1234 5678",
            email_verified_at=timezone.now(),
        )
        Address.objects.create(
            user=user,
            subject_id=subject_id,
            label="Thuis",
            postal_address={
                "name": "Sanne de Vries",
                "street": "Prinsengracht",
                "house_number": "263",
                "postal_code": "1016 GV",
                "city": "Amsterdam",
                "country": "NL",
            },
            is_default=True,
        )
    return f"customer {DEMO_USERNAME!r} created (password {DEMO_PASSWORD!r})"
