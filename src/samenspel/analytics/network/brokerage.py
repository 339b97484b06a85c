"""Gould–Fernandez brokerage roles (Gould and Fernandez 1989, Sociological Methodology 19:89-126).

In a directed network, node B brokers when A → B → C and there is no tie A → C (A ≠ C). With the
groups g(·) of an attribute, the role of B in that triad is:

- coordinator:     g(A) = g(B) = g(C)           (within one group)
- gatekeeper:      g(A) ≠ g(B) = g(C)           (lets outsiders into B's group)
- representative:  g(A) = g(B) ≠ g(C)           (speaks for B's group to outsiders)
- consultant:      g(A) = g(C) ≠ g(B)           (an outsider linking two members of one group)
- liaison:         g(A), g(B), g(C) all differ  (links two other groups)

An undirected network is read as every tie in both directions; gatekeeper and representative
counts are then equal.
"""

from __future__ import annotations

import numpy as np

from .model import Network

BROKERAGE_ROLES = ("coordinator", "gatekeeper", "representative", "consultant", "liaison")


# Triads A → B → C handled per batch; memory stays bounded whatever the network's size.
BATCH = 200_000


def brokerage(network: Network, attribute: str) -> dict[str, dict[str, int]]:
    """For every node, how many (A, C) pairs it brokers in each role.

    Memory grows with the ties, not with n²: ties are kept as sorted codes A·n + C, and the
    triads A → B → C are generated in batches of at most ``BATCH`` (plus one node's worth).
    """
    values = network.attribute(attribute)
    ids = network.ids
    n = len(ids)
    index = {node: i for i, node in enumerate(ids)}
    names = {v: k for k, v in enumerate(sorted(set(values.values())))}
    group = np.array([names[values[node]] for node in ids], dtype=np.int64)
    source = np.array([index[t.source] for t in network.ties], dtype=np.int64)
    target = np.array([index[t.target] for t in network.ties], dtype=np.int64)
    if not network.directed:
        source, target = np.concatenate([source, target]), np.concatenate([target, source])
    codes = np.unique(source * n + target)  # sorted by source, then target
    source, target = codes // n, codes % n
    out_start = np.searchsorted(source, np.arange(n + 1))
    order = np.argsort(target, kind="stable")
    in_a, in_b = source[order], target[order]  # the arcs A → B
    fan = out_start[in_b + 1] - out_start[in_b]  # how many C follow each A → B
    counts = np.zeros(n * len(BROKERAGE_ROLES), dtype=np.int64)
    reach = np.cumsum(fan)  # triads up to and including each arc
    first = 0
    while first < len(in_a):
        before = int(reach[first - 1]) if first else 0
        last = min(int(np.searchsorted(reach, before + BATCH, side="right")) + 1, len(in_a))
        counts += _roles(in_a[first:last], in_b[first:last], fan[first:last], out_start, target,
                         codes, group, n)  # fmt: skip
        first = last
    table = counts.reshape(n, len(BROKERAGE_ROLES))
    return {
        ids[b]: {role: int(table[b, k]) for k, role in enumerate(BROKERAGE_ROLES)} for b in range(n)
    }


def _roles(
    in_a: np.ndarray,
    in_b: np.ndarray,
    fan: np.ndarray,
    out_start: np.ndarray,
    target: np.ndarray,
    codes: np.ndarray,
    group: np.ndarray,
    n: int,
) -> np.ndarray:
    """Role counts (n × 5, flat) of the triads that start with the arcs ``in_a → in_b``."""
    a, b = np.repeat(in_a, fan), np.repeat(in_b, fan)
    if not len(a):
        return np.zeros(n * len(BROKERAGE_ROLES), dtype=np.int64)
    offset = np.arange(len(a)) - np.repeat(np.cumsum(fan) - fan, fan)
    c = target[np.repeat(out_start[in_b], fan) + offset]
    pair = a * n + c
    found = np.searchsorted(codes, pair)
    tied = codes[np.minimum(found, len(codes) - 1)] == pair
    keep = (a != c) & ~tied
    ga, gb, gc = group[a[keep]], group[b[keep]], group[c[keep]]
    role = np.select(
        [(ga == gb) & (gb == gc), (ga != gb) & (gb == gc), (ga == gb) & (gc != gb), ga == gc],
        [0, 1, 2, 3],
        default=4,
    )
    return np.bincount(b[keep] * len(BROKERAGE_ROLES) + role, minlength=n * len(BROKERAGE_ROLES))
