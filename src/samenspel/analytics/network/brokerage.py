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
    """For every node, how many (A, C) pairs it brokers in each role.

    Memory grows with the ties, not with n²: a triad A → B → C is checked against the sorted
    codes A·n + C of the ties, one broker at a time.
    """
    values = network.attribute(attribute)
    ids = network.ids
    index = {n: i for i, n in enumerate(ids)}
    codes = {v: k for k, v in enumerate(sorted(set(values.values())))}
    group = np.array([codes[values[n]] for n in ids], dtype=np.int64)
    n = len(ids)
    sources = np.array([index[t.source] for t in network.ties], dtype=np.int64)
    targets = np.array([index[t.target] for t in network.ties], dtype=np.int64)
    if not network.directed:
        sources, targets = np.concatenate([sources, targets]), np.concatenate([targets, sources])
    tie_codes = np.unique(sources * n + targets)
    order = np.argsort(targets, kind="stable")
    ins_of = np.split(sources[order], np.searchsorted(targets[order], np.arange(1, n)))
    order = np.argsort(sources, kind="stable")
    outs_of = np.split(targets[order], np.searchsorted(sources[order], np.arange(1, n)))
    result: dict[str, dict[str, int]] = {}
    for b in range(n):
        ins, outs = np.unique(ins_of[b]), np.unique(outs_of[b])
        counts = dict.fromkeys(BROKERAGE_ROLES, 0)
        if len(ins) and len(outs):
            pair = ins[:, None] * n + outs[None, :]
            found = np.searchsorted(tie_codes, pair)
            tied = tie_codes[np.minimum(found, len(tie_codes) - 1)] == pair
            open_pair = ~tied & (ins[:, None] != outs[None, :])
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
