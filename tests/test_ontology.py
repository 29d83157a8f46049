"""The ontology: every term declared and documented, the data consistent under OWL-RL."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, SDO, SKOS, XSD, DefinedNamespace

from kg import resources
from kg.validation import ontology_graph
from kg.vocab import KG, OA

KG_NS = str(KG._NS)
STANDARD = [ORG, PROV, SDO, SKOS, FOAF, DCTERMS, OA]
CORE = (str(RDF), str(RDFS), str(OWL), str(XSD))


CLOSURE_SCRIPT = """
import sys
import owlrl
from owlrl.Namespaces import ERRNS
from rdflib import Graph, Literal
graph = Graph().parse(data=sys.stdin.read(), format="nt")
owlrl.DeductiveClosure(getattr(owlrl, sys.argv[1])).expand(graph)
if sys.argv[2] == "errors":
    out = sorted(str(m) for m in graph.objects(None, ERRNS.error))
    print("\\n".join(out))
else:  # RDFS closure adds generalized triples with literal subjects: not RDF, dropped
    plain = Graph()
    for triple in graph:
        if not isinstance(triple[0], Literal):
            plain.add(triple)
    sys.stdout.write(plain.serialize(format="nt"))
"""


def closure(graph: Graph, semantics: str, want: str) -> str:
    """Run owlrl in a child process: it changes rdflib's datatype handling for good
    (xsd:gMonthDay literals turn ill-typed), which must not leak into other tests."""
    result = subprocess.run(
        [sys.executable, "-c", CLOSURE_SCRIPT, semantics, want],
        input=graph.serialize(format="nt"),
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return result.stdout


def owl_rl_errors(graph: Graph) -> list[str]:
    return [line for line in closure(graph, "OWLRL_Semantics", "errors").splitlines() if line]


def declared_in_standard(term: URIRef) -> bool:
    for namespace in STANDARD:
        base = str(namespace._NS) if isinstance(namespace, type) else str(namespace)
        if str(term).startswith(base):
            name = str(term)[len(base) :]
            return issubclass(namespace, DefinedNamespace) and name in namespace.__annotations__
    return False


def used_terms(graph: Graph) -> tuple[set[URIRef], set[URIRef]]:
    classes = {o for o in graph.objects(None, RDF.type) if isinstance(o, URIRef)}
    properties = set(graph.predicates())
    return classes, properties


def test_the_built_graph_is_consistent_under_owl_rl(graph):
    assert owl_rl_errors(graph) == []


def test_owl_rl_does_find_a_contradiction():
    """The check above can fail: a node that is both a hospital and a government is caught."""
    graph = Graph()
    graph += ontology_graph()
    node = URIRef("https://w3id.org/counterpart-kg/id/org/confused")
    graph.add((node, RDF.type, KG.Hospital))
    graph.add((node, RDF.type, KG.Government))
    assert owl_rl_errors(graph)


def test_every_class_and_property_used_is_declared(graph):
    ontology = ontology_graph()
    declared = set(ontology.subjects(RDF.type, None))
    classes, properties = used_terms(graph)
    missing = []
    for term in sorted(classes | properties):
        if str(term).startswith(CORE):
            continue
        if str(term).startswith(KG_NS):
            if term not in declared:
                missing.append(term)
        elif not declared_in_standard(term):
            missing.append(term)
    assert missing == []


def test_every_ontology_term_has_label_and_comment():
    ontology = ontology_graph()
    terms = {s for s in ontology.subjects() if str(s).startswith(KG_NS)}
    assert len(terms) > 80
    for term in terms:
        assert ontology.value(term, RDFS.label) is not None, term
        assert ontology.value(term, RDFS.comment) is not None, term


def test_vocab_module_and_ontology_agree():
    ontology = ontology_graph()
    declared = {str(s)[len(KG_NS) :] for s in ontology.subjects() if str(s).startswith(KG_NS)}
    in_code = set(KG.__annotations__)
    assert in_code == declared


def test_misspelt_term_fails_loudly():
    with pytest.raises(AttributeError):
        _ = KG.Hosptal


def test_kg_classes_align_to_standards():
    ontology = ontology_graph()
    inferred = Graph().parse(data=closure(ontology, "RDFS_Semantics", "graph"), format="nt")
    assert (KG.Hospital, RDFS.subClassOf, ORG.Organization) in inferred
    assert (KG.RoleStatement, RDFS.subClassOf, ORG.Membership) in inferred
    assert (KG.Event, RDFS.subClassOf, SDO.Event) in inferred
    assert (KG.Fact, RDFS.subClassOf, PROV.Entity) in inferred
    assert (KG.Evidence, RDFS.subClassOf, OA.Annotation) in inferred
    assert (KG.Municipality, RDFS.subClassOf, SDO.Place) in inferred


def test_kg_ontology_lists_every_term_with_its_alignment():
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["ontology", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = {r["term"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    located = rows["kg:locatedIn"]
    assert (located["group"], located["alignsTo"]) == ("object property", "schema:location")
    assert (located["domain"], located["range"]) == ("org:Organization", "schema:Place")
    assert rows["kg:Hospital"]["alignsTo"] == "org:FormalOrganization"
    assert rows["kg:MoreThan"]["group"] == "concept"
    declared = {
        str(s)
        for s in Graph().parse(resources.ontology_file()).subjects(RDF.type, None)
        if str(s).startswith(str(KG._NS))
    }
    assert len(rows) == len(declared)
