"""Cookieless statistics: a daily salt, and page views that name a visitor only by a hash.

No IP address and no user agent is ever stored: both live in memory for the one request that
computes the visitor hash. The salt of a day is deleted after the statistics purpose's retention
(the policy), after which that day's hashes can no longer be recomputed or linked to anyone.
"""

from django.db import models

from pledge.policy.registry import personal_data


@personal_data(personal={}, non_personal=["id", "day", "salt", "created_at"])
class DailySalt(models.Model):
    """The random key of one day's visitor hashes; deleted once the day is over."""

    id = models.BigAutoField(primary_key=True)
    day = models.DateField(unique=True)
    salt = models.BinaryField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"salt of {self.day}"


class DeviceClass(models.TextChoices):
    DESKTOP = "desktop", "desktop"
    MOBILE = "mobile", "mobile"
    TABLET = "tablet", "tablet"


@personal_data(
    personal={
        # A hash of IP address and user agent: still personal data (pseudonymous) while the
        # day's salt exists; it is cleared when the salt goes (services.salts_rotate).
        "visitor_hash": "user.unique_id.probablistic",
        "path": "user.behavior.browsing_history",
        "referrer_host": "user.behavior.browsing_history",
        # Coarse, but stored beside the hash: part of the same pseudonymous page view.
        "device_class": "user.behavior.browsing_history",
        "country": "user.behavior.browsing_history",
    },
    non_personal=["id", "day"],
)
class PageView(models.Model):
    id = models.BigAutoField(primary_key=True)
    day = models.DateField(db_index=True)
    # The site path without query string; a path with a token or id in it is stored as its
    # route ("/account/reset/<uidb64>/<token>/").
    path = models.CharField(max_length=512)
    referrer_host = models.CharField(max_length=253, blank=True)
    device_class = models.CharField(max_length=8, choices=DeviceClass.choices)
    country = models.CharField(max_length=2, blank=True)  # from Accept-Language, never GeoIP
    visitor_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["day", "visitor_hash"], name="analytics_day_visitor")]

    def __str__(self) -> str:
        return f"page view {self.id} on {self.day}"


@personal_data(personal={}, non_personal=["day", "visitors"])
class DailyVisitors(models.Model):
    """A past day's number of distinct visitors, kept once its hashes are cleared."""

    day = models.DateField(primary_key=True)
    visitors = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.visitors} visitors on {self.day}"
