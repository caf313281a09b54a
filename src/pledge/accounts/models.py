import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pledge.policy.registry import personal_data
from pledge.vault.blind_index import BlindIndexField
from pledge.vault.fields import EncryptedJSONField, EncryptedTextField


class UserManager(BaseUserManager):
    def create_user(self, username: str, password: str | None = None, **fields):
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **fields):
        return self.create_user(username, password, is_staff=True, is_superuser=True, **fields)


@personal_data(
    personal={
        "username": "user.account.username",
        "password": "user.authorization.credentials",
        "last_login": "user.account.activity",
        "language": "user.demographic.language",
        "subject_id": "user.unique_id",
    },
    non_personal=[
        "id",
        "is_active",
        "is_staff",
        "is_superuser",
        "date_joined",
        "groups",
        "user_permissions",
    ],
)
class User(AbstractBaseUser, PermissionsMixin):
    """A customer or staff login. Personal details beyond the username live in the vault.

    The id is a UUID made by the application, so it exists before any encrypted field that is
    bound to it is written. ``subject_id`` names the person in the vault; staff accounts made
    with ``createsuperuser`` have none until they get a profile.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    username = models.CharField(_("username"), max_length=150, unique=True)
    subject_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=8, default="nl")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.username


@personal_data(
    personal={
        "subject_id": "user.unique_id",
        "email": "user.contact.email",
        "email_index": "user.contact.email",
        "email_verified_at": "user.account.activity",
        "pending_email": "user.contact.email",
        "pending_email_requested_at": "user.account.activity",
        "first_name": "user.name.first",
        "last_name": "user.name.last",
        "phone": "user.contact.phone_number",
    },
    non_personal=["id", "user"],
)
class CustomerProfile(models.Model):
    """The customer's own details, each encrypted with their profile key.

    ``email_index`` is a keyed hash of the address: it finds the account at login and keeps
    addresses unique without the database ever holding the address in plain text.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="customer_profile"
    )
    subject_id = models.UUIDField(db_index=True)
    email = EncryptedTextField(subject_field="subject_id", key="profile")
    email_index = BlindIndexField(source="email", purpose="accounts.email", unique=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    # A new address waits here until its owner clicks the link sent to it; until then the old
    # address stays the one we use (ASVS V6: no takeover by typing someone else's address).
    pending_email = EncryptedTextField(
        subject_field="subject_id", key="profile", null=True, blank=True
    )
    pending_email_requested_at = models.DateTimeField(null=True, blank=True)
    first_name = EncryptedTextField(subject_field="subject_id", key="profile", blank=True)
    last_name = EncryptedTextField(subject_field="subject_id", key="profile", blank=True)
    phone = EncryptedTextField(subject_field="subject_id", key="profile", blank=True)

    class Meta:
        verbose_name = _("customer profile")
        verbose_name_plural = _("customer profiles")

    def __str__(self) -> str:  # never a name or address: this ends up in logs and admin
        return f"customer profile {self.pk}"


@personal_data(
    personal={
        "subject_id": "user.unique_id",
        "label": "user.contact.address",
        "postal_address": "user.contact.address",
    },
    non_personal=["id", "user", "is_default", "created_at"],
)
class Address(models.Model):
    """One entry of the customer's address book.

    ``postal_address`` holds name, street, house_number, postal_code, city and country as one
    encrypted JSON object; the label ("Thuis", "Oma") can say as much, so it is encrypted too.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses"
    )
    subject_id = models.UUIDField(db_index=True)
    label = EncryptedTextField(subject_field="subject_id", key="profile", blank=True)
    postal_address = EncryptedJSONField(subject_field="subject_id", key="profile")
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_default=True),
                name="accounts_one_default_address",
            )
        ]

    def __str__(self) -> str:
        return f"address {self.pk}"


@personal_data(
    personal={
        "session_key_hash": "user.device.cookie_id",
        "user_agent_summary": "user.device.user_agent",
        "created_at": "user.account.activity",
        "last_seen_at": "user.account.activity",
    },
    non_personal=["id", "user"],
)
class AccountSession(models.Model):
    """A signed-in session, so its owner can see it and end it from another device.

    Only a keyed hash of the session key is kept: this table cannot be used to take over a
    session. A session whose row is gone is signed out on its next request.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_sessions"
    )
    session_key_hash = models.CharField(max_length=64, unique=True)
    user_agent_summary = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"session {self.pk}"
