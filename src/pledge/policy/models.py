from django.db import models

from .registry import personal_data


@personal_data(
    personal={},
    non_personal=["id", "version", "effective", "sha256", "source", "published_at"],
)
class PublishedPolicy(models.Model):
    """Every policy version the shop has put in force, with its exact text.

    Kept so that a later version can be compared with what a visitor actually saw (re-asking
    consent after a material change) and so the history can be shown to an auditor.
    """

    version = models.CharField(max_length=64)
    effective = models.DateField()
    sha256 = models.CharField(max_length=64, unique=True)
    source = models.TextField()
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at"]
        get_latest_by = "published_at"

    def __str__(self) -> str:
        return f"{self.version} ({self.sha256[:12]})"
