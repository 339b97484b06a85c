"""The documented JSON form of a network, read by ``samenspel network FILE``.

::

    {"directed": false,
     "nodes": [{"id": "p1", "stakeholder_group": "executive", "layer": "strategic",
                "organisation": "Hospital"}, ...],
     "ties": [{"source": "p1", "target": "p2", "weight": 1}, ...],
     "attributes": ["stakeholder_group", "layer", "organisation"]}

Every node needs an ``id``; other node fields are attributes (text). ``attributes`` lists the
ones to compute E-I indices, contact matrices and brokerage for (default: every attribute that
all nodes have).
"""

from __future__ import annotations

import math
import re
from typing import Any

from .brokerage import brokerage
from .groups import contact_matrix, ei_index
from .metrics import centrality, degree_centralisation, density
from .model import Network, NetworkError, Tie


def parse_network(data: Any) -> tuple[Network, list[str]]:
    if not isinstance(data, dict):
        raise NetworkError("the network must be a JSON object")
    nodes_raw = data.get("nodes")
    if not isinstance(nodes_raw, list) or not nodes_raw:
        raise NetworkError("nodes: give a non-empty list")
    nodes: dict[str, dict[str, str]] = {}
    for k, node in enumerate(nodes_raw):
        if not isinstance(node, dict) or not isinstance(node.get("id"), str | int):
            raise NetworkError(f"nodes[{k}]: needs an 'id'")
        key = str(node["id"])
        if key in nodes:
            raise NetworkError(f"nodes[{k}]: duplicate id {key!r}")
        nodes[key] = {str(a): str(v) for a, v in node.items() if a != "id" and v is not None}
    ties_raw = data.get("ties", [])
    if not isinstance(ties_raw, list):
        raise NetworkError("ties: give a list of ties (it may be empty)")
    ties: list[Tie] = []
    for k, tie in enumerate(ties_raw):
        if not isinstance(tie, dict) or "source" not in tie or "target" not in tie:
            raise NetworkError(f"ties[{k}]: needs 'source' and 'target'")
        weight = tie.get("weight", 1)
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise NetworkError(f"ties[{k}].weight: must be a number")
        if not math.isfinite(weight) or weight <= 0:
            raise NetworkError(f"ties[{k}].weight: must be a positive finite number")
        ties.append(Tie(str(tie["source"]), str(tie["target"]), float(weight)))
    directed = data.get("directed", False)
    if not isinstance(directed, bool):
        raise NetworkError("directed: true or false")
    try:
        network = Network(nodes, ties, directed)
    except NetworkError as exc:
        raise NetworkError(f"ties: {exc}") from exc
    common = set.intersection(*(set(a) for a in nodes.values())) if nodes else set()
    attributes = data.get("attributes", sorted(common))
    if not isinstance(attributes, list) or not all(a in common for a in attributes):
        missing = [a for a in attributes if a not in common] if isinstance(attributes, list) else []
        raise NetworkError(f"attributes: not every node has {', '.join(map(str, missing))}")
    return network, [str(a) for a in attributes]


def network_report(network: Network, attributes: list[str]) -> dict[str, Any]:
    """Every metric of the network in one JSON-ready dict."""
    c = centrality(network)
    report: dict[str, Any] = {
        "nodes": network.n,
        "ties": len(network.ties),
        "directed": network.directed,
        "density": density(network),
        "degree_centralisation": degree_centralisation(network),
        "per_node": {
            n: {
                "degree": c.degree[n],
                "betweenness": c.betweenness[n],
                "closeness": c.closeness[n],
                "constraint": c.constraint[n],
            }
            for n in network.ids
        },
        "attributes": {},
    }
    for attribute in attributes:
        ei = ei_index(network, attribute)
        matrix = contact_matrix(network, attribute)
        report["attributes"][attribute] = {
            "ei_index": ei.index,
            "external_ties": ei.external,
            "internal_ties": ei.internal,
            "ei_by_group": ei.by_group,
            "contact_matrix": matrix.ties,
            "contact_density": matrix.density,
            "brokerage": brokerage(network, attribute),
        }
    return report


GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def _graphml_type(values: list[Any]) -> str:
    if values and all(isinstance(v, bool) for v in values):
        return "boolean"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "long"
    if values and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "double"
    return "string"


# Characters XML 1.0 cannot hold at all (control characters other than tab and newlines).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _graphml_text(value: Any) -> str:
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return _NOT_XML.sub("", text)


def to_graphml(network: Network, names: dict[str, str]) -> str:
    """The network as GraphML (for Gephi, Kumu, yEd): each node with its name and attributes,
    each tie with its weight; attribute types as their values have them."""
    from xml.etree import ElementTree as ET

    root = ET.Element("graphml", xmlns=GRAPHML_NS)
    attributes: dict[str, list[Any]] = {"name": list(names.values())}
    for attrs in network.nodes.values():
        for key, value in attrs.items():
            attributes.setdefault(key, []).append(value)
    ids = {}
    for i, (key, values) in enumerate(attributes.items()):
        ids[key] = f"d{i}"
        ET.SubElement(root, "key", {"id": f"d{i}", "for": "node", "attr.name": key,
                                    "attr.type": _graphml_type(values)})  # fmt: skip
    ET.SubElement(root, "key", {"id": "weight", "for": "edge", "attr.name": "weight",
                                "attr.type": "double"})  # fmt: skip
    graph = ET.SubElement(
        root, "graph", edgedefault="directed" if network.directed else "undirected"
    )
    for node in network.ids:
        element = ET.SubElement(graph, "node", id=node)
        for key, value in {"name": names.get(node, node), **network.nodes[node]}.items():
            ET.SubElement(element, "data", key=ids[key]).text = _graphml_text(value)
    for tie in network.ties:
        edge = ET.SubElement(graph, "edge", source=tie.source, target=tie.target)
        ET.SubElement(edge, "data", key="weight").text = repr(float(tie.weight))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")
