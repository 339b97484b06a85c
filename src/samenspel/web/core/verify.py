"""Which frozen version a PDF or JSON file carries, and what the parties decided on it.

A PDF names the fingerprint of what it shows in its metadata; a JSON export of an agreement
names it as ``fingerprint`` and holds the figures themselves, which are held against the frozen
version's. A PDF's figures are not signed: it is identified by its fingerprint, not proven.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps

from .accounts.notices import display_name
from .approvals import FINGERPRINT_LABEL, FrozenVersion, round_status

_IN_PDF = re.compile(re.escape(FINGERPRINT_LABEL).encode() + rb":([0-9a-f]{64})")
_STREAM = re.compile(rb"stream\r?\n")


class VerifyError(ValueError):
    """A file that is neither a PDF nor a JSON export, or names no fingerprint."""


@dataclass(frozen=True)
class Decided:
    party: str
    decision: str
    by: str
    at: datetime


@dataclass(frozen=True)
class Found:
    """One frozen version the file corresponds to."""

    subject: str
    number: int
    fingerprint: str
    frozen_at: datetime
    status: str
    """"approved" by every party, "rejected" by one, or "awaiting"."""
    decided: list[Decided]
    awaiting: list[str]
    later: int
    """Versions frozen after this one."""
    holds: bool | None
    """A JSON export: whether its figures are exactly the version's; None for a PDF."""


@dataclass(frozen=True)
class Verification:
    kind: str
    """"pdf" or "json"."""
    claimed: str | None
    """The fingerprint the file names, if any."""
    found: list[Found] = field(default_factory=list)


def _frozen_models() -> list[Any]:
    """The concrete models of frozen versions (agreement rounds, plan versions)."""
    return [m for m in apps.get_models() if issubclass(m, FrozenVersion)]


def pdf_fingerprints(data: bytes) -> list[str]:
    """The fingerprints a PDF names, in its plain or compressed objects."""
    texts = [data]
    for match in _STREAM.finditer(data):
        end = data.find(b"endstream", match.end())
        try:
            texts.append(zlib.decompressobj().decompress(data[match.end() : end]))
        except zlib.error:
            continue
    return sorted({m.decode() for text in texts for m in _IN_PDF.findall(text)})


def _found(version: FrozenVersion, holds: bool | None) -> Found:
    concrete: Any = version  # every frozen version has its ``approvals`` and ``parties``
    approvals = {
        a.organisation_id: a
        for a in concrete.approvals.select_related("organisation", "decided_by")
    }
    parties = list(concrete.parties.order_by("name"))
    decided = [
        Decided(
            p.name,
            approvals[p.pk].decision,
            display_name(approvals[p.pk].decided_by) if approvals[p.pk].decided_by else "",
            approvals[p.pk].decided_at,
        )
        for p in parties
        if p.pk in approvals
    ]
    return Found(
        subject=version.subject(),
        number=version.number,
        fingerprint=version.fingerprint,
        frozen_at=version.frozen_at,
        status=round_status(
            [approvals[p.pk].decision if p.pk in approvals else None for p in parties],
            stale=False,
        ),
        decided=decided,
        awaiting=[p.name for p in parties if p.pk not in approvals],
        later=version.later_versions(),
        holds=holds,
    )


def verify(data: bytes) -> Verification:
    """The frozen versions ``data`` (a PDF or a JSON export) corresponds to."""
    if data.startswith(b"%PDF"):
        named = pdf_fingerprints(data)
        if not named:
            raise VerifyError("this PDF names no fingerprint: it was not made by Samenspel")
        versions = [
            v for model in _frozen_models() for v in model.objects.filter(fingerprint__in=named)
        ]
        return Verification("pdf", named[0], [_found(v, None) for v in versions])
    try:
        document: Any = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VerifyError("neither a PDF nor a JSON export") from exc
    claimed = document.get("fingerprint") if isinstance(document, dict) else None
    given = {"fingerprint": claimed} if isinstance(claimed, str) else {}
    candidates = [v for model in _frozen_models() for v in model.objects.filter(**given)]
    held = [(v, v.holds_document(document)) for v in candidates]
    if not isinstance(claimed, str):  # no name given: the versions whose figures it holds
        held = [(v, holds) for v, holds in held if holds]
    found = [_found(v, holds) for v, holds in held]
    return Verification("json", claimed if isinstance(claimed, str) else None, found)
