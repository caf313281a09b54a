"""Pledge settings, read from the environment.

Three modes (``PLEDGE_ENV``): ``production`` (the default, so a forgotten variable fails safe),
``demo`` (``pledge demo``: SQLite, insecure defaults allowed, served on loopback) and ``test``.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("PLEDGE_VAR_DIR", PROJECT_DIR / "var"))

PLEDGE_ENV = os.environ.get("PLEDGE_ENV", "production")
if PLEDGE_ENV not in {"production", "demo", "test"}:
    raise ImproperlyConfigured(f"PLEDGE_ENV must be production, demo or test, not {PLEDGE_ENV!r}.")
PRODUCTION = PLEDGE_ENV == "production"


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEMO_SECRET_KEY = "pledge-demo-secret-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", DEMO_SECRET_KEY)
DEBUG = env_flag("DEBUG")

if PRODUCTION:
    # Refuse to start rather than run a shop with a publicly known signing key.
    if SECRET_KEY == DEMO_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "Production mode needs SECRET_KEY (at least 50 random characters). "
            "For a local try-out set PLEDGE_ENV=demo or run `make demo`."
        )
    if DEBUG:
        raise ImproperlyConfigured("DEBUG=true is refused in production: it shows internals.")

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get(
        "ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
    ).split(",")
    if host.strip()
]

PLEDGE_POLICY = os.environ.get("PLEDGE_POLICY", str(PROJECT_DIR / "policies" / "pixeljet.toml"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
    "pledge.policy",
    "pledge.vault",
    "pledge.audit",
    "pledge.mail",
    "pledge.accounts",
    "pledge.backoffice",
    "pledge.consent",
    "pledge.analytics",
    "pledge.social",
    "pledge.shop",
    "pledge.partners",
    "pledge.frame",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Unwrapped per-person keys live for one request only.
    "pledge.vault.middleware.KeyCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # An unreachable vault gives a friendly 503 in the visitor's language, nothing half-written;
    # outside every middleware that may need it (a session time-out audits the sign-out).
    "pledge.vault.middleware.VaultUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Idle and absolute time-outs, and sessions ended from another device (needs request.user).
    "pledge.accounts.middleware.SessionGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pledge.urls"
WSGI_APPLICATION = "pledge.wsgi.application"
ASGI_APPLICATION = "pledge.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pledge.frame.context_processors.site",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'pledge.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    ),
    # The vault: per-subject keys live in a database of their own (see the vault app).
    "vault": dj_database_url.parse(
        os.environ.get("VAULT_DATABASE_URL", f"sqlite:///{VAR_DIR / 'vault.sqlite3'}"),
    ),
}
for database in DATABASES.values():
    if database["ENGINE"].endswith("sqlite3"):
        # WAL lets the demo server read while a worker writes.
        options = database.setdefault("OPTIONS", {})
        options["init_command"] = "PRAGMA journal_mode=WAL;"
        # Take the write lock at BEGIN: a transaction that reads and then appends to the audit
        # chain must not fail half-way with "database is locked".
        options["transaction_mode"] = "IMMEDIATE"

DATABASE_ROUTERS = ["pledge.vault.routers.VaultRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Audit log (src/pledge/audit/README.md; its signing key and checkpoint interval come from the
# environment: PLEDGE_AUDIT_SIGNING_KEY, PLEDGE_AUDIT_CHECKPOINT_EVERY). A subject's audit
# pseudonym is derived from their own vault key, so an erasure anonymises their audit rows.
PLEDGE_AUDIT_PSEUDONYM_SOURCE = "pledge.vault.pseudonyms.subject_audit_pseudonym"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work (django.tasks): the database backend needs no other service; with Redis the
# RQ backend spreads work over as many `pledge rqworker` processes as you run.
if REDIS_URL:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- accounts (owned by the accounts app) ---
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: a locked-out account is refused unchecked
    "pledge.accounts.backends.UsernameOrEmailBackend",
]
AXES_VERBOSE = False  # no start-up banner on every command
# ASVS V6.3.1: 10 wrong passwords per account and IP address lock that pair out for a while.
AXES_FAILURE_LIMIT = 10
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = 0.5  # hours
AXES_RESET_ON_SUCCESS = True
# axes counts per account (its id), not per typed text, and stores no e-mail address.
AXES_USERNAME_CALLABLE = "pledge.accounts.backends.axes_username"
# Masked in the request data axes keeps: passwords, and the login name (maybe an address).
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "password",
    "old_password",
    "new_password1",
    "new_password2",
    "csrfmiddlewaretoken",
]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_STR_CALLABLE = "pledge.accounts.backends.axes_client_str"  # no IP in log lines
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:overview"
LOGOUT_REDIRECT_URL = "frame:home"
# ASVS V7.3.1/V7.3.2 (level 2): signed-in sessions end after 30 idle minutes and 12 hours.
ACCOUNTS_SESSION_IDLE_SECONDS = 30 * 60
ACCOUNTS_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
ACCOUNTS_PASSWORD_RESET_SECONDS = 60 * 60
ACCOUNTS_VERIFY_EMAIL_SECONDS = 3 * 24 * 60 * 60
# Registration, verification, reset and e-mail change mails: per address and per IP address.
ACCOUNTS_MAIL_LIMIT_PER_ADDRESS = 3
ACCOUNTS_MAIL_LIMIT_PER_IP = 20
ACCOUNTS_MAIL_LIMIT_WINDOW_SECONDS = 60 * 60
# --- end accounts ---

# --- backoffice (owned by the backoffice app) ---
# Staff sign in at /backoffice/login/ with a password and a TOTP code (pledge.backoffice.security).
BACKOFFICE_FAILURE_LIMIT = 5  # wrong passwords or codes per account and IP before a lockout
BACKOFFICE_LOCKOUT_MINUTES = 15
BACKOFFICE_IDLE_MINUTES = 15  # no back-office request for this long: sign in again
BACKOFFICE_REAUTH_MINUTES = 5  # exports, erasures, disclosures need a sign-in this recent
BACKOFFICE_PURPOSE_MINUTES = 10  # a chosen purpose opens that one record for this long
# --- end backoffice ---

# --- consent (owned by the consent app) ---
# Cookie consent enforced on the server: the CSP of each response lists only consented vendors.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.csp.ContentSecurityPolicyMiddleware") + 1,
    "pledge.consent.middleware.ConsentMiddleware",
)
# The shop's tag per policy vendor id (an account id is deployment configuration, not policy).
# Rendered only after consent, and only when its host is one the policy lists for that vendor.
CONSENT_VENDOR_SCRIPTS = {
    "google_analytics": os.environ.get(
        "CONSENT_GA_TAG", "https://www.googletagmanager.com/gtag/js?id=G-DEMO"
    ),
    "google_ads": "https://www.googleadservices.com/pagead/conversion_async.js",
    "facebook": "https://connect.facebook.net/nl_NL/fbevents.js",
    "linkedin": "https://snap.licdn.com/li.lms-analytics/insight.min.js",
}
# --- end consent ---

# --- analytics (owned by the analytics app) ---
# --- end analytics ---

# --- mail (owned by the mail app) ---
# Outgoing mail, as Django 6.1 MAILERS (the EMAIL_* settings are deprecated). Tests: locmem
# (Django's test runner makes every mailer locmem anyway; a test may point at its own SMTP
# server). SMTP_HOST set: that server. Demo without SMTP_HOST: one file per mail in var/mail, for
# the demo user to read. Production without SMTP_HOST: the machine's own MTA on localhost:25.
SMTP_STARTTLS = env_flag("SMTP_STARTTLS")
SMTP_SSL = env_flag("SMTP_SSL")
if SMTP_STARTTLS and SMTP_SSL:
    raise ImproperlyConfigured("Set SMTP_STARTTLS or SMTP_SSL, not both.")
if PLEDGE_ENV == "test":
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
elif os.environ.get("SMTP_HOST") or PRODUCTION:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("SMTP_HOST") or "localhost",
                "port": int(
                    os.environ.get("SMTP_PORT")
                    or (465 if SMTP_SSL else 587 if SMTP_STARTTLS else 25)
                ),
                "username": os.environ.get("SMTP_USER", ""),
                "password": os.environ.get("SMTP_PASSWORD", ""),
                "use_tls": SMTP_STARTTLS,
                "use_ssl": SMTP_SSL,
                "timeout": float(os.environ.get("EMAIL_TIMEOUT", "10")),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }
# Unset: the policy's controller address, read when a mail is sent (pledge.mail.conf).
if os.environ.get("DEFAULT_FROM_EMAIL"):
    DEFAULT_FROM_EMAIL = os.environ["DEFAULT_FROM_EMAIL"]
# A claimed message is another worker's to retry after this long (well above EMAIL_TIMEOUT).
PLEDGE_MAIL_LEASE_SECONDS = int(os.environ.get("PLEDGE_MAIL_LEASE_SECONDS", "300"))
# Retries back off exponentially from the base, up to the cap; then the message is FAILED.
PLEDGE_MAIL_MAX_ATTEMPTS = int(os.environ.get("PLEDGE_MAIL_MAX_ATTEMPTS", "10"))
PLEDGE_MAIL_RETRY_BASE_SECONDS = 60
PLEDGE_MAIL_RETRY_MAX_SECONDS = 6 * 3600
# --- end mail ---

# --- shop (owned by the shop app) ---
# Where the links in order mails point: a mail sent on a payment provider's webhook has no
# customer's request to take the site address from. Production: SITE_URL, else the first
# ALLOWED_HOSTS entry over HTTPS; demo: the local server; test: Django's test client host.
SHOP_SITE_URL = os.environ.get("SITE_URL") or (
    f"https://{ALLOWED_HOSTS[0]}"
    if PRODUCTION and ALLOWED_HOSTS
    else "http://testserver"
    if PLEDGE_ENV == "test"
    else "http://127.0.0.1:8000"
)
# An order still waiting for its payment after this many hours is cancelled and its stock put
# back (`pledge orders expire-unpaid`); a payment arriving later is refunded.
SHOP_UNPAID_ORDER_HOURS = int(os.environ.get("SHOP_UNPAID_ORDER_HOURS", "48"))
# Notices after a redirect ("sold out", "marked as shipped") travel in the session, not in a
# "messages" cookie of their own: the policy declares only sessionid, csrftoken, pledge_consent.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# --- end shop ---

# --- partners (owned by the partners app) ---
# Which adapter speaks to each policy recipient of type payment, delivery, supplier,
# review_collector or authority (src/pledge/partners/README.md). Either in code here,
# {recipient id: {"ADAPTER": dotted path or alias, "OPTIONS": {...}}}, or per recipient from the
# environment: PLEDGE_PARTNER_<ID>_ADAPTER / _URL / _SECRET / _API_KEY (secrets only there).
PLEDGE_PARTNERS: dict = {}
# Demo and test: recipients without configuration get the built-in test payment provider and
# the sandbox adapter (nothing leaves the machine). Production needs real configuration.
PLEDGE_PARTNERS_SANDBOX = not PRODUCTION
# Outgoing partner webhooks refuse private, loopback and link-local addresses and plain HTTP;
# only the test suite may reach its own servers on 127.0.0.1.
PLEDGE_PARTNERS_ALLOW_PRIVATE = PLEDGE_ENV == "test"
PLEDGE_PARTNERS_TIMEOUT_SECONDS = float(os.environ.get("PLEDGE_PARTNERS_TIMEOUT_SECONDS", "10"))
PLEDGE_PARTNERS_LEASE_SECONDS = int(os.environ.get("PLEDGE_PARTNERS_LEASE_SECONDS", "300"))
PLEDGE_PARTNERS_MAX_ATTEMPTS = int(os.environ.get("PLEDGE_PARTNERS_MAX_ATTEMPTS", "10"))
PLEDGE_PARTNERS_RETRY_BASE_SECONDS = 60
PLEDGE_PARTNERS_RETRY_MAX_SECONDS = 6 * 3600
# A signed webhook older (or newer) than this is refused as a possible replay.
PLEDGE_PARTNERS_SIGNATURE_TOLERANCE_SECONDS = 300
# --- end partners ---

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# Sessions and cookies: the cookie names are declared in the policy file.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_NAME = "django_language"

# Security headers. A strict, nonce-based CSP; the consent app widens it per consented vendor.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logging: personal data never reaches a log line (see pledge.frame.logging).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "pledge.frame.logging.ScrubPersonalData"}},
    "formatters": {
        "plain": {
            "()": "pledge.frame.logging.ScrubbedFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["scrub"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's request logger attaches the request object; the filter drops it.
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
DEFAULT_EXCEPTION_REPORTER_FILTER = "pledge.frame.logging.NoPersonalDataReporterFilter"
ADMINS = []

if PLEDGE_ENV == "test":
    # Tests of hashing itself opt back in to Argon2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
