"""Network metrics on small hand-computed networks, and against textbook definitions.

References: Freeman (1979) degree centralisation; Krackhardt and Stern (1988) E-I index;
Gould and Fernandez (1989) brokerage roles; Burt (1992) constraint (checked against networkx);
Blau (1977) heterogeneity.
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from samenspel.analytics.network import (
    BROKERAGE_ROLES,
    Network,
    NetworkError,
    Rating,
    Tie,
    blau_index,
    brokerage,
    centrality,
    compare_waves,
    contact_matrix,
    degree_centralisation,
    density,
    ei_index,
    scores,
)
from samenspel.analytics.network.advice import Thresholds, advise
from samenspel.analytics.network.io import to_graphml

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def net(groups: dict[str, str], ties: list[tuple[str, str]], directed: bool = False) -> Network:
    return Network.build({n: {"g": g} for n, g in groups.items()}, ties, directed=directed)


def test_density_and_centralisation_by_hand() -> None:
    path = net(dict.fromkeys("abcd", "x"), [("a", "b"), ("b", "c"), ("c", "d")])
    assert density(path) == pytest.approx(3 / 6)
    # degrees 1, 2, 2, 1: sum(2 - d) = 2 over (n-1)(n-2) = 6
    assert degree_centralisation(path) == pytest.approx(1 / 3)
    star = net(dict.fromkeys("habcd", "x"), [("h", x) for x in "abcd"])
    assert degree_centralisation(star) == pytest.approx(1.0)
    complete = net(dict.fromkeys("abcd", "x"), [(a, b) for a in "abcd" for b in "abcd" if a < b])
    assert degree_centralisation(complete) == 0 and density(complete) == 1
    directed = net(dict.fromkeys("abc", "x"), [("a", "b"), ("b", "a"), ("b", "c")], True)
    assert density(directed) == pytest.approx(3 / 6)


def test_centrality_by_hand_and_against_networkx() -> None:
    path = net(dict.fromkeys("abc", "x"), [("a", "b"), ("b", "c")])
    c = centrality(path)
    assert c.degree == {"a": 1, "b": 2, "c": 1}
    assert c.betweenness["b"] == pytest.approx(1.0) and c.betweenness["a"] == 0
    assert c.closeness["b"] == pytest.approx(1.0) and c.closeness["a"] == pytest.approx(2 / 3)
    rng = random.Random(4)
    names = [f"n{i}" for i in range(25)]
    ties = {tuple(sorted(rng.sample(names, 2))) for _ in range(60)}
    network = net(dict.fromkeys(names, "x"), sorted(ties))  # type: ignore[arg-type]
    graph = nx.Graph()
    graph.add_nodes_from(names)
    graph.add_edges_from(ties)
    ours = centrality(network)
    reference_b = nx.betweenness_centrality(graph, normalized=True)
    reference_c = nx.constraint(graph)
    for n in names:
        assert ours.betweenness[n] == pytest.approx(reference_b[n], abs=1e-9)
        if graph.degree[n]:
            assert ours.constraint[n] == pytest.approx(reference_c[n], abs=1e-9)


def test_ei_index_and_contact_matrix_by_hand() -> None:
    network = net({"a": "x", "b": "x", "c": "y", "d": "y"}, [("a", "b"), ("c", "d"), ("b", "c")])
    ei = ei_index(network, "g")
    assert (ei.external, ei.internal) == (1, 2)
    assert ei.index == pytest.approx(-1 / 3)
    assert ei.by_group == {"x": pytest.approx(0.0), "y": pytest.approx(0.0)}
    matrix = contact_matrix(network, "g", ["y", "x"])
    assert matrix.groups == ["y", "x"]
    assert matrix.ties == {"y": {"y": 1, "x": 1}, "x": {"y": 1, "x": 1}}
    assert matrix.density["x"]["y"] == pytest.approx(1 / 4)
    assert matrix.density["x"]["x"] == pytest.approx(1.0)
    assert ei_index(net({"a": "x", "b": "y"}, []), "g").index is None


def test_blau_index() -> None:
    assert blau_index("xxyy") == pytest.approx(0.5)
    assert blau_index("xxx") == 0
    assert blau_index("xyz") == pytest.approx(2 / 3)
    assert blau_index("") == 0


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        ({"A": "1", "B": "1", "C": "1"}, "coordinator"),
        ({"A": "1", "B": "2", "C": "2"}, "gatekeeper"),
        ({"A": "1", "B": "1", "C": "2"}, "representative"),
        ({"A": "1", "B": "2", "C": "1"}, "consultant"),
        ({"A": "1", "B": "2", "C": "3"}, "liaison"),
    ],
)
def test_gould_fernandez_roles(groups: dict[str, str], role: str) -> None:
    network = net(groups, [("A", "B"), ("B", "C")], directed=True)
    counts = brokerage(network, "g")["B"]
    assert counts[role] == 1 and sum(counts.values()) == 1
    closed = net(groups, [("A", "B"), ("B", "C"), ("A", "C")], directed=True)
    assert sum(brokerage(closed, "g")["B"].values()) == 0


def test_undirected_brokerage_counts_both_directions() -> None:
    network = net({"A": "1", "B": "1", "C": "2"}, [("A", "B"), ("B", "C")])
    counts = brokerage(network, "g")["B"]
    assert counts["representative"] == 1 and counts["gatekeeper"] == 1


def test_scores_suppress_below_threshold_and_skip_insiders() -> None:
    ratings = [
        Rating("r1", "t", (4, 4, 4), (3, 3, 3)),
        Rating("r2", "t", (2, 2, 2), (1, 1, 1)),
        Rating("r3", "t", (3, 3, 3), (2, 2, 2)),
        Rating("t", "t", (1, 1, 1), (1, 1, 1)),
        Rating("r1", "u", (4, 4, 4), (4, 4, 4)),
    ]
    result = scores(ratings, min_respondents=3)
    assert result["t"].trust == pytest.approx(3.0) and result["t"].respondents == 3
    assert result["u"].trust is None and result["u"].suppressed
    orgs = {"r1": "O1", "r2": "O2", "r3": "O2", "t": "O2", "u": "O1"}
    by_org = scores(ratings, group_of=orgs)
    assert by_org["O2"].respondents == 1 and by_org["O2"].suppressed
    with pytest.raises(ValueError, match="at least 3"):
        scores(ratings, min_respondents=2)
    with pytest.raises(ValueError, match="items run from 1 to 4"):
        scores([Rating("a", "b", (5, 1, 1), (1, 1, 1))])


def test_organisation_scores_weigh_each_respondent_once() -> None:
    """One prolific rater of organisation O does not outweigh two others."""
    orgs = {"p1": "O", "p2": "O", "p3": "O", "a": "A", "b": "B", "c": "C"}
    ratings = [Rating("a", p, (4, 4, 4), (4, 4, 4)) for p in ("p1", "p2", "p3")] + [
        Rating("b", "p1", (1, 1, 1), (2, 2, 2)),
        Rating("c", "p2", (1, 1, 1), (2, 2, 2)),
    ]
    score = scores(ratings, group_of=orgs)["O"]
    # per respondent: a 4, b 1, c 1 → (4 + 1 + 1) / 3 = 2; per rating it would be 14 / 5 = 2.8
    assert score.respondents == 3 and score.trust == pytest.approx(2.0)
    assert score.value == pytest.approx((4 + 2 + 2) / 3)


def test_wave_change() -> None:
    groups = dict.fromkeys("abcd", "x")
    first = net(groups, [("a", "b"), ("b", "c")])
    second = net(groups, [("b", "a"), ("c", "d")], directed=True)
    change = compare_waves(first, second, ("g",))
    assert change.stable == [("a", "b")] and change.new == [("c", "d")]
    assert change.lost == [("b", "c")] and change.jaccard == pytest.approx(1 / 3)
    assert change.metrics["density"] == (pytest.approx(2 / 6), pytest.approx(2 / 6))


def test_bad_networks() -> None:
    with pytest.raises(NetworkError, match="unknown node 'z'"):
        net({"a": "x"}, [("a", "z")])
    with pytest.raises(NetworkError, match="cannot tie to itself"):
        net({"a": "x"}, [("a", "a")])


def _people(spec: dict[str, tuple[str, str]]) -> dict[str, dict[str, str]]:
    return {n: {"stakeholder_group": g, "organisation": o} for n, (g, o) in spec.items()}


def test_advice_rules_fire_on_their_figures() -> None:
    nodes = _people(
        {
            "e1": ("executive", "H"),
            "e2": ("executive", "M"),
            "m1": ("manager", "H"),
            "p1": ("professional", "H"),
            "p2": ("professional", "G"),
            "r1": ("resident", ""),
        }
    )
    ties = [("e1", "e2"), ("m1", "p1"), ("p1", "p2"), ("p2", "r1"), ("m1", "e1")]
    network = Network.build(nodes, ties)
    seated = {"strategic": {"e1", "e2"}, "operational": {"p1", "p2"}}
    codes = {a.code: a for a in advise(network, seated=seated, response_rate=0.5)}
    assert codes["no_strategic_contact"].params["group"] in ("professional", "resident")
    assert "residents_absent" in codes  # r1 takes part but sits in no group
    assert "professionals_not_in_steering" in codes
    assert codes["low_response"].figure == 0.5
    assert "no_resident_executive_contact" in codes
    assert codes["brokerage_concentrated"].params["organisation"] == "H"
    calm = advise(
        network,
        seated={**seated, "strategic": {"e1", "e2", "p1"}, "operational": {"p1", "p2", "r1"}},
        response_rate=0.9,
        thresholds=Thresholds(brokerage_share=0.99),
    )
    assert {(a.code, a.params.get("group")) for a in calm} == {
        ("no_resident_executive_contact", None),
        ("no_strategic_contact", "resident"),  # r1 only knows p2, who has no strategic seat
    }


def test_cli_network_json() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "samenspel.cli.main",
            "network",
            str(EXAMPLES / "network.json"),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ties"] == 6 and report["density"] == pytest.approx(6 / 15)
    assert report["attributes"]["stakeholder_group"]["contact_matrix"]["resident"] == {
        "executive": 0,
        "manager": 0,
        "professional": 1,
        "resident": 0,
    }


def test_closeness_accounts_for_people_it_cannot_reach() -> None:
    """Wasserman–Faust closeness: an isolated pair is not as central as a star's hub."""
    nodes = dict.fromkeys(["h", "a", "b", "c", "d", "e", "p", "q"], "x")
    network = net(nodes, [("h", x) for x in "abcde"] + [("p", "q")])
    c = centrality(network)
    # the hub reaches 5 of 7 at distance 1: (5/7)·(5/5); the pair reaches 1 of 7: (1/7)·(1/1)
    assert c.closeness["h"] == pytest.approx(5 / 7)
    assert c.closeness["p"] == pytest.approx(1 / 7) == pytest.approx(0.142857, abs=1e-6)
    assert c.closeness["p"] < c.closeness["h"]
    rng = random.Random(11)
    names = [f"n{i}" for i in range(30)]
    ties = {tuple(sorted(rng.sample(names, 2))) for _ in range(25)}  # falls apart
    graph = nx.Graph()
    graph.add_nodes_from(names)
    graph.add_edges_from(ties)
    ours = centrality(net(dict.fromkeys(names, "x"), sorted(ties)))  # type: ignore[arg-type]
    reference = nx.closeness_centrality(graph)  # wf_improved=True by default
    assert nx.number_connected_components(graph) > 1
    for n in names:
        assert ours.closeness[n] == pytest.approx(reference[n], abs=1e-12)


def test_constraint_of_an_isolate_is_undefined() -> None:
    c = centrality(net({"a": "x", "b": "x", "z": "x"}, [("a", "b")]))
    assert c.constraint["z"] is None and c.closeness["z"] == 0
    assert c.constraint["a"] == pytest.approx(1.0)


@pytest.mark.parametrize("weight", [float("nan"), float("inf"), -1.0, 0.0])
def test_weights_must_be_positive_finite(weight: float) -> None:
    with pytest.raises(NetworkError, match="positive finite"):
        Network({"a": {}, "b": {}}, [Tie("a", "b", weight)])


def _brokerage_by_enumeration(network: Network, attribute: str) -> dict[str, dict[str, int]]:
    g = network.attribute(attribute)
    arcs = {(t.source, t.target) for t in network.ties}
    if not network.directed:
        arcs |= {(b, a) for a, b in arcs}
    result = {b: dict.fromkeys(BROKERAGE_ROLES, 0) for b in network.ids}
    for a, b in arcs:
        for b2, c in arcs:
            if b2 != b or a == c or (a, c) in arcs:
                continue
            ga, gb, gc = g[a], g[b], g[c]
            role = (
                "coordinator" if ga == gb == gc
                else "gatekeeper" if ga != gb == gc
                else "representative" if ga == gb != gc
                else "consultant" if ga == gc != gb
                else "liaison"
            )  # fmt: skip
            result[b][role] += 1
    return result


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("directed", [True, False])
def test_brokerage_matches_triad_enumeration(seed: int, directed: bool) -> None:
    rng = random.Random(seed)
    names = [f"n{i}" for i in range(18)]
    nodes = {n: {"g": rng.choice("xyz")} for n in names}
    pairs = {tuple(rng.sample(names, 2)) for _ in range(50)}
    network = Network(nodes, [Tie(a, b) for a, b in pairs], directed)
    assert brokerage(network, "g") == _brokerage_by_enumeration(network, "g")


def test_brokerage_memory_grows_with_ties_not_people() -> None:
    """10,000 people with 20,000 ties: a dense n × n matrix alone would take 100 MB."""
    import tracemalloc

    rng = random.Random(3)
    n = 10_000
    nodes = {str(i): {"g": "xyz"[i % 3]} for i in range(n)}
    ties = {(str(rng.randrange(n)), str(rng.randrange(n))) for _ in range(20_000)}
    network = Network(nodes, [Tie(a, b) for a, b in ties if a != b])
    tracemalloc.start()
    try:
        brokerage(network, "g")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 30 * 1024 * 1024


def test_directed_survey_conventions() -> None:
    """Density counts arcs; E-I, the contact matrix and centrality count pairs (a reciprocated
    tie once); brokerage in the web app reads survey ties undirected."""
    nodes = {"a": {"g": "x"}, "b": {"g": "x"}, "c": {"g": "y"}}
    survey = Network(nodes, [Tie("a", "b"), Tie("b", "a"), Tie("b", "c")], directed=True)
    assert density(survey) == pytest.approx(3 / 6)
    ei = ei_index(survey, "g")
    assert (ei.internal, ei.external) == (1, 1) and ei.index == 0
    assert contact_matrix(survey, "g").ties["x"] == {"x": 1, "y": 1}
    assert centrality(survey).degree == {"a": 1, "b": 2, "c": 1}
    # undirected, b brokers a → b → c as representative and c → b → a as gatekeeper
    roles = brokerage(survey.undirected(), "g")["b"]
    assert (roles["representative"], roles["gatekeeper"], sum(roles.values())) == (1, 1, 2)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"nodes": [{"id": "a"}], "ties": null}', "ties: give a list"),
        ('{"nodes": [{"id": "café"}]}'.encode("cp1252"), "not UTF-8"),
        (b'{"nodes": [{"id": "a"}, {"id": "b"}], "ties": [{"source": "a", "target": "b",'
         b' "weight": NaN}]}', "NaN is not a number"),
        (b'{"nodes": [{"id": "a"}, {"id": "b"}], "ties": [{"source": "a", "target": "b",'
         b' "weight": 1e400}]}', "1e400 is too large a number"),
    ],
)  # fmt: skip
def test_cli_network_refuses_bad_files(tmp_path: Path, content: bytes, message: str) -> None:
    file = tmp_path / "net.json"
    file.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-m", "samenspel.cli.main", "network", str(file), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("directed", [False, True])
def test_graphml_reads_back_in_networkx(directed: bool) -> None:
    """The GraphML export, read by networkx's own reader: every node with its name and
    attributes, every tie with its weight; text that XML cannot hold is left out."""
    network = Network(
        {
            "p1": {"stakeholder_group": "executive", "organisation": "Ziekenhuis <A&B>"},
            "p2": {"stakeholder_group": "resident", "organisation": "Wijk \x01Oost"},
            "p3": {"stakeholder_group": "professional", "organisation": ""},
        },
        [Tie("p1", "p2", 2.0), Tie("p2", "p3", 0.5)],
        directed=directed,
    )
    names = {"p1": "Eva \"E\" Exec", "p2": "Rita", "p3": "Nina"}
    graph = nx.read_graphml(io.StringIO(to_graphml(network, names)))
    assert graph.is_directed() == directed
    assert dict(graph.nodes(data=True)) == {
        "p1": {"name": 'Eva "E" Exec', "stakeholder_group": "executive",
               "organisation": "Ziekenhuis <A&B>"},
        "p2": {"name": "Rita", "stakeholder_group": "resident", "organisation": "Wijk Oost"},
        "p3": {"name": "Nina", "stakeholder_group": "professional", "organisation": ""},
    }  # fmt: skip
    assert sorted(graph.edges(data="weight")) == [("p1", "p2", 2.0), ("p2", "p3", 0.5)]
