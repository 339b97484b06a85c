"""Per-programme data versions, and computed figures kept in memory per version.

Every save or delete of a programme's record gives the programme a new random version token in
the same transaction (see ``signals``); bulk writes call :func:`bump` themselves. Figures are
kept in a small per-process LRU keyed by that token, so every worker process agrees on when a
figure is stale, and a rolled-back test database never meets a figure of another test.
Callers treat what :func:`remember` returns as read-only.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar, cast

from .models import DataVersion

T = TypeVar("T")
CAPACITY = 256

_lock = threading.Lock()
_figures: OrderedDict[tuple[Hashable, ...], Any] = OrderedDict()


def bump(programme_id: int) -> None:
    """Give the programme a new version: everything computed before is stale.

    Only an existing version row is changed: without one nothing was computed yet, and a
    programme being deleted must not get a new row half-way through its cascade.
    """
    DataVersion.objects.filter(programme_id=programme_id).update(token=uuid.uuid4().hex)


def version_of(programme_id: int) -> str:
    rows = DataVersion.objects.filter(programme_id=programme_id)
    token = rows.values_list("token", flat=True).first()
    if token is None:  # first figure of this programme: start its version
        token = DataVersion.objects.get_or_create(
            programme_id=programme_id, defaults={"token": uuid.uuid4().hex}
        )[0].token
    return token


def versions_of(programme_ids: Iterable[int]) -> dict[int, str]:
    """Versions of many programmes in one query (creating the missing ones)."""
    ids = list(programme_ids)
    found = dict(
        DataVersion.objects.filter(programme_id__in=ids).values_list("programme_id", "token")
    )
    for pid in ids:
        if pid not in found:
            found[pid] = version_of(pid)
    return found


def remember(
    kind: str,
    programme_id: int,
    key: tuple[Hashable, ...],
    compute: Callable[[], T],
    *,
    version: str | None = None,
) -> T:
    """``compute()``, or the value it gave before for this programme version and key."""
    full = (kind, programme_id, version or version_of(programme_id), *key)
    with _lock:
        if full in _figures:
            _figures.move_to_end(full)
            return cast("T", _figures[full])
    value = compute()
    with _lock:
        _figures[full] = value
        while len(_figures) > CAPACITY:
            _figures.popitem(last=False)
    return value
