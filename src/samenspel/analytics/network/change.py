"""Change between two survey waves: which ties are new, lost or stable."""

from __future__ import annotations

from dataclasses import dataclass

from .groups import ei_index
from .metrics import degree_centralisation, density
from .model import Network


@dataclass(frozen=True)
class WaveChange:
    new: list[tuple[str, str]]
    lost: list[tuple[str, str]]
    stable: list[tuple[str, str]]
    jaccard: float | None
    """|stable| / |ties in either wave| (undirected ties)."""
    metrics: dict[str, tuple[float | None, float | None]]
    """metric → (earlier, later)."""


def compare_waves(earlier: Network, later: Network, attributes: tuple[str, ...] = ()) -> WaveChange:
    a, b = earlier.undirected().pairs(), later.undirected().pairs()
    union = a | b
    metrics: dict[str, tuple[float | None, float | None]] = {
        "density": (density(earlier.undirected()), density(later.undirected())),
        "degree_centralisation": (degree_centralisation(earlier), degree_centralisation(later)),
    }
    for attribute in attributes:
        metrics[f"ei_{attribute}"] = (
            ei_index(earlier, attribute).index,
            ei_index(later, attribute).index,
        )
    return WaveChange(
        new=sorted(b - a),
        lost=sorted(a - b),
        stable=sorted(a & b),
        jaccard=len(a & b) / len(union) if union else None,
        metrics=metrics,
    )
