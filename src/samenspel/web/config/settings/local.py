"""Local development and demo settings: SQLite in ./var, debug pages on loopback only.

Two-factor log-in is not required here unless ``SAMENSPEL_2FA_REQUIRED=1``.
``SAMENSPEL_DEBUG=0`` turns the debug pages off, as the load benchmark does to measure the app
as it runs in production, without Django's per-query debug bookkeeping.
"""

import os

from .base import *  # noqa: F403
from .base import DATA_DIR

DEBUG = os.environ.get("SAMENSPEL_DEBUG", "1") == "1"
# The demo on this machine asks no second step; production requires it (SAMENSPEL_2FA_REQUIRED).
SAMENSPEL_2FA_REQUIRED = os.environ.get("SAMENSPEL_2FA_REQUIRED", "0") == "1"
DATA_DIR.mkdir(parents=True, exist_ok=True)
# Mail is printed in the terminal unless an SMTP server is configured.
EMAIL_BACKEND = os.environ.get(
    "SAMENSPEL_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
