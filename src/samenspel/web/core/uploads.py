"""What every upload shares: one size limit, and problem lists that stay readable.

A file with 20,000 bad rows must not produce a page of megabytes: the first
:data:`MAX_PROBLEMS_SHOWN` problems are listed with the total count.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_PROBLEMS_SHOWN = 100
T = TypeVar("T")


def row_label(number: int) -> str:
    """A row as a spreadsheet numbers it (the header is row 1), in the reader's language."""
    return _("row %(row)d") % {"row": number}


def limit_bytes() -> int:
    return int(settings.SAMENSPEL_UPLOAD_LIMIT_MB) * 1024 * 1024


def check_size(upload: UploadedFile[bytes]) -> None:
    """Refuse a file above SAMENSPEL_UPLOAD_LIMIT_MB with a message that names it."""
    size = upload.size or 0
    if size > limit_bytes():
        raise ValidationError(
            _(
                "%(file)s is %(size).1f MB; files of up to %(limit)d MB can be uploaded. "
                "For larger population data, ask the administrator to register a server folder."
            )
            % {
                "file": upload.name,
                "size": size / 1024 / 1024,
                "limit": settings.SAMENSPEL_UPLOAD_LIMIT_MB,
            },
            code="too_large",
        )


def first_problems(problems: Sequence[T]) -> dict[str, object]:
    """Template context: the first problems to list and how many there are in all."""
    return {"problems": list(problems[:MAX_PROBLEMS_SHOWN]), "problem_total": len(problems)}
