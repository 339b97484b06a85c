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


def brokerage(network: Network, attribute: str) -> dict[str, dict[str, int]]:
    """For every node, how many (A, C) pairs it brokers in each role."""
    values = network.attribute(attribute)
    ids = network.ids
    index = {n: i for i, n in enumerate(ids)}
    codes = {v: k for k, v in enumerate(sorted(set(values.values())))}
    group = np.array([codes[values[n]] for n in ids])
    n = len(ids)
    adjacency = np.zeros((n, n), dtype=bool)
    for t in network.ties:
        adjacency[index[t.source], index[t.target]] = True
        if not network.directed:
            adjacency[index[t.target], index[t.source]] = True
    result: dict[str, dict[str, int]] = {}
    for b in range(n):
        ins = np.flatnonzero(adjacency[:, b])
        outs = np.flatnonzero(adjacency[b, :])
        counts = dict.fromkeys(BROKERAGE_ROLES, 0)
        if len(ins) and len(outs):
            open_pair = ~adjacency[np.ix_(ins, outs)] & (ins[:, None] != outs[None, :])
            ga = group[ins][:, None]
            gc = group[outs][None, :]
            gb = group[b]
            counts["coordinator"] = int(np.sum(open_pair & (ga == gb) & (gc == gb)))
            counts["gatekeeper"] = int(np.sum(open_pair & (ga != gb) & (gc == gb)))
            counts["representative"] = int(np.sum(open_pair & (ga == gb) & (gc != gb)))
            counts["consultant"] = int(np.sum(open_pair & (ga == gc) & (ga != gb)))
            counts["liaison"] = int(np.sum(open_pair & (ga != gb) & (gc != gb) & (ga != gc)))
        result[ids[b]] = counts
    return result
