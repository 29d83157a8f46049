"""Result and graph writers: W3C TSV term forms, and the prefixes an export declares."""

from __future__ import annotations

import io
import re

import pytest
from rdflib import XSD, Literal, URIRef
from rdflib.query import Result

from kg.formats import GRAPH_FORMATS, write_graph, write_tsv
from kg.queries import QueryResult, run_canned
from kg.store import GraphEngine


def tsv_cell(term) -> str:
    """The one cell a single-term result row gets in TSV."""
    text = write_tsv(QueryResult(kind="SELECT", variables=["x"], rows=[(term,)]))
    header, row = text.splitlines()
    assert header == "?x"
    return row


# ---------------------------------------------------------------- TSV


def test_tsv_writes_the_measured_number_bare(graph):
    text = write_tsv(run_canned(GraphEngine(graph), "measures"))
    lines = text.splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    surgeries = [r for r in rows if r["?unit"] == '"surgeries"@en']
    assert len(surgeries) == 1
    assert "Jiuquan" in surgeries[0]["?aboutLabel"]
    assert surgeries[0]["?value"] == "268"
    # every measured value is a bare integer, as pandas reads it
    assert all(re.fullmatch(r"[0-9]+", r["?value"]) for r in rows)


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        (Literal(268), "268"),
        (Literal("-7", datatype=XSD.integer), "-7"),
        (Literal("+7", datatype=XSD.integer, normalize=False), "+7"),
        # not canonical, but INTEGER in the Turtle grammar: the short form is the same literal
        (Literal("0268", datatype=XSD.integer, normalize=False), "0268"),
        (Literal("2.50", datatype=XSD.decimal, normalize=False), "2.50"),
        (Literal("-.5", datatype=XSD.decimal, normalize=False), "-.5"),
        (Literal("1.5E3", datatype=XSD.double, normalize=False), "1.5E3"),
        (Literal("2e-4", datatype=XSD.double, normalize=False), "2e-4"),
        (Literal(True), "true"),
        (Literal(False), "false"),
    ],
)
def test_tsv_numbers_and_booleans_in_turtle_short_form(term, expected):
    assert tsv_cell(term) == expected


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        # lexical forms the Turtle short form cannot carry keep their datatype
        (
            Literal("12", datatype=XSD.decimal, normalize=False),
            '"12"^^<http://www.w3.org/2001/XMLSchema#decimal>',
        ),
        (
            Literal("3.5", datatype=XSD.double, normalize=False),
            '"3.5"^^<http://www.w3.org/2001/XMLSchema#double>',
        ),
        (
            Literal("INF", datatype=XSD.double, normalize=False),
            '"INF"^^<http://www.w3.org/2001/XMLSchema#double>',
        ),
        (
            Literal("1", datatype=XSD.boolean, normalize=False),
            '"1"^^<http://www.w3.org/2001/XMLSchema#boolean>',
        ),
        (
            Literal(" 268", datatype=XSD.integer, normalize=False),
            '" 268"^^<http://www.w3.org/2001/XMLSchema#integer>',
        ),
        # integer subtypes have no short form
        (
            Literal("5", datatype=XSD.nonNegativeInteger),
            '"5"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>',
        ),
        (Literal("268"), '"268"'),
        (Literal("268", lang="en"), '"268"@en'),
        (Literal("true"), '"true"'),
        (URIRef("https://example.org/x"), "<https://example.org/x>"),
        # a cell never holds a raw tab or line break
        (Literal('a\tb\nc\r"d"\\'), r'"a\tb\nc\r\"d\"\\"'),
    ],
)
def test_tsv_other_terms_stay_in_n_triples_form(term, expected):
    assert tsv_cell(term) == expected


def test_tsv_reads_back_as_the_same_terms():
    terms = [
        Literal(268),
        Literal("2.50", datatype=XSD.decimal, normalize=False),
        Literal(True),
        Literal("1.5E3", datatype=XSD.double, normalize=False),
        Literal("5", datatype=XSD.nonNegativeInteger),
        Literal("two\tlines\nhere"),
        Literal("x", lang="zh"),
    ]
    variables = [f"v{i}" for i in range(len(terms))]
    text = write_tsv(QueryResult(kind="SELECT", variables=variables, rows=[tuple(terms)]))
    assert len(text.splitlines()) == 2
    (row,) = list(Result.parse(io.StringIO(text), format="tsv"))
    for ours, theirs in zip(terms, row, strict=True):
        assert theirs.eq(ours) and theirs.datatype == ours.datatype, (ours, theirs)


# ---------------------------------------------------------------- graph export


def test_turtle_export_declares_dcterms(graph):
    turtle = write_graph(graph, "turtle").decode("utf-8")
    assert re.search(r"^(@prefix|PREFIX) dcterms: <http://purl.org/dc/terms/>", turtle, re.M)
    assert "dcterms:title" in turtle


@pytest.mark.parametrize("fmt", sorted(GRAPH_FORMATS))
def test_no_export_format_invents_prefixes(graph, fmt):
    text = write_graph(graph, fmt).decode("utf-8")
    assert not re.search(r"\bns\d+:", text), fmt
    assert not re.search(r'"ns\d+"\s*:', text), fmt  # a JSON-LD context entry
