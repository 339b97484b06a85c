"""Settings shared by every environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from samenspel.analytics.population.sharing import DEFAULT_MIN_SHARED
from samenspel.analytics.population.thresholds import DEFAULT_THRESHOLD, MINIMUM_THRESHOLD
from samenspel.web.config.logs import logging_config

WEB_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("SAMENSPEL_DATA_DIR", Path.cwd() / "var")).resolve()

SECRET_KEY = os.environ.get("SAMENSPEL_SECRET_KEY", "insecure-local-development-key-change-me")
DEBUG = False
ALLOWED_HOSTS: list[str] = [
    h for h in os.environ.get("SAMENSPEL_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",
    "samenspel.web.core.accounts",
    "samenspel.web.core",
    "samenspel.web.finance",
    "samenspel.web.dynamics",
    "samenspel.web.monitoring",
    "samenspel.web.regioplan",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "samenspel.web.config.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "samenspel.web.config.middleware.IdleSessionMiddleware",
    "samenspel.web.config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "samenspel.web.core.accounts.two_factor.TwoFactorMiddleware",
    "samenspel.web.core.accounts.audit.ActingUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "samenspel.web.config.urls"
WSGI_APPLICATION = "samenspel.web.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'samenspel.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several web workers and the task worker write to one file: write-ahead logging lets readers
    # go on while one writes; IMMEDIATE transactions take the write lock at their start, so two
    # transactions never deadlock upgrading a read lock (which SQLite answers with "database is
    # locked" at once, without waiting); the busy timeout makes a writer wait its turn.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Two-factor log-in (authenticator app) for programme directors and staff; others may opt in.
SAMENSPEL_2FA_REQUIRED = os.environ.get("SAMENSPEL_2FA_REQUIRED", "1") == "1"
OTP_TOTP_ISSUER = "Samenspel"

# Login throttling (django-axes): lock a username+address pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# ...and refuse every log-in from an address with this many failures, whatever the usernames
# (password spraying), within the same cool-off time.
SAMENSPEL_LOGIN_FAILURES_PER_ADDRESS = int(
    os.environ.get("SAMENSPEL_LOGIN_FAILURES_PER_ADDRESS", "20")
)
# Reverse proxies in front of the app that append the client's address to X-Forwarded-For
# (1 behind Caddy or nginx as in docs/operations.md); 0 ignores the header.
SAMENSPEL_PROXY_COUNT = int(os.environ.get("SAMENSPEL_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "samenspel.web.core.accounts.throttle.client_address"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [WEB_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [WEB_DIR / "static"]

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# A session ends after this many minutes without a request (and when the browser closes).
SESSION_COOKIE_AGE = int(os.environ.get("SAMENSPEL_SESSION_MINUTES", "60")) * 60
# An idle session ends after SESSION_COOKIE_AGE; a used one is saved again (its end moved) at
# most this often (IdleSessionMiddleware), not on every request.
SAMENSPEL_SESSION_REFRESH_SECONDS = int(os.environ.get("SAMENSPEL_SESSION_REFRESH_SECONDS", "60"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Content-Security-Policy: scripts, styles, images and fonts only from this site; no inline or
# evaluated script. Inline style attributes stay allowed for the SVG charts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Upload limits for imports (bytes).
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# Largest file a user may upload (tables, programme files, population data), in megabytes.
SAMENSPEL_UPLOAD_LIMIT_MB = int(os.environ.get("SAMENSPEL_UPLOAD_LIMIT_MB", "200"))

# Logging: stderr, plus a file with SAMENSPEL_LOG_FILE; every 500 is logged with its traceback
# and request id. SAMENSPEL_ADMINS="Name <a@example.org>,..." also mails them (needs SMTP).
ADMINS = [
    (a.split("<")[0].strip(), a.split("<")[-1].rstrip(">").strip())
    for a in os.environ.get("SAMENSPEL_ADMINS", "").split(",")
    if a.strip()
]
LOGGING = logging_config(
    level=os.environ.get("SAMENSPEL_LOG_LEVEL", "INFO"),
    file=os.environ.get("SAMENSPEL_LOG_FILE", ""),
    mail_admins=bool(ADMINS),
)

NINJA_PAGINATION_PER_PAGE = 100

# Mail (survey invitations, reminders, error reports): SMTP from the environment.
EMAIL_BACKEND = os.environ.get(
    "SAMENSPEL_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("SAMENSPEL_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SAMENSPEL_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("SAMENSPEL_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SAMENSPEL_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("SAMENSPEL_EMAIL_TLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("SAMENSPEL_EMAIL_SSL", "0") == "1"
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("SAMENSPEL_EMAIL_FROM", "Samenspel <samenspel@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address personal survey links in mail start with (mail goes out from the task worker,
# which has no request to take it from).
SAMENSPEL_SITE_URL = os.environ.get("SAMENSPEL_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Background work (regiobeeld runs) goes through a task queue stored in the database; run
# `python manage.py db_worker` next to the web server (`samenspel serve` starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Population figures: counts below this number are never shown or exported.
def _threshold(name: str) -> int:
    """A suppression threshold from the environment: a whole number, at least the minimum."""
    raw = os.environ.get(name, str(DEFAULT_THRESHOLD))
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < MINIMUM_THRESHOLD:
        raise ImproperlyConfigured(
            f"{name}={value} is below the minimum of {MINIMUM_THRESHOLD}: counts of fewer "
            "persons are never published."
        )
    return value


SAMENSPEL_SUPPRESSION_THRESHOLD = _threshold("SAMENSPEL_SUPPRESSION_THRESHOLD")
# A regiobeeld run's worker records that it is alive every SAMENSPEL_RUN_HEARTBEAT_SECONDS (0:
# only at each step); a run silent for SAMENSPEL_RUN_STALE_MINUTES was stopped and shows as such.
SAMENSPEL_RUN_HEARTBEAT_SECONDS = float(os.environ.get("SAMENSPEL_RUN_HEARTBEAT_SECONDS", "5"))
SAMENSPEL_RUN_STALE_MINUTES = float(os.environ.get("SAMENSPEL_RUN_STALE_MINUTES", "1"))
# Patient-sharing network: providers are tied when they share at least this many patients.
SAMENSPEL_MIN_SHARED_PATIENTS = int(
    os.environ.get("SAMENSPEL_MIN_SHARED_PATIENTS", DEFAULT_MIN_SHARED)
)
SAMENSPEL_DATASETS_DIR = DATA_DIR / "datasets"
# Folders an administrator placed on the server (too large to upload) can be registered from here.
SAMENSPEL_IMPORT_DIR = Path(os.environ.get("SAMENSPEL_IMPORT_DIR", DATA_DIR / "import"))
# Largest synthetic dataset the web app generates on request (the CLI has no limit).
SAMENSPEL_WEB_SYNTH_LIMIT = 200_000
# The worker (`samenspel worker`) records a heartbeat this often; the health endpoint
# (/health/) reports a worker silent for longer than SAMENSPEL_WORKER_SILENT_SECONDS as stopped.
SAMENSPEL_WORKER_HEARTBEAT_SECONDS = float(
    os.environ.get("SAMENSPEL_WORKER_HEARTBEAT_SECONDS", "5")
)
SAMENSPEL_WORKER_SILENT_SECONDS = float(os.environ.get("SAMENSPEL_WORKER_SILENT_SECONDS", "60"))
