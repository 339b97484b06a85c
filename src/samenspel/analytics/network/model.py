"""A collaboration network: people (nodes with attributes) and ties between them."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


class NetworkError(ValueError):
    """The network data is not well formed; the message names the node or tie."""


@dataclass(frozen=True)
class Tie:
    source: str
    target: str
    weight: float = 1.0


@dataclass
class Network:
    """Nodes (id → attributes such as stakeholder group, layer, organisation) and ties.

    An undirected network stores each tie once; a directed one (survey: respondent → named
    partner) keeps the direction. Self-ties are refused; repeated ties are merged (weights add).
    """

    nodes: dict[str, dict[str, str]]
    ties: list[Tie] = field(default_factory=list)
    directed: bool = False
    # the undirected view, made once: every measure asks for it
    _undirected: Network | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        merged: dict[tuple[str, str], float] = {}
        for tie in self.ties:
            for end in (tie.source, tie.target):
                if end not in self.nodes:
                    raise NetworkError(f"tie {tie.source}–{tie.target}: unknown node {end!r}")
            if tie.source == tie.target:
                raise NetworkError(f"tie {tie.source}–{tie.target}: a node cannot tie to itself")
            if not math.isfinite(tie.weight) or tie.weight <= 0:
                raise NetworkError(
                    f"tie {tie.source}–{tie.target}: weight must be a positive finite number"
                )
            key = self.key(tie.source, tie.target)
            merged[key] = merged.get(key, 0.0) + tie.weight
        self.ties = [Tie(a, b, w) for (a, b), w in sorted(merged.items())]

    def key(self, a: str, b: str) -> tuple[str, str]:
        return (a, b) if self.directed or a < b else (b, a)

    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def ids(self) -> list[str]:
        return sorted(self.nodes)

    def pairs(self) -> set[tuple[str, str]]:
        return {(t.source, t.target) for t in self.ties}

    def undirected(self) -> Network:
        """The same network with directions dropped (a reciprocated tie counts once)."""
        if not self.directed:
            return self
        if self._undirected is None:
            weights: dict[tuple[str, str], float] = {}
            for tie in self.ties:
                a, b = sorted((tie.source, tie.target))
                weights[(a, b)] = max(weights.get((a, b), 0.0), tie.weight)
            ties = [Tie(a, b, w) for (a, b), w in weights.items()]
            self._undirected = Network(dict(self.nodes), ties)
        return self._undirected

    def attribute(self, name: str) -> dict[str, str]:
        missing = [n for n, attrs in self.nodes.items() if name not in attrs]
        if missing:
            raise NetworkError(
                f"attribute {name!r} is missing for node(s) {', '.join(missing[:5])}"
            )
        return {n: attrs[name] for n, attrs in self.nodes.items()}

    @classmethod
    def build(
        cls,
        nodes: Mapping[str, Mapping[str, str]],
        ties: Iterable[tuple[str, str] | tuple[str, str, float]],
        *,
        directed: bool = False,
    ) -> Network:
        return cls(
            {k: dict(v) for k, v in nodes.items()},
            [Tie(t[0], t[1], float(t[2]) if len(t) > 2 else 1.0) for t in ties],
            directed,
        )
