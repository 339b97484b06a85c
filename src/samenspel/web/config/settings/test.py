"""Settings for the test suite: fast hashing, tasks run at once, datasets in a temporary folder."""

import tempfile
from pathlib import Path

from samenspel.web.config.logs import logging_config

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# A run computed inside a test's own transaction: no second connection beats beside it (the
# worker test starts a real worker, which does).
SAMENSPEL_RUN_HEARTBEAT_SECONDS = 0.0
SAMENSPEL_DATASETS_DIR = Path(tempfile.mkdtemp(prefix="samenspel-test-datasets-"))
LOGGING = logging_config(level="WARNING", file="", mail_admins=False)
# Tests that need the second step switch it on themselves.
SAMENSPEL_2FA_REQUIRED = False
