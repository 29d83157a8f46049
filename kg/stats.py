"""Counts over a built graph: entities and facts overall, per class, and per article."""

from __future__ import annotations

from collections import Counter

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import ORG, PROV, SDO

from kg.vocab import KG, OA

ENTITY_CLASSES = {"organizations": ORG.Organization, "people": SDO.Person, "places": SDO.Place}
FACT_CLASSES = {
    "roles": KG.RoleStatement,
    "assistance": KG.AssistanceRelationship,
    "agreements": KG.Agreement,
    "events": KG.Event,
    "measures": KG.Measure,
    "sub-organizations": KG.SubOrganizationLink,
    "satellites": KG.SatelliteLink,
}


def _count(graph: Graph, cls: URIRef) -> int:
    return sum(1 for _ in graph.subjects(RDF.type, cls))


def summary(graph: Graph) -> dict[str, int]:
    """Entities, facts by kind, evidence quotes and articles."""
    counts = {name: _count(graph, cls) for name, cls in ENTITY_CLASSES.items()}
    counts.update({name: _count(graph, cls) for name, cls in FACT_CLASSES.items()})
    counts["evidence quotes"] = _count(graph, KG.Evidence)
    counts["label mentions"] = _count(graph, KG.Mention)
    counts["articles"] = _count(graph, SDO.NewsArticle)
    return counts


def per_article(graph: Graph) -> list[dict[str, object]]:
    """For each article (by file name): facts by kind, quotes, and entities it mentions."""
    rows = []
    for article in sorted(graph.subjects(RDF.type, SDO.NewsArticle), key=str):
        facts = set(graph.subjects(PROV.wasDerivedFrom, article))
        kinds: Counter[str] = Counter()
        for fact in facts:
            for name, cls in FACT_CLASSES.items():
                if (fact, RDF.type, cls) in graph:
                    kinds[name] += 1
        mentioned = set()
        for target in graph.subjects(OA.hasSource, article):
            for annotation in graph.subjects(OA.hasTarget, target):
                if (annotation, RDF.type, KG.Mention) in graph:
                    mentioned.add(graph.value(annotation, OA.hasBody))
        quotes = sum(1 for fact in facts for _ in graph.objects(fact, KG.evidence))
        row: dict[str, object] = {"article": str(graph.value(article, KG.file))}
        row.update({name: kinds[name] for name in FACT_CLASSES})
        row["facts"] = len(facts)
        row["quotes"] = quotes
        row["entities mentioned"] = len(mentioned)
        rows.append(row)
    return rows


def class_counts(graph: Graph) -> dict[str, int]:
    """Instances per class (prefixed name), leaving out the ontology's own OWL/RDF terms."""
    counts: Counter[str] = Counter()
    for _, cls in graph.subject_objects(RDF.type):
        if isinstance(cls, URIRef) and not str(cls).startswith(
            ("http://www.w3.org/2002/07/owl#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#")
        ):
            counts[graph.namespace_manager.normalizeUri(cls)] += 1
    return dict(sorted(counts.items()))
