"""Benchmark: every network metric for a 2,000-person, 40,000-tie network.

Ours (igraph + NumPy) against a plain networkx computation of the same figures, measured in the
same run; the figures are checked to agree. Usage:

    .venv/bin/python benchmarks/network_bench.py [--people 2000] [--ties 40000]
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc
from collections.abc import Callable

import networkx as nx

from samenspel.analytics.network import (
    Network,
    brokerage,
    centrality,
    contact_matrix,
    degree_centralisation,
    density,
    ei_index,
)

GROUPS = ("executive", "manager", "professional", "patient_representative", "resident")


def make_network(people: int, ties: int, seed: int = 1) -> Network:
    rng = random.Random(seed)
    nodes = {
        f"p{i}": {"stakeholder_group": rng.choice(GROUPS), "organisation": f"o{rng.randrange(40)}"}
        for i in range(people)
    }
    names = list(nodes)
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < ties:
        a, b = rng.sample(names, 2)
        pairs.add((a, b) if a < b else (b, a))
    return Network.build(nodes, sorted(pairs))


def ours(network: Network) -> dict[str, object]:
    return {
        "density": density(network),
        "centralisation": degree_centralisation(network),
        "centrality": centrality(network),
        "ei": ei_index(network, "stakeholder_group").index,
        "matrix": contact_matrix(network, "stakeholder_group").ties,
        "brokerage": brokerage(network, "stakeholder_group"),
    }


def networkx_brokerage(graph: nx.Graph, group: dict[str, str]) -> dict[str, dict[str, int]]:
    """Gould–Fernandez roles by looping over each node's pairs of neighbours in networkx."""
    roles: dict[str, dict[str, int]] = {}
    for b in graph.nodes:
        counts = dict.fromkeys(
            ("coordinator", "gatekeeper", "representative", "consultant", "liaison"), 0
        )
        neighbours = list(graph.neighbors(b))
        for a in neighbours:
            for c in neighbours:
                if a == c or graph.has_edge(a, c):
                    continue
                ga, gb, gc = group[a], group[b], group[c]
                if ga == gb == gc:
                    counts["coordinator"] += 1
                elif ga != gb and gb == gc:
                    counts["gatekeeper"] += 1
                elif ga == gb and gc != gb:
                    counts["representative"] += 1
                elif ga == gc:
                    counts["consultant"] += 1
                else:
                    counts["liaison"] += 1
        roles[b] = counts
    return roles


def plain_networkx(network: Network) -> dict[str, object]:
    graph = nx.Graph()
    graph.add_nodes_from(network.nodes)
    graph.add_edges_from((t.source, t.target) for t in network.ties)
    group = nx.get_node_attributes(graph, "g") or {
        n: a["stakeholder_group"] for n, a in network.nodes.items()
    }
    n = graph.number_of_nodes()
    degrees = dict(graph.degree())
    top = max(degrees.values())
    external = sum(1 for a, b in graph.edges if group[a] != group[b])
    internal = graph.number_of_edges() - external
    matrix: dict[str, dict[str, int]] = {g: dict.fromkeys(GROUPS, 0) for g in GROUPS}
    for a, b in graph.edges:
        matrix[group[a]][group[b]] += 1
        if group[a] != group[b]:
            matrix[group[b]][group[a]] += 1
    roles = networkx_brokerage(graph, group)
    return {
        "density": nx.density(graph),
        "centralisation": sum(top - d for d in degrees.values()) / ((n - 1) * (n - 2)),
        "betweenness": nx.betweenness_centrality(graph, normalized=True),
        "closeness": nx.closeness_centrality(graph),
        "constraint": nx.constraint(graph),
        "ei": (external - internal) / graph.number_of_edges(),
        "matrix": matrix,
        "brokerage": roles,
    }


def _same(ours: float | None, reference: float) -> bool:
    """Constraint agrees; an isolate is undefined here (None) and NaN in networkx."""
    if ours is None:
        return reference != reference
    return abs(ours - reference) < 1e-9


def _peak(run: Callable[[], object]) -> tuple[float, float, object]:
    """Seconds and peak traced memory (MB) of ``run``."""
    tracemalloc.start()
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return seconds, peak, result


def brokerage_at_scale(people: int, ties: int) -> None:
    """Brokerage on a large sparse network: time and peak memory, ours against the networkx
    triad loop; a dense n × n adjacency would need people² bytes."""
    network = make_network(people, ties, seed=2)
    t_a, m_a, a = _peak(lambda: brokerage(network, "stakeholder_group"))
    graph = nx.Graph()
    graph.add_nodes_from(network.nodes)
    graph.add_edges_from((t.source, t.target) for t in network.ties)
    group = {n: a["stakeholder_group"] for n, a in network.nodes.items()}
    t_b, m_b, b = _peak(lambda: networkx_brokerage(graph, group))
    print(
        f"brokerage, {people:,} people, {ties:,} ties: ours {t_a:.2f} s, {m_a:.0f} MB peak; "
        f"networkx triad loop {t_b:.2f} s, {m_b:.0f} MB peak; "
        f"a dense matrix alone {people * people / 1e6:.0f} MB; equal: {a == b}"
    )
    if a != b:
        raise SystemExit("brokerage differs from the networkx triad loop")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--ties", type=int, default=40000)
    parser.add_argument("--sparse-people", type=int, default=20000)
    args = parser.parse_args()
    network = make_network(args.people, args.ties)
    start = time.perf_counter()
    a = ours(network)
    t_ours = time.perf_counter() - start
    start = time.perf_counter()
    b = plain_networkx(network)
    t_nx = time.perf_counter() - start
    c = a["centrality"]
    checks = {
        "density": abs(a["density"] - b["density"]) < 1e-12,  # type: ignore[operator]
        "centralisation": abs(a["centralisation"] - b["centralisation"]) < 1e-12,  # type: ignore[operator]
        "betweenness": all(
            abs(c.betweenness[n] - b["betweenness"][n]) < 1e-9  # type: ignore[attr-defined,index]
            for n in network.nodes
        ),
        "closeness": all(
            abs(c.closeness[n] - b["closeness"][n]) < 1e-9  # type: ignore[attr-defined,index]
            for n in network.nodes
        ),
        "constraint": all(
            _same(c.constraint[n], b["constraint"][n])  # type: ignore[attr-defined,index]
            for n in network.nodes
        ),
        "ei": abs(a["ei"] - b["ei"]) < 1e-12,  # type: ignore[operator]
        "matrix": all(
            a["matrix"][g][h] == b["matrix"][g][h]  # type: ignore[index]
            for g in GROUPS
            for h in GROUPS
        ),
        "brokerage": a["brokerage"] == b["brokerage"],
    }
    print(f"network: {args.people} people, {len(network.ties)} ties")
    print(f"ours (igraph + NumPy): {t_ours:8.2f} s")
    print(f"plain networkx:        {t_nx:8.2f} s")
    print(f"ratio (networkx / ours): {t_nx / t_ours:6.1f}x")
    print("figures agree: " + ", ".join(f"{k}={'yes' if v else 'NO'}" for k, v in checks.items()))
    if not all(checks.values()):
        raise SystemExit("the figures differ from networkx")
    brokerage_at_scale(args.sparse_people, args.ties)


if __name__ == "__main__":
    main()
