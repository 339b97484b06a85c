"""Settings shared by every environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

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
    "ninja",
    "samenspel.web.accounts",
    "samenspel.web.partnership",
    "samenspel.web.finance",
    "samenspel.web.dynamics",
    "samenspel.web.monitoring",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "samenspel.web.config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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

# Login throttling (django-axes): lock a username+address pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

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
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Upload limits for imports (bytes).
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

NINJA_PAGINATION_PER_PAGE = 100

# Background work (regiobeeld runs) goes through a task queue stored in the database; run
# `python manage.py db_worker` next to the web server (`samenspel serve` starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Population figures: counts below this number are never shown or exported.
SAMENSPEL_SUPPRESSION_THRESHOLD = int(os.environ.get("SAMENSPEL_SUPPRESSION_THRESHOLD", "10"))
# A regiobeeld run that reports no progress for this long was stopped and is marked failed.
SAMENSPEL_RUN_STALE_MINUTES = int(os.environ.get("SAMENSPEL_RUN_STALE_MINUTES", "30"))
# Patient-sharing network: providers are tied when they share at least this many patients.
SAMENSPEL_MIN_SHARED_PATIENTS = int(os.environ.get("SAMENSPEL_MIN_SHARED_PATIENTS", "9"))
SAMENSPEL_DATASETS_DIR = DATA_DIR / "datasets"
# Folders an administrator placed on the server (too large to upload) can be registered from here.
SAMENSPEL_IMPORT_DIR = Path(os.environ.get("SAMENSPEL_IMPORT_DIR", DATA_DIR / "import"))
# Largest synthetic dataset the web app generates on request (the CLI has no limit).
SAMENSPEL_WEB_SYNTH_LIMIT = 200_000
