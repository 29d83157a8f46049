"""Every canned query gives the same rows through kg (rdflib) and through pyoxigraph, an
independent SPARQL engine, over the exported Turtle: the queries and export are standard."""

from __future__ import annotations

import pyoxigraph
import pytest
from rdflib import BNode, Literal, URIRef

from kg.formats import write_graph
from kg.queries import catalog, run_canned
from kg.store import GraphEngine

CONCATENATED = ("kinds", "parties", "places", "organizers", "providers", "recipients")


@pytest.fixture(scope="module")
def oxigraph(graph):
    store = pyoxigraph.Store()
    store.load(write_graph(graph, "turtle"), format=pyoxigraph.RdfFormat.TURTLE)
    return store


XSD = "http://www.w3.org/2001/XMLSchema#"


def from_rdflib(term):
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("bnode",)
    assert isinstance(term, Literal)
    datatype = None if term.language else str(term.datatype or XSD + "string")
    if datatype == XSD + "nonNegativeInteger":
        # Oxigraph stores integer subtypes as xsd:integer; the value is the same
        datatype = XSD + "integer"
    return ("literal", str(term), term.language, datatype)


def from_oxigraph(term):
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return ("iri", term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return ("bnode",)
    language = term.language
    return ("literal", term.value, language, None if language else term.datatype.value)


def normalized(variables, rows):
    """Rows as comparable tuples; GROUP_CONCAT's order is unspecified, so its parts are sorted."""
    out = []
    for row in rows:
        cells = []
        for var, cell in zip(variables, row, strict=True):
            if cell is not None and var in CONCATENATED:
                cell = (*cell[:1], "; ".join(sorted(cell[1].split("; "))), *cell[2:])
            cells.append(cell)
        out.append(tuple(cells))
    return sorted(out, key=repr)


@pytest.mark.parametrize("name", sorted(catalog()))
def test_same_rows_as_pyoxigraph(graph, oxigraph, name):
    ours = run_canned(GraphEngine(graph), name)
    theirs = oxigraph.query(catalog()[name].text)
    variables = [v.value for v in theirs.variables]
    assert variables == ours.variables
    their_rows = [tuple(from_oxigraph(solution[v]) for v in variables) for solution in theirs]
    our_rows = [tuple(from_rdflib(t) for t in row) for row in ours.rows]
    assert len(our_rows) > 0
    assert normalized(variables, our_rows) == normalized(variables, their_rows)


# ---------------------------------------------------------------- a trip through a store

OA = "http://www.w3.org/ns/oa#"


@pytest.fixture(scope="module")
def round_tripped(built, tmp_path_factory):
    """build/kg.ttl loaded into an Oxigraph store and dumped back as Turtle, read as
    ``kg validate`` reads a file."""
    from kg.resources import GRAPH_FILE
    from kg.store import read_rdf

    store = pyoxigraph.Store()
    store.load((built.out_dir / GRAPH_FILE).read_bytes(), format=pyoxigraph.RdfFormat.TURTLE)
    path = tmp_path_factory.mktemp("oxigraph") / "kg.ttl"
    path.write_bytes(
        store.dump(format=pyoxigraph.RdfFormat.TURTLE, from_graph=pyoxigraph.DefaultGraph())
    )
    return read_rdf(path)


def test_the_store_gives_offsets_back_as_xsd_integer(round_tripped):
    """The premise: Oxigraph drops the integer subtype that kg build writes."""
    offsets = [o for p in ("start", "end") for o in round_tripped.objects(None, URIRef(OA + p))]
    assert offsets
    assert {o.datatype for o in offsets} == {URIRef(XSD + "integer")}


def test_the_graph_still_conforms_after_a_trip_through_a_store(round_tripped):
    from kg.validation import validate

    report = validate(round_tripped)
    assert report.violations == [], report.text()[:3000]


@pytest.mark.parametrize(
    ("lexical", "datatype"),
    [
        ("-1", "integer"),
        ("-1", "nonNegativeInteger"),
        ("-1", "int"),
        ("5", "decimal"),
        ("5", "string"),
    ],
)
def test_a_negative_or_non_integer_offset_is_still_a_violation(round_tripped, lexical, datatype):
    from rdflib import RDF, Graph

    from kg.validation import validate

    start, end = URIRef(OA + "start"), URIRef(OA + "end")
    selector = sorted(round_tripped.subjects(start, None))[0]

    def start_findings(value):
        graph = Graph()
        graph.add((selector, RDF.type, URIRef(OA + "TextPositionSelector")))
        graph.add((selector, end, round_tripped.value(selector, end)))
        graph.add((selector, start, value))
        return [
            f
            for f in validate(graph).violations
            if (f.focus, f.path, f.shape)
            == (
                str(selector),
                OA + "start",
                "https://w3id.org/counterpart-kg/shapes#Position-start",
            )
        ]

    assert start_findings(round_tripped.value(selector, start)) == []
    assert start_findings(Literal(lexical, datatype=URIRef(XSD + datatype)))
