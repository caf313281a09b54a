import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pledge.policy.registry import personal_data


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
    bound to it is written.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    username = models.CharField(_("username"), max_length=150, unique=True)
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
