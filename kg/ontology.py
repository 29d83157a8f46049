"""The ontology as a reference for people writing SPARQL: kg's terms, grouped, with the
standard term each one refines, its domain and range, and what it means.

Read from ontology/kg.ttl itself, so the listing cannot drift from what the build writes.
"""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.queries import QueryResult
from kg.vocab import KG, new_graph

GROUPS = (
    ("class", OWL.Class),
    ("object property", OWL.ObjectProperty),
    ("datatype property", OWL.DatatypeProperty),
    ("annotation property", OWL.AnnotationProperty),
    ("concept", SKOS.Concept),
)
COLUMNS = ["group", "term", "label", "alignsTo", "domain", "range", "comment"]


def terms(ontology: Graph | None = None) -> QueryResult:
    """One row per term of kg's own namespace, classes first, each group in name order."""
    if ontology is None:
        from kg.validation import ontology_graph

        ontology = ontology_graph()
    names = new_graph().namespace_manager

    def short(nodes: list[URIRef]) -> str:
        return ", ".join(sorted(names.normalizeUri(n) for n in nodes if isinstance(n, URIRef)))

    def text(node: URIRef, predicate: URIRef) -> str:
        values = sorted(str(v) for v in ontology.objects(node, predicate) if isinstance(v, Literal))
        return " ".join(values[0].split()) if values else ""

    rows = []
    seen: set[URIRef] = set()
    for group, cls in GROUPS:
        for term in sorted(ontology.subjects(RDF.type, cls)):
            if not isinstance(term, URIRef) or not term.startswith(str(KG._NS)) or term in seen:
                continue
            seen.add(term)
            parents = [*ontology.objects(term, RDFS.subClassOf)]
            parents += ontology.objects(term, RDFS.subPropertyOf)
            parents += ontology.objects(term, SKOS.broader)
            cells = (
                group,
                names.normalizeUri(term),
                text(term, RDFS.label),
                short(parents),
                short(list(ontology.objects(term, RDFS.domain))),
                short(list(ontology.objects(term, RDFS.range))),
                text(term, RDFS.comment),
            )
            rows.append(tuple(Literal(cell) for cell in cells))
    return QueryResult("SELECT", COLUMNS, rows)
