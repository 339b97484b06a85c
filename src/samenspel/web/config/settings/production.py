"""Production settings: everything secret or site-specific comes from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MIDDLEWARE

# WhiteNoise serves the collected static files right after the security middleware.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]

DEBUG = False
try:
    SECRET_KEY = os.environ["SAMENSPEL_SECRET_KEY"]
except KeyError as exc:  # pragma: no cover - exercised by deployment only
    raise ImproperlyConfigured("Set SAMENSPEL_SECRET_KEY for production.") from exc

SECURE_SSL_REDIRECT = os.environ.get("SAMENSPEL_SSL_REDIRECT", "1") == "1"
# SAMENSPEL_SSL_REDIRECT=0 means the reverse proxy redirects HTTP to HTTPS itself (as
# deploy/Caddyfile does), so Django's own redirect is not missing.
SILENCED_SYSTEM_CHECKS = [] if SECURE_SSL_REDIRECT else ["security.W008"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("SAMENSPEL_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
