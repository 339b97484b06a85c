"""What one feature offers another without importing it.

A feature registers an offer when Django starts (its ``AppConfig.ready``); another feature asks
the core for it. The dynamics dashboard shows the patient-sharing network this way, which the
population feature computes, and the money pages take a settlement's baseline from the
regiobeeld, so neither imports the other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .models import Programme


@dataclass(frozen=True)
class SharedPatients:
    """The patient-sharing network of one computation: providers, not people."""

    run_id: int
    dataset: str
    year: int | None
    min_shared: int
    network: Mapping[str, Any]  # {"providers": {id: {"kind": ...}}, "ties": [[a, b, n], ...]}
    labels: Mapping[str, str]  # kinds of provider → label in the reader's language


SharedPatientsSource = Callable[[Programme, str], "SharedPatients | None"]
_shared_patients: list[SharedPatientsSource] = []


def offer_shared_patients(source: SharedPatientsSource) -> None:
    """Register a source of patient-sharing networks (programme, requested id → network)."""
    if source not in _shared_patients:
        _shared_patients.append(source)


def shared_patients(programme: Programme, requested: str = "") -> SharedPatients | None:
    """The requested (or the latest) patient-sharing network of ``programme``, if any."""
    for source in _shared_patients:
        found = source(programme, requested)
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class RegionalCost:
    """One financing stream's published cost per inhabitant of the whole region in one year."""

    run_id: int
    year: int
    stream: str
    inhabitants: int
    per_inhabitant: float
    """In euros."""
    truncated_per_inhabitant: float | None = None
    """With each person's cost truncated at the 99th percentile; None: not published."""
    sd_per_inhabitant: float | None = None
    """The spread (standard deviation) of the truncated cost per inhabitant."""


RegionalCostsSource = Callable[[Programme], list[RegionalCost]]
_regional_costs: list[RegionalCostsSource] = []


def offer_regional_costs(source: RegionalCostsSource) -> None:
    """Register a source of regional costs per inhabitant (programme → figures)."""
    if source not in _regional_costs:
        _regional_costs.append(source)


def regional_costs(programme: Programme) -> list[RegionalCost]:
    """The latest regiobeeld's cost per inhabitant per stream and year, where published."""
    for source in _regional_costs:
        found = source(programme)
        if found:
            return found
    return []


Housekeeping = Callable[[], object]
_housekeeping: list[Housekeeping] = []


def offer_housekeeping(job: Housekeeping) -> None:
    """Register a job the background worker runs with each heartbeat (a few seconds apart):
    quick, and safe to run again at any time."""
    if job not in _housekeeping:
        _housekeeping.append(job)


def housekeeping() -> list[Housekeeping]:
    return list(_housekeeping)
