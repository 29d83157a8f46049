"""The institution-link graph: a networkx view of the RDF graph, and the analyses run on it.

Derived in one place (``link_graph``) and reused by every ``kg graph`` command and view. Nodes
are institutions (and, on request, places and people); edges are typed links, each keeping its
weight (the number of facts behind it) and those facts with their article and first quote.
Entity resolution carries over from the build: one centre with four spellings is one node.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations, pairwise
from typing import Any

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import ORG, PROV, SDO, SKOS

from kg.errors import KgError
from kg.names import closest, match
from kg.queries import QueryResult
from kg.vocab import DATA_IRI, KG, OA

# link kind -> whether it has a direction (provider -> recipient, part -> whole)
LINK_KINDS = {
    "assistance": True,
    "agreement": False,
    "co-participation": False,
    "sub-organization": True,
    "satellite": True,
    "program": True,
    "located-in": True,
    "post": True,
}
EXTRAS = ("places", "people")
# facts that link exactly two nodes: (link kind, fact class, from-property, to-property)
PAIR_LINKS = (
    ("sub-organization", KG.SubOrganizationLink, KG.subOrganization, KG.parentOrganization),
    ("satellite", KG.SatelliteLink, KG.satellite, KG.hub),
    ("post", KG.RoleStatement, ORG.member, ORG.organization),
)


@dataclass(frozen=True)
class Support:
    """A fact behind a link: what it says, where, and its first quote."""

    fact: str
    label: str
    article: str
    quote: str


def node_id(iri: URIRef) -> str:
    """A node's id: its IRI below kg's data namespace, e.g. ``org/cjfh``."""
    return str(iri)[len(DATA_IRI) :] if str(iri).startswith(DATA_IRI) else str(iri)


def _label(rdf: Graph, node: URIRef) -> str:
    for label in sorted(rdf.objects(node, SKOS.prefLabel)):
        if isinstance(label, Literal) and label.language == "en":
            return str(label)
    return node_id(node)


def _names(rdf: Graph, node: URIRef) -> list[str]:
    names = {
        str(x)
        for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
        for x in rdf.objects(node, p)
    }
    return sorted(names)


def _kind(rdf: Graph, node: URIRef) -> tuple[str, str]:
    """(category, kind label): ('institution', 'hospital'), ('place', 'county'), ('person', ...)"""
    if (node, RDF.type, SDO.Person) in rdf:
        return "person", "person"
    category = "place" if (node, RDF.type, SDO.Place) in rdf else "institution"
    for cls in sorted(rdf.objects(node, RDF.type)):
        if str(cls).startswith(str(KG._NS)):
            label = rdf.value(cls, RDFS.label)
            return category, str(label) if label else str(cls).rsplit("#", 1)[-1]
    return category, category


def _province(rdf: Graph, node: URIRef) -> str:
    """The province-level division a node lies in (itself, for a province), or ''."""
    place = rdf.value(node, KG.locatedIn) if (node, RDF.type, SDO.Place) not in rdf else node
    seen = set()
    while place is not None and place not in seen:
        seen.add(place)
        if any(
            (place, RDF.type, cls) in rdf
            for cls in (KG.Province, KG.AutonomousRegion, KG.Municipality)
        ):
            return _label(rdf, place)
        place = rdf.value(place, SDO.containedInPlace)
    return ""


def _support(rdf: Graph, fact: URIRef) -> Support:
    article = rdf.value(fact, PROV.wasDerivedFrom)
    quote = ""
    for evidence in sorted(rdf.objects(fact, KG.evidence)):
        target = rdf.value(evidence, OA.hasTarget)
        for selector in rdf.objects(target, OA.hasSelector):
            exact = rdf.value(selector, OA.exact)
            if exact is not None:
                quote = " ".join(str(exact).split())
        break
    return Support(
        node_id(fact),
        str(rdf.value(fact, RDFS.label) or ""),
        str(rdf.value(article, KG.file) or ""),
        quote,
    )


def link_graph(rdf: Graph, extras: tuple[str, ...] = ()) -> nx.MultiDiGraph:
    """The link graph. ``extras`` may hold 'places' and 'people' to add those as nodes."""
    for extra in extras:
        if extra not in EXTRAS:
            raise KgError(f"unknown node set '{extra}'", hint="use --with places,people")
    wanted = {"institution"} | {{"places": "place", "people": "person"}[e] for e in extras}
    links: dict[tuple[str, str, str], list[Support]] = defaultdict(list)
    endpoints: set[URIRef] = set()

    def link(kind: str, a: URIRef, b: URIRef, support: Support | None) -> None:
        if a == b:
            return
        if not LINK_KINDS[kind] and node_id(b) < node_id(a):
            a, b = b, a
        endpoints.update((a, b))
        bucket = links[(node_id(a), node_id(b), kind)]
        if support is not None and support not in bucket:
            bucket.append(support)

    def facts(cls: URIRef) -> list[URIRef]:
        return sorted(rdf.subjects(RDF.type, cls))

    for fact in facts(KG.AssistanceRelationship):
        provider, recipient = rdf.value(fact, KG.provider), rdf.value(fact, KG.recipient)
        link("assistance", provider, recipient, _support(rdf, fact))
        program = rdf.value(fact, KG.program)
        if program is not None:  # both sides take part in the programme
            for member in (provider, recipient):
                link("program", member, program, _support(rdf, fact))
    for fact in facts(KG.Agreement):
        for a, b in combinations(sorted(rdf.objects(fact, KG.party)), 2):
            link("agreement", a, b, _support(rdf, fact))
    for fact in facts(KG.Event):
        members = {x for p in (SDO.attendee, SDO.organizer) for x in rdf.objects(fact, p)}
        members = {x for x in members if _kind(rdf, x)[0] in wanted}
        for a, b in combinations(sorted(members), 2):
            link("co-participation", a, b, _support(rdf, fact))
    for kind, cls, part, whole in PAIR_LINKS:
        if kind == "post" and "people" not in extras:
            continue
        for fact in facts(cls):
            link(kind, rdf.value(fact, part), rdf.value(fact, whole), _support(rdf, fact))

    nodes = set(rdf.subjects(RDF.type, ORG.Organization)) | endpoints
    if "places" in extras:
        for institution in sorted(rdf.subjects(RDF.type, ORG.Organization)):
            place = rdf.value(institution, KG.locatedIn)
            if place is not None:
                link("located-in", institution, place, None)
        for place in sorted(rdf.subjects(RDF.type, SDO.Place)):
            parent = rdf.value(place, SDO.containedInPlace)
            if parent is not None:
                link("located-in", place, parent, None)
        nodes |= endpoints

    graph = nx.MultiDiGraph()
    for node in sorted(nodes, key=node_id):
        category, kind = _kind(rdf, node)
        graph.add_node(
            node_id(node),
            label=_label(rdf, node),
            category=category,
            kind=kind,
            province=_province(rdf, node),
            names=" | ".join(_names(rdf, node)),
        )
    for (a, b, kind), supports in sorted(links.items()):
        if a not in graph or b not in graph:
            continue
        graph.add_edge(
            a,
            b,
            key=kind,
            kind=kind,
            directed=LINK_KINDS[kind],
            weight=max(1, len(supports)),
            supports=supports,
        )
    return graph


def simple(graph: nx.MultiDiGraph) -> nx.Graph:
    """Undirected, one edge per pair, weights summed: what distance and centrality read."""
    out = nx.Graph()
    out.add_nodes_from(graph.nodes(data=True))
    for a, b, data in graph.edges(data=True):
        weight = out[a][b]["weight"] + data["weight"] if out.has_edge(a, b) else data["weight"]
        out.add_edge(a, b, weight=weight)
    return out


def find_node(graph: nx.MultiDiGraph, text: str) -> str:
    """A node named by any of its labels or its id (``org/cjfh`` or ``cjfh``): an exact name
    first, part of a name only when nothing matches exactly (see kg.names)."""
    pool = {
        node: {*data["names"].split(" | "), node, node.split("/")[-1]}
        for node, data in graph.nodes(data=True)
    }
    found, _ = match(text, pool)
    if len(found) == 1:
        return found[0]
    if not found:
        everything = {name for _, d in graph.nodes(data=True) for name in d["names"].split(" | ")}
        near = closest(text, everything, n=5)
        raise KgError(
            f"no node is named '{text}'",
            hint=("closest names: " + "; ".join(near))
            if near
            else "any label works, variants and Chinese included; try a shorter part",
        )
    listed = "; ".join(f"{graph.nodes[n]['label']} ({n})" for n in sorted(found)[:8])
    raise KgError(
        f"'{text}' names {len(found)} nodes: {listed}",
        hint="use more of the name, or the node id (e.g. org/cjfh)",
    )


def _result(variables: list[str], rows: list[tuple[Any, ...]]) -> QueryResult:
    return QueryResult("SELECT", variables, [tuple(_term(v) for v in row) for row in rows])


def _term(value: Any) -> Any:
    if value is None or isinstance(value, URIRef | Literal):
        return value
    return Literal(value)


def _node_term(node: str) -> URIRef:
    return URIRef(DATA_IRI + node)


def stats(graph: nx.MultiDiGraph) -> QueryResult:
    """Nodes per category and kind, edges per link kind, components, density."""
    rows: list[tuple[Any, ...]] = []
    for (category, kind), count in sorted(
        Counter((d["category"], d["kind"]) for _, d in graph.nodes(data=True)).items()
    ):
        rows.append(("nodes", f"{category}: {kind}", count))
    rows.append(("nodes", "all", graph.number_of_nodes()))
    for kind, count in sorted(Counter(k for _, _, k in graph.edges(keys=True)).items()):
        rows.append(("edges", kind, count))
    rows.append(("edges", "all", graph.number_of_edges()))
    projection = simple(graph)
    components = list(nx.connected_components(projection))
    rows.append(("components", "all", len(components)))
    rows.append(("components", "with more than one node", sum(len(c) > 1 for c in components)))
    rows.append(("density", "undirected, one edge per pair", round(nx.density(projection), 4)))
    return _result(["measure", "of", "value"], rows)


def central(graph: nx.MultiDiGraph, measure: str = "degree", top: int = 10) -> QueryResult:
    """The hubs: nodes ranked by degree, betweenness or PageRank of the undirected graph."""
    projection = simple(graph)
    if measure == "degree":
        scores = dict(projection.degree(weight="weight"))
    elif measure == "betweenness":
        scores = nx.betweenness_centrality(projection)
    elif measure == "pagerank":
        scores = nx.pagerank(projection, weight="weight")
    else:
        raise KgError(f"unknown measure '{measure}'", hint="degree, betweenness or pagerank")
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:top]
    rows = [
        (
            _node_term(n),
            graph.nodes[n]["label"],
            graph.nodes[n]["kind"],
            round(score, 4) if isinstance(score, float) else score,
        )
        for n, score in ranked
    ]
    return _result(["node", "nodeLabel", "kind", measure], rows)


def path(graph: nx.MultiDiGraph, start: str, end: str) -> QueryResult:
    """The shortest chain of links between two nodes, with the fact and quote behind each hop."""
    a, b = find_node(graph, start), find_node(graph, end)
    try:
        hops = nx.shortest_path(simple(graph), a, b)
    except nx.NetworkXNoPath:
        raise KgError(
            f"no chain of links joins {graph.nodes[a]['label']} and {graph.nodes[b]['label']}",
            hint="'kg graph components' shows which nodes hang together",
        ) from None
    rows = []
    for step, (u, v) in enumerate(pairwise(hops), start=1):
        edges = [(x, y, d) for x, y, d in graph.edges([u, v], data=True) if {x, y} == {u, v}]
        x, y, data = sorted(edges, key=lambda e: (not e[2]["supports"], e[2]["kind"]))[0]
        support = data["supports"][0] if data["supports"] else Support("", "", "", "")
        rows.append(
            (
                step,
                _node_term(u),
                graph.nodes[u]["label"],
                data["kind"],
                "forward" if (x, y) == (u, v) else "backward",
                _node_term(v),
                graph.nodes[v]["label"],
                support.label,
                support.article,
                support.quote,
            )
        )
    return _result(
        [
            "step",
            "from",
            "fromLabel",
            "link",
            "direction",
            "to",
            "toLabel",
            "fact",
            "article",
            "quote",
        ],
        rows,
    )


def neighbors(graph: nx.MultiDiGraph, name: str, depth: int = 1) -> QueryResult:
    """Nodes within ``depth`` links of a node, with the kinds of link that reach them."""
    start = find_node(graph, name)
    distances = nx.single_source_shortest_path_length(simple(graph), start, cutoff=depth)
    rows = []
    for node, distance in sorted(distances.items(), key=lambda item: (item[1], item[0])):
        if node == start:
            continue
        kinds = sorted(
            {
                d["kind"]
                for x, y, d in graph.edges(data=True)
                if node in (x, y) and distances.get(x if y == node else y, depth + 1) < distance
            }
        )
        rows.append(
            (
                _node_term(node),
                graph.nodes[node]["label"],
                graph.nodes[node]["kind"],
                distance,
                ", ".join(kinds),
            )
        )
    return _result(["node", "nodeLabel", "kind", "distance", "via"], rows)


def components(graph: nx.MultiDiGraph) -> QueryResult:
    """The clusters: connected groups of nodes, largest first, with their members."""
    groups = sorted(nx.connected_components(simple(graph)), key=lambda c: (-len(c), sorted(c)[0]))
    rows = []
    for number, group in enumerate(groups, start=1):
        labels = sorted(graph.nodes[n]["label"] for n in group)
        rows.append((number, len(group), "; ".join(labels)))
    return _result(["component", "size", "members"], rows)


def flows(graph: nx.MultiDiGraph) -> QueryResult:
    """Assistance links aggregated from the provider's province to the recipient's."""
    totals: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for a, b, data in graph.edges(data=True):
        if data["kind"] == "assistance":
            key = (
                graph.nodes[a]["province"] or "(unknown)",
                graph.nodes[b]["province"] or "(unknown)",
            )
            totals[key].append((graph.nodes[a]["label"], graph.nodes[b]["label"]))
    rows = []
    for (source, target), pairs in sorted(
        totals.items(), key=lambda item: (-len(item[1]), item[0])
    ):
        rows.append(
            (
                source,
                target,
                len(pairs),
                "; ".join(sorted({p for p, _ in pairs})),
                "; ".join(sorted({r for _, r in pairs})),
            )
        )
    return _result(["fromProvince", "toProvince", "links", "providers", "recipients"], rows)
