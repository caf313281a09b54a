"""Authorities: no automatic channel. The privacy officer records each disclosure in the back
office, which produces the file (JSON and PDF) they hand over, e.g. on a secure portal."""

from .base import BaseAuthorityAdapter


class ManualAuthorityAdapter(BaseAuthorityAdapter):
    channel = "manual"
