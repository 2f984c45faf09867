"""Django settings for PartnerOps, read from environment variables.

Every value comes from a typed reader in ``partnerops.env`` that names the
variable when its value is wrong. The README lists every variable.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from partnerops.env import env_bool, env_days, env_email, env_int, env_list, env_str, env_url

# Lets ModelForm[Model] and friends be subscripted at run time, as the type checker sees them.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent
# Runtime state (the embedded database, uploads, collected static files) lives in
# one folder so that a newcomer can delete it to start over.
VAR_DIR = Path(env_str("PARTNEROPS_VAR_DIR", str(Path.cwd() / "var"))).resolve()

DEVELOPMENT_SECRET_KEY = "insecure-development-key-do-not-use-in-production-0123456789"  # noqa: S105

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is the development default while DEBUG is off; "
        "set SECRET_KEY to a long random value (python -c 'import secrets; "
        "print(secrets.token_urlsafe(64))')."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "axes",
    "partnerops.core",
    "partnerops.crm",
    "partnerops.outbox",
    "partnerops.contracts",
    "partnerops.hubs",
    "partnerops.costs",
    "partnerops.usage",
    "partnerops.playbooks",
    "partnerops.invoicing",
    "partnerops.team",
    "partnerops.grants",
    # The project level (tick, demo): after the apps it drives.
    "partnerops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "partnerops.core.middleware.SecurityHeadersMiddleware",
    "partnerops.core.middleware.LoginRequiredMiddleware",
    "partnerops.api.problems.ProblemResponsesMiddleware",
    # Axes last, as its documentation asks, so that it sees the final response.
    "axes.middleware.AxesMiddleware",
]

# Sent by SecurityHeadersMiddleware on every answer that is not a static file.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), browsing-topics=()"
)

ROOT_URLCONF = "partnerops.urls"
WSGI_APPLICATION = "partnerops.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partnerops.core.context_processors.navigation",
            ],
        },
    },
]


def _database_settings() -> dict[str, Any]:
    default_url = f"sqlite:///{VAR_DIR / 'partnerops.sqlite3'}"
    url = env_str("DATABASE_URL", default_url)
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL={url!r} cannot be used: {error}") from None
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        if config["NAME"] and config["NAME"] != ":memory:":
            # A fresh checkout has no var/ yet; the embedded database creates itself.
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # IMMEDIATE takes the write lock at BEGIN, so two writers queue
            # instead of failing with "database is locked" half-way through.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    elif engine != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"DATABASE_URL={url!r} names {engine}; PartnerOps supports sqlite:// and postgres://."
        )
    config["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", "") or None}
    return config


DATABASES = {"default": _database_settings()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out login before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "partnerops.core.backends.RoleBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "crm:board"
LOGOUT_REDIRECT_URL = "login"

# Failed-login throttling (django-axes): lock a username+address pair out for a
# while after a few failures, and say so on the login page.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
# Per username and address, and per address across usernames with its own, higher
# limit (core/throttle.py); failed API token attempts count under "(API token)".
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "partnerops.core.throttle.ThrottlingHandler"
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20, minimum=1)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# partnerops/static is found as the project-level app's static folder (apps.py).
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Email: the console in development unless an SMTP host is given.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_email("DEFAULT_FROM_EMAIL", "partnerships@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The organisation's own identity: the first values of the profile that
# administrators edit in the app (Settings page); the database wins afterwards.
PARTNEROPS_IDENTITY = {
    "name": env_str("ORG_NAME", "Example Hubs"),
    "partnerships_email": env_email("PARTNERSHIPS_EMAIL", "partnerships@example.org"),
    "fiscal_sponsor_name": env_str("FISCAL_SPONSOR_NAME", "Example Fiscal Sponsor"),
    "operations_email": env_email("OPERATIONS_EMAIL", "operations@sponsor.example.org"),
    "scheduling_link": env_url("SCHEDULING_LINK", "https://example.org/schedule-a-meeting"),
}

# Production hardening; `partnerops check --deploy` reports no warnings with these.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True

PAGE_SIZE = env_int("PAGE_SIZE", 50, minimum=1)
# /readyz: an email due for longer than this means the outbox worker is not running;
# a tick older than this (it runs daily) means the timer stopped.
READY_OUTBOX_STUCK_MINUTES = env_int("READY_OUTBOX_STUCK_MINUTES", 30, minimum=1)
READY_TICK_MAX_AGE_HOURS = env_int("READY_TICK_MAX_AGE_HOURS", 26, minimum=1)

# Renewals (domain facts): the window before an end date, when a lapsed agreement
# is ready for decommissioning, extension steps, reminder days, check-in links.
RENEWAL_WINDOW_DAYS = env_int("RENEWAL_WINDOW_DAYS", 90, minimum=1)
DECOMMISSION_AFTER_DAYS = env_int("DECOMMISSION_AFTER_DAYS", 42, minimum=1)
EXTENSION_STEP_DAYS = env_int("EXTENSION_STEP_DAYS", 14, minimum=1)
RENEWAL_REMINDER_DAYS = sorted(env_days("RENEWAL_REMINDER_DAYS", [90, 60, 30]), reverse=True)
CHECK_IN_LINK_DAYS = env_int("CHECK_IN_LINK_DAYS", 30, minimum=1)

# Invoicing (seed 004; account codes from the domain facts).
INVOICE_ISSUER = env_str("INVOICE_ISSUER", "FS")  # numbers are gapless per issuer and year
INVOICE_NUMBER_FORMAT = env_str("INVOICE_NUMBER_FORMAT", "{year}-{number:04d}")
CREDIT_NOTE_NUMBER_FORMAT = env_str("CREDIT_NOTE_NUMBER_FORMAT", "CN-{year}-{number:04d}")
INVOICE_PAYMENT_DAYS = env_int("INVOICE_PAYMENT_DAYS", 30, minimum=0)
INVOICE_OVERDUE_REMINDER_DAYS = sorted(env_days("INVOICE_OVERDUE_REMINDER_DAYS", [7, 30, 60]))
INVOICE_PAYMENT_INSTRUCTIONS = env_str(
    "INVOICE_PAYMENT_INSTRUCTIONS",
    "Pay by bank transfer to the account on file, quoting the invoice number.",
)
INVOICE_TAX_TYPE = env_str("INVOICE_TAX_TYPE", "Tax Exempt")  # Xero's TaxType column
XERO_DATE_FORMAT = env_str(
    "XERO_DATE_FORMAT", "%d/%m/%Y"
)  # as the Xero organisation's region expects
CONFIRMATION_LINK_DAYS = env_int("CONFIRMATION_LINK_DAYS", 14, minimum=1)
ACCOUNT_CODES = {
    "membership_fee": env_str("ACCOUNT_CODE_MEMBERSHIP", "4221"),
    "cloud_costs": env_str("ACCOUNT_CODE_CLOUD", "4222"),
    "usage_fee": env_str("ACCOUNT_CODE_USAGE", "4223"),
    "operations_fee": env_str("ACCOUNT_CODE_SERVICE", "4224"),
    "dedicated_markup": env_str("ACCOUNT_CODE_SERVICE", "4224"),
    "support_hours": env_str("ACCOUNT_CODE_SERVICE", "4224"),
    "adjustment": env_str("ACCOUNT_CODE_SERVICE", "4224"),
}

# Playbooks: shared documents' links, and the engineering hand-off's GitHub repository.
DOCUMENT_LINK_DAYS = env_int("DOCUMENT_LINK_DAYS", 30, minimum=1)
GITHUB_REPOSITORY = env_str("GITHUB_REPOSITORY", "")  # owner/name; empty: prefilled links only
GITHUB_TOKEN = env_str("GITHUB_TOKEN", "")
GITHUB_API_URL = env_url("GITHUB_API_URL", "https://api.github.com")
GITHUB_TIMEOUT = env_int("GITHUB_TIMEOUT", 15, minimum=1)

# Uploads and what reading them may take (issue 17): every read of an uploaded file is
# bounded. Cost exports are often compressed, so what they unpack to is bounded too,
# and DuckDB reads with a memory limit (spilling to disk beyond it).
COST_UPLOAD_MAX_BYTES = env_int("COST_UPLOAD_MAX_BYTES", 5_000_000_000, minimum=1)
COST_MAX_FILE_BYTES = env_int("COST_MAX_FILE_BYTES", 50_000_000_000, minimum=1)
COST_READER_MEMORY = env_str("COST_READER_MEMORY", "2GB")  # DuckDB's memory_limit per import
EMAIL_UPLOAD_MAX_BYTES = env_int("EMAIL_UPLOAD_MAX_BYTES", 25_000_000, minimum=1)
EMAIL_MAX_ATTACHMENTS = env_int("EMAIL_MAX_ATTACHMENTS", 20, minimum=0)

# The address people reach the app at, for links in emails (no trailing slash).
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
