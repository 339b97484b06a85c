"""Logging: every record carries the request id; survey tokens and secrets never reach a log.

The request id is made by :class:`samenspel.web.config.middleware.RequestIdMiddleware`, sent
back in the ``X-Request-ID`` header and shown on the error page, so a user's report can be found
in the log.
"""

from __future__ import annotations

import contextvars
import logging
import re
from pathlib import Path
from typing import Any

from django.utils.log import AdminEmailHandler

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# Personal survey links (/s/<token>/) and anything that looks like a secret in a query string.
_SECRETS = (
    (re.compile(r"/s/[A-Za-z0-9_\-]{8,}"), "/s/[token]"),
    (
        re.compile(r"((?:password|passwd|token|secret|otp|csrfmiddleware)[^=&\s]*=)[^&\s]*", re.I),
        r"\1[redacted]",
    ),
)


def redact(text: str) -> str:
    """``text`` with survey tokens and secret query values replaced."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class RequestContextFilter(logging.Filter):
    """Adds ``request_id`` to every record and redacts its message."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed format string: leave the record as it is
            return True
        record.msg, record.args = redact(message), ()
        return True


class RedactedAdminEmailHandler(AdminEmailHandler):
    """Mails the traceback and request id to ADMINS, without the request (path, POST, cookies)."""

    def emit(self, record: logging.LogRecord) -> None:
        record.request = None
        super().emit(record)


def logging_config(*, level: str, file: str, mail_admins: bool) -> dict[str, Any]:
    """Django's LOGGING: stderr always, a file when ``file`` is set, mail to ADMINS optionally."""
    handlers: dict[str, dict[str, Any]] = {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["context"],
        }
    }
    if file:
        Path(file).parent.mkdir(parents=True, exist_ok=True)
        handlers["file"] = {
            "class": "logging.handlers.WatchedFileHandler",
            "filename": file,
            "formatter": "plain",
            "filters": ["context"],
        }
    if mail_admins:
        handlers["mail_admins"] = {
            "class": "samenspel.web.config.logs.RedactedAdminEmailHandler",
            "level": "ERROR",
            "filters": ["context"],
        }
    names = list(handlers)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "samenspel.web.config.logs.RequestContextFilter"}},
        "formatters": {
            "plain": {
                "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s",
            }
        },
        "handlers": handlers,
        "root": {"handlers": names, "level": level},
        "loggers": {
            "django": {"handlers": names, "level": level, "propagate": False},
            "django.server": {"handlers": names, "level": level, "propagate": False},
            "samenspel": {"handlers": names, "level": level, "propagate": False},
        },
    }
