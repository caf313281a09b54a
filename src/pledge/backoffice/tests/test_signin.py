"""Staff sign in with a password and a second factor; the password alone opens nothing."""

import datetime
import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from pledge.audit.models import AuditEvent
from pledge.backoffice.tests.factories import (
    PASSWORD,
    code_for,
    device_of,
    recovery_codes_for,
    staff_create,
)

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

LOGIN = "/backoffice/login/"
DASHBOARD = "/backoffice/"


def password_step(client, staff, password=PASSWORD):
    return client.post(LOGIN, {"username": staff.username, "password": password})


def test_password_alone_never_reaches_the_dashboard(client):
    staff = staff_create(roles=("support",))
    response = password_step(client, staff)
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:login_code")
    dashboard = client.get(DASHBOARD)
    assert dashboard.status_code == 302
    assert dashboard["Location"].startswith(LOGIN)


def test_staff_signed_in_by_password_elsewhere_still_needs_the_code(client):
    staff = staff_create(roles=("support",))
    client.force_login(staff)  # e.g. through the customer login: no second factor
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_password_then_code_reaches_the_dashboard(client):
    staff = staff_create(roles=("support",))
    password_step(client, staff)
    response = client.post(reverse("backoffice:login_code"), {"code": code_for(device_of(staff))})
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200


def test_wrong_code_is_refused_with_a_message(client):
    staff = staff_create(roles=("support",))
    password_step(client, staff)
    right = code_for(device_of(staff))
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(reverse("backoffice:login_code"), {"code": wrong})
    assert response.status_code == 400
    assert "Deze code klopt niet" in response.content.decode()
    assert client.get(DASHBOARD).status_code == 302


def test_a_code_cannot_be_used_before_the_password(client):
    staff = staff_create(roles=("support",))
    response = client.post(reverse("backoffice:login_code"), {"code": code_for(device_of(staff))})
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert client.get(DASHBOARD).status_code == 302


def test_customer_with_the_right_password_is_no_staff_member(client):
    customer = staff_create()
    customer.is_staff = False
    customer.save()
    response = client.post(LOGIN, {"username": customer.username, "password": PASSWORD})
    assert response.status_code == 400
    assert "horen niet bij een medewerkersaccount" in response.content.decode()
    assert "backoffice.pending" not in client.session


def test_first_sign_in_enrols_totp_then_shows_recovery_codes_once(client):
    staff = staff_create(roles=("support",), enrolled=False)
    response = password_step(client, staff)
    assert response["Location"] == reverse("backoffice:login_enrol")
    page = client.get(reverse("backoffice:login_enrol"))
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    # The QR code is drawn here as inline SVG; the secret is shown for manual entry.
    assert "<svg" in html
    assert "http" not in re.search(r"<svg.*?</svg>", html, re.S).group(0).replace(
        "http://www.w3.org", ""
    )
    # Nothing the strict CSP would block: no inline style or script on the page.
    assert "style=" not in html and "<script" not in html
    secret = re.search(r'class="totp-secret">([A-Z2-7]+)<', html).group(1)
    assert len(secret) >= 16
    assert client.get(DASHBOARD).status_code == 302

    wrong = client.post(reverse("backoffice:login_enrol"), {"code": "000000"})
    assert wrong.status_code in (200, 400)
    if code_for(device) != "000000":
        assert "klopt niet" in wrong.content.decode()

    device.refresh_from_db()
    device.throttling_failure_count = 0  # django-otp's back-off after a wrong code: 1 second
    device.save()
    confirmed = client.post(reverse("backoffice:login_enrol"), {"code": code_for(device)})
    assert confirmed.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", confirmed.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=staff).confirmed
    assert client.get(DASHBOARD).status_code == 200
    # Shown once: the security page counts them but does not list them again.
    security_page = client.get(reverse("backoffice:security")).content.decode()
    assert codes[0] not in security_page


def test_recovery_code_signs_in_once(client, django_user_model):
    staff = staff_create(roles=("support",))
    code = recovery_codes_for(staff)[0]
    password_step(client, staff)
    response = client.post(reverse("backoffice:login_code"), {"code": code})
    assert response.status_code == 302
    assert client.get(DASHBOARD).status_code == 200
    login = AuditEvent.objects.filter(action="login", staff_id=str(staff.pk)).get()
    assert login.details == {"factor": "recovery_code"}

    client.post(reverse("backoffice:logout"))
    password_step(client, staff)
    again = client.post(reverse("backoffice:login_code"), {"code": code})
    assert again.status_code == 400
    assert client.get(DASHBOARD).status_code == 302


def test_fifth_wrong_password_locks_the_staff_account(client):
    staff = staff_create(roles=("support",))
    for _ in range(4):
        assert password_step(client, staff, password="verkeerd-wachtwoord").status_code == 400
    locked = password_step(client, staff, password="verkeerd-wachtwoord")
    assert locked.status_code == 403
    # Even the right password is refused now, and no code step is offered.
    assert password_step(client, staff).status_code == 403
    assert "backoffice.pending" not in client.session
    assert AuditEvent.objects.filter(action="lockout", staff_id=str(staff.pk)).count() == 1


def test_wrong_codes_count_towards_the_lockout(client):
    staff = staff_create(roles=("support",))
    device = device_of(staff)
    password_step(client, staff)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    for _ in range(5):
        device.refresh_from_db()
        device.throttling_failure_count = 0  # let django-otp's own back-off not get in the way
        device.save()
        response = client.post(reverse("backoffice:login_code"), {"code": wrong})
    assert response.status_code == 403
    assert password_step(client, staff).status_code == 403


def test_sign_in_and_failures_are_audited_by_staff_id_without_the_user_name(client):
    staff = staff_create(roles=("support",))
    password_step(client, staff, password="verkeerd-wachtwoord")
    password_step(client, staff)
    client.post(reverse("backoffice:login_code"), {"code": code_for(device_of(staff))})
    events = AuditEvent.objects.filter(staff_id=str(staff.pk)).order_by("sequence")
    actions = [event.action for event in events]
    assert "login_failed" in actions
    assert actions[-1] == "login"
    for event in events:
        assert staff.username not in event.details_json
        assert staff.username not in event.object_id


def test_signing_out_ends_the_back_office_session(client):
    staff = staff_create(roles=("support",))
    password_step(client, staff)
    client.post(reverse("backoffice:login_code"), {"code": code_for(device_of(staff))})
    client.post(reverse("backoffice:logout"))
    assert client.get(DASHBOARD).status_code == 302
    assert AuditEvent.objects.filter(action="logout", staff_id=str(staff.pk)).exists()


def test_login_page_is_in_english_under_en(client):
    response = client.get("/en/backoffice/login/")
    assert response.status_code == 200
    assert "Staff sign-in" in response.content.decode()


def test_a_code_typed_right_after_a_wrong_one_asks_to_wait_and_is_not_counted(client):
    staff = staff_create(roles=("support",))
    device = device_of(staff)
    password_step(client, staff)
    right = code_for(device)
    client.post(reverse("backoffice:login_code"), {"code": f"{(int(right) + 1) % 1_000_000:06d}"})
    too_soon = client.post(reverse("backoffice:login_code"), {"code": right})
    assert too_soon.status_code == 429
    assert "wacht 1 seconde" in too_soon.content.decode()
    device.refresh_from_db()
    device.throttling_failure_timestamp -= datetime.timedelta(seconds=2)  # a moment later
    device.save()
    assert client.post(reverse("backoffice:login_code"), {"code": right}).status_code == 302
