"""Contact across groups: Krackhardt–Stern E-I index, group × group contact, Blau diversity."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .model import Network


@dataclass(frozen=True)
class EIResult:
    """E-I index (Krackhardt and Stern 1988, Social Psychology Quarterly 51:123-140):

    EI = (E - I) / (E + I), E = ties between different groups, I = ties within a group.
    -1: all contact stays within groups; +1: all contact crosses groups.
    ``by_group`` gives the same index over the ties of each group's members.
    """

    index: float | None
    external: int
    internal: int
    by_group: dict[str, float | None]


def ei_index(network: Network, attribute: str) -> EIResult:
    values = network.attribute(attribute)
    ties = network.undirected().ties
    external = sum(1 for t in ties if values[t.source] != values[t.target])
    internal = len(ties) - external
    per: dict[str, list[int]] = {v: [0, 0] for v in set(values.values())}
    for t in ties:
        same = values[t.source] == values[t.target]
        for end in {values[t.source], values[t.target]}:
            per[end][1 if same else 0] += 1
    return EIResult(
        index=(external - internal) / len(ties) if ties else None,
        external=external,
        internal=internal,
        by_group={g: ((e - i) / (e + i) if e + i else None) for g, (e, i) in sorted(per.items())},
    )


@dataclass(frozen=True)
class ContactMatrix:
    """Ties between every pair of groups, and the density of contact (ties / possible pairs).

    A cell is ``None`` where it is withheld (see :func:`withhold_small_groups`).
    """

    groups: list[str]
    sizes: dict[str, int]
    ties: dict[str, dict[str, int | None]]
    density: dict[str, dict[str, float | None]]


def contact_matrix(
    network: Network, attribute: str, order: Sequence[str] | None = None
) -> ContactMatrix:
    values = network.attribute(attribute)
    sizes = Counter(values.values())
    groups = [g for g in (order or []) if g in sizes] + sorted(set(sizes) - set(order or []))
    counts: dict[str, dict[str, int | None]] = {a: dict.fromkeys(groups, 0) for a in groups}
    for t in network.undirected().ties:
        a, b = values[t.source], values[t.target]
        counts[a][b] = (counts[a][b] or 0) + 1
        if a != b:
            counts[b][a] = (counts[b][a] or 0) + 1
    dens: dict[str, dict[str, float | None]] = {}
    for a in groups:
        dens[a] = {}
        for b in groups:
            possible = sizes[a] * (sizes[a] - 1) / 2 if a == b else sizes[a] * sizes[b]
            dens[a][b] = (counts[a][b] or 0) / possible if possible else None
    return ContactMatrix(groups, dict(sizes), counts, dens)


def withhold_small_groups(
    matrix: ContactMatrix, minimum: int, respondents: Mapping[str, int] | None = None
) -> ContactMatrix:
    """The matrix with every cell of a group smaller than ``minimum`` withheld (``None``): a row
    of a one-person group would show that person's own ties. With ``respondents`` (per group),
    a group counts as small when fewer than ``minimum`` of its people answered, however many
    it has: the row of a group of ten with one respondent shows that respondent's answers."""
    counted = matrix.sizes if respondents is None else respondents
    small = {g for g in matrix.sizes if counted.get(g, 0) < minimum}
    ties = {
        a: {b: (None if a in small or b in small else n) for b, n in row.items()}
        for a, row in matrix.ties.items()
    }
    density = {
        a: {b: (None if a in small or b in small else d) for b, d in row.items()}
        for a, row in matrix.density.items()
    }
    return ContactMatrix(matrix.groups, dict(matrix.sizes), ties, density)


def blau_index(categories: Iterable[str]) -> float:
    """Blau's index of heterogeneity (Blau 1977): 1 - sum_k p_k^2; 0 when everyone is alike."""
    counts = Counter(categories)
    total = sum(counts.values())
    if total == 0:
        return 0.0
    return 1.0 - sum((c / total) ** 2 for c in counts.values())
