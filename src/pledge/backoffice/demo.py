"""The demo shop's staff member: signs in at /backoffice/ and enrols an authenticator app."""

from django.contrib.auth import get_user_model

from pledge.frame.seeding import demo_seeder

from .services import staff_role_assign

DEMO_STAFF = "koen"
DEMO_PASSWORD = "pixeljet-staff-2026"  # noqa: S105 (the demo's published password)


@demo_seeder(order=30)
def demo_privacy_officer() -> str:
    User = get_user_model()
    if User.objects.filter(username=DEMO_STAFF).exists():
        return f"staff member {DEMO_STAFF!r} already exists"
    staff = User(username=DEMO_STAFF, is_staff=True, language="nl")
    staff.set_password(DEMO_PASSWORD)
    staff.save()
    staff_role_assign(staff_id=staff.pk, role_ids=["privacy_officer"])
    return (
        f"staff member {DEMO_STAFF!r} created (password {DEMO_PASSWORD!r}, role privacy_officer;"
        " the first sign-in at /backoffice/ enrols a TOTP app)"
    )
