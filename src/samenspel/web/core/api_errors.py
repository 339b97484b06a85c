"""The error answers the API documents, shared by every router, so clients can rely on them."""

from typing import Any

from samenspel.web.core.schemas import ErrorOut

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
"""Not signed in, not found (or not yours), invalid path or query parameter."""

WRITE_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}
"""Also: an unreadable body (400), no right to change this (403), a stale version (409)."""
