"""What one page view is, read from the request alone: coarse, and nothing the device stores.

Pure functions; the IP address and user agent go into ``visitor_hash`` and nowhere else.
"""

import hashlib
import hmac
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.translation import get_language_from_path, override

from .models import DeviceClass

BOT = "bot"
MAX_PATH = 512
MAX_REFERRER = 2048
# Coarse: whatever declares itself automated, and the usual headless/script clients.
_BOT_UA = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|headless|lighthouse|pingdom|"
    r"curl|wget|python|java/|go-http|httpclient|okhttp|scrapy|phantomjs|preview",
    re.IGNORECASE,
)
_TABLET_UA = re.compile(r"ipad|tablet|kindle|silk|playbook", re.IGNORECASE)
_MOBILE_UA = re.compile(r"mobi|iphone|ipod|android|windows phone", re.IGNORECASE)
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?")
_REGION = re.compile(r"[A-Za-z]{2,3}-([A-Za-z]{2})(?:-|$)")


def device_class(user_agent: str) -> str:
    """desktop, mobile, tablet or bot; an empty user agent counts as a bot."""
    if not user_agent or _BOT_UA.search(user_agent):
        return BOT
    if _TABLET_UA.search(user_agent) or (
        "android" in user_agent.lower() and "mobile" not in user_agent.lower()
    ):
        return DeviceClass.TABLET
    if _MOBILE_UA.search(user_agent):
        return DeviceClass.MOBILE
    return DeviceClass.DESKTOP


def country_from(accept_language: str) -> str:
    """The region of the first language tag that names one ("nl-NL" -> "NL"), else ""."""
    for part in accept_language.split(",")[:10]:
        match = _REGION.match(part.split(";")[0].strip())
        if match:
            return match.group(1).upper()
    return ""


def referrer_host(referrer: str, *, site_host: str) -> str:
    """Only the host of an outside referrer; our own pages and anything malformed give ""."""
    if not referrer or len(referrer) > MAX_REFERRER:
        return ""
    try:
        parts = urlsplit(referrer)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return ""
    if parts.scheme not in {"http", "https"} or not _HOST.fullmatch(host):
        return ""
    return "" if host == site_host.split(":")[0].lower() else host


def site_path(path: str) -> str | None:
    """The path as stored, or None when it is not one of this site's pages.

    A page whose URL carries a value (a reset token, an id) is stored by its route, so no token
    or identifier ever reaches the statistics.
    """
    if not path.startswith("/") or path.startswith("//") or len(path) > MAX_PATH:
        return None
    path = path.split("?")[0].split("#")[0]
    if any(ord(char) < 33 or ord(char) == 127 for char in path):
        return None
    language = get_language_from_path(path) or settings.LANGUAGE_CODE
    try:
        with override(language):
            match = resolve(path)
    except Resolver404:
        return None
    if match.args or match.kwargs:
        return "/" + match.route
    return path


def visitor_hash(*, salt: bytes, site: str, ip_address: str, user_agent: str) -> str:
    """HMAC-SHA256 under the day's salt: the same visitor is one visitor that day only."""
    message = "\x1f".join((site, ip_address, user_agent)).encode()
    return hmac.new(salt, message, hashlib.sha256).hexdigest()
