"""Whole-network and per-node structure: density, centralisation, centrality, constraint."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import igraph as ig

from .model import Network


def to_igraph(network: Network, *, directed: bool | None = None) -> tuple[ig.Graph, list[str]]:
    ids = network.ids
    index = {n: i for i, n in enumerate(ids)}
    use_directed = network.directed if directed is None else directed
    source = network if use_directed or not network.directed else network.undirected()
    graph = ig.Graph(n=len(ids), directed=use_directed)
    graph.add_edges([(index[t.source], index[t.target]) for t in source.ties])
    graph.es["weight"] = [t.weight for t in source.ties]
    return graph, ids


def density(network: Network) -> float:
    """Ties present / ties possible: m / (n(n-1)/2) undirected, m / (n(n-1)) directed."""
    n = network.n
    if n < 2:
        return 0.0
    possible = n * (n - 1) if network.directed else n * (n - 1) / 2
    return len(network.ties) / possible


def degree_centralisation(network: Network) -> float:
    """Freeman's degree centralisation (Freeman 1979, Social Networks 1:215-239), undirected:

    C = sum_i (d_max - d_i) / ((n - 1)(n - 2)),

    1 for a star (one hub holds every tie), 0 when every node has the same degree.
    A directed network is taken undirected first.
    """
    n = network.n
    if n < 3:
        return 0.0
    degree = dict.fromkeys(network.nodes, 0)
    for tie in network.undirected().ties:
        degree[tie.source] += 1
        degree[tie.target] += 1
    top = max(degree.values())
    return sum(top - d for d in degree.values()) / ((n - 1) * (n - 2))


@dataclass(frozen=True)
class Centrality:
    """Per node: degree (ties), normalised betweenness, closeness, and Burt's constraint.

    ``constraint`` is ``None`` for a node without ties: Burt's measure is undefined there, and 0
    would read as "the least constrained person in the network".
    """

    degree: dict[str, int]
    betweenness: dict[str, float]
    closeness: dict[str, float]
    constraint: dict[str, float | None]


def centrality(network: Network) -> Centrality:
    """Degree; betweenness normalised by (n-1)(n-2)/2 (Freeman 1977); closeness with the
    Wasserman–Faust correction for networks that fall apart; Burt's constraint (Burt 1992,
    Structural Holes) on tie weights, undirected.

    Closeness of node i that reaches r_i other nodes at total distance D_i is
    (r_i / (n - 1)) · (r_i / D_i) (Wasserman and Faust 1994, eq. 5.5; networkx's default): the
    inverse mean distance within its component, scaled by the share of the network it reaches.
    On a connected network this is the classic (n - 1) / D_i; an isolate scores 0, and two people
    tied only to each other score 1 / (n - 1), not 1.
    """
    graph, ids = to_igraph(network.undirected(), directed=False)
    n = len(ids)
    degree = graph.degree()
    raw = graph.betweenness(directed=False)
    scale = (n - 1) * (n - 2) / 2 if n > 2 else 1.0
    within = graph.closeness(normalized=True)
    component = graph.connected_components().membership
    sizes = Counter(component)
    constraint = graph.constraint(weights="weight")
    closeness = {}
    for i, c in enumerate(within):
        reached = sizes[component[i]] - 1
        closeness[ids[i]] = 0.0 if reached == 0 or c != c else float(c) * reached / (n - 1)
    return Centrality(
        degree={ids[i]: int(degree[i]) for i in range(n)},
        betweenness={ids[i]: float(raw[i]) / scale for i in range(n)},
        closeness=closeness,
        constraint={
            ids[i]: None if degree[i] == 0 or c != c else float(c) for i, c in enumerate(constraint)
        },
    )
