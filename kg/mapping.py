"""Map checked annotations onto the ontology: the registry to one graph, each article to its own.

Every IRI comes from a stable id (registry id, article file name, fact id), so the same input
always gives the same graph, and no node is blank. Each article is mapped on its own, from the
article and the registry alone, so articles can be mapped in parallel.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import FOAF, ORG, PROV, SDO, SKOS
from rdflib.term import Node

from kg.annotations import Article, DateValue, Entity, Fact, Registry
from kg.evidence import CONTEXT, Located, locate
from kg.vocab import (
    ASSISTANCE_KINDS,
    EVENT_KINDS,
    ID,
    KG,
    OA,
    ORGANIZATION_KINDS,
    PLACE_KINDS,
    QUALIFIERS,
    new_graph,
)

ENTITY_PATHS = {"organization": "org", "person": "person", "place": "place"}


def entity_iri(entity: Entity) -> URIRef:
    return ID[f"{ENTITY_PATHS[entity.kind]}/{entity.id}"]


def role_iri(role_id: str) -> URIRef:
    return ID[f"role/{role_id}"]


def article_iri(article: Article) -> URIRef:
    return ID[f"article/{article.key}"]


def fact_iri(article: Article, fact_id: str) -> URIRef:
    return ID[f"fact/{article.key}/{fact_id}"]


def date_literal(value: str, precision: str) -> Literal:
    return Literal(value, datatype=XSD[precision])


def number_literal(text: str) -> Literal:
    """xsd:integer for whole numbers, else xsd:decimal: both survive a Turtle round trip."""
    value = Decimal(text)
    if value == value.to_integral_value():
        return Literal(int(value), datatype=XSD.integer)
    return Literal(value.normalize(), datatype=XSD.decimal)


def map_registry(registry: Registry) -> Graph:
    """The registry's entities and roles, with all their labels."""
    graph = new_graph()
    for entity in registry.entities.values():
        node = entity_iri(entity)
        if entity.kind == "organization":
            graph.add((node, RDF.type, ORG.Organization))
            graph.add((node, RDF.type, ORGANIZATION_KINDS[entity.type or ""]))
            if entity.parent:
                graph.add((node, KG.locatedIn, entity_iri(registry.entities[entity.parent])))
            if entity.predecessor:
                predecessor = registry.entities[entity.predecessor]
                graph.add((node, KG.successorOf, entity_iri(predecessor)))
        elif entity.kind == "place":
            graph.add((node, RDF.type, SDO.Place))
            graph.add((node, RDF.type, PLACE_KINDS[entity.type or ""]))
            if entity.parent:
                parent = entity_iri(registry.entities[entity.parent])
                graph.add((node, SDO.containedInPlace, parent))
        else:
            graph.add((node, RDF.type, SDO.Person))
            graph.add((node, RDF.type, FOAF.Person))
        _add_labels(graph, node, entity.label, entity.alt, entity.hidden, entity.zh)
        if entity.reference:
            graph.add((node, KG.referenceData, Literal(True)))
        _add_note(graph, node, entity.note)
        graph.add((node, KG.sourceLine, Literal(str(entity.origin))))
    for role in registry.roles.values():
        node = role_iri(role.id)
        graph.add((node, RDF.type, ORG.Role))
        graph.add((node, RDF.type, SKOS.Concept))
        _add_labels(graph, node, role.label, (), (), role.zh)
        graph.add((node, KG.sourceLine, Literal(str(role.origin))))
    return graph


def _add_labels(
    graph: Graph,
    node: URIRef,
    label: str,
    alt: tuple[str, ...],
    hidden: tuple[str, ...],
    zh: tuple[str, ...],
) -> None:
    graph.add((node, RDFS.label, Literal(label, lang="en")))
    graph.add((node, SKOS.prefLabel, Literal(label, lang="en")))
    for value in alt:
        graph.add((node, SKOS.altLabel, Literal(value, lang="en")))
    for value in hidden:
        graph.add((node, SKOS.hiddenLabel, Literal(value, lang="en")))
    for index, value in enumerate(zh):
        graph.add(
            (node, SKOS.prefLabel if index == 0 else SKOS.altLabel, Literal(value, lang="zh"))
        )


def _add_note(graph: Graph, node: URIRef, note: str | None) -> None:
    if note:
        graph.add((node, KG.note, Literal(note.strip(), lang="en")))


def map_article(article: Article, registry: Registry) -> Graph:
    """One article: its metadata, facts with evidence, and where registry labels occur in it."""
    graph = new_graph()
    node = article_iri(article)
    graph.add((node, RDF.type, SDO.NewsArticle))
    graph.add((node, RDF.type, PROV.Entity))
    graph.add((node, SDO.headline, Literal(article.title, lang="en")))
    graph.add((node, RDFS.label, Literal(article.title, lang="en")))
    graph.add((node, KG.file, Literal(article.file)))
    digest = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    graph.add((node, KG.sha256, Literal(digest)))
    for language in article.languages:
        graph.add((node, SDO.inLanguage, Literal(language)))
    if article.publisher:
        graph.add((node, SDO.publisher, entity_iri(registry.entities[article.publisher])))
    if article.author:
        graph.add((node, SDO.author, entity_iri(registry.entities[article.author])))
    if article.source:
        graph.add((node, KG.sourceText, Literal(article.source)))
    if article.published:
        _add_date(graph, node, SDO.datePublished, article.published)
    if article.url:
        graph.add((node, SDO.url, Literal(article.url, datatype=XSD.anyURI)))
    _add_note(graph, node, article.note)
    graph.add((node, KG.sourceLine, Literal(str(article.origin))))
    for fact in article.facts:
        _map_fact(graph, article, registry, fact)
    _map_mentions(graph, article, registry)
    return graph


def _add_date(graph: Graph, node: URIRef, predicate: URIRef, date: DateValue) -> None:
    graph.add((node, predicate, date_literal(date.stated, date.precision)))
    if date.inferred and date.inferred_precision:
        graph.add((node, KG.inferredDate, date_literal(date.inferred, date.inferred_precision)))
        graph.add(
            (node, KG.dateInference, Literal(" ".join((date.reason or "").split()), lang="en"))
        )


def _full_date(date: DateValue) -> Literal | None:
    """The date as xsd:date when it is known to the day (stated, or else inferred)."""
    if date.precision == "date":
        return date_literal(date.stated, "date")
    if date.inferred and date.inferred_precision == "date":
        return date_literal(date.inferred, "date")
    return None


@dataclass
class _FactNode:
    """One fact being mapped: its node, and shortcuts from its fields to RDF terms."""

    graph: Graph
    article: Article
    registry: Registry
    fact: Fact
    node: URIRef

    @property
    def values(self) -> dict:
        return self.fact.values

    def add(self, predicate: URIRef, obj: Node) -> None:
        self.graph.add((self.node, predicate, obj))

    def entity(self, key: str) -> URIRef:
        return entity_iri(self.registry.entities[self.values[key]])

    def entities(self, key: str) -> list[URIRef]:
        return [entity_iri(self.registry.entities[x]) for x in self.values.get(key, ())]

    def fact_ref(self, key: str) -> URIRef:
        return fact_iri(self.article, self.values[key])

    def label_of(self, key: str) -> str:
        return self.registry.entities[self.values[key]].label

    def dates(self, fields: dict[str, URIRef]) -> None:
        for key, predicate in fields.items():
            if key in self.values:
                _add_date(self.graph, self.node, predicate, self.values[key])


def _map_fact(graph: Graph, article: Article, registry: Registry, fact: Fact) -> None:
    node = fact_iri(article, fact.id)
    graph.add((node, RDF.type, KG.Fact))
    graph.add((node, RDF.type, PROV.Entity))
    graph.add((node, PROV.wasDerivedFrom, article_iri(article)))
    graph.add((node, KG.sourceLine, Literal(str(fact.origin))))
    _add_note(graph, node, fact.note)
    for index, quote in enumerate(fact.evidence, start=1):
        _map_evidence(graph, article, node, f"{node}/evidence/{index}", locate(article, quote))
    label = FACT_MAPPERS[fact.type](_FactNode(graph, article, registry, fact, node))
    graph.add((node, RDFS.label, Literal(label, lang="en")))


def _map_role(f: _FactNode) -> str:
    person, organization = f.entity("person"), f.entity("organization")
    role = role_iri(f.values["role"])
    post = ID[f"post/{f.values['organization']}/{f.values['role']}"]
    for cls in (KG.RoleStatement, ORG.Membership):
        f.add(RDF.type, cls)
    f.add(ORG.member, person)
    f.add(ORG.organization, organization)
    f.add(ORG.role, role)
    f.add(KG.post, post)
    f.add(KG.postTitle, Literal(f.values["post"], lang="en"))
    if f.values.get("ambiguous"):
        f.add(KG.ambiguous, Literal(True))
    as_of = f.values.get("as_of") or f.article.published
    if as_of:
        _add_date(f.graph, f.node, KG.statedOn, as_of)
    # the standard shortcuts: ORG's memberOf, and the post as an org:Post
    f.graph.add((person, ORG.memberOf, organization))
    role_label = f.registry.roles[f.values["role"]].label
    for predicate, obj in (
        (RDF.type, ORG.Post),
        (ORG.postIn, organization),
        (ORG.role, role),
        (ORG.heldBy, person),
        (RDFS.label, Literal(f"{role_label}, {f.label_of('organization')}", lang="en")),
    ):
        f.graph.add((post, predicate, obj))
    return f"{f.label_of('person')}: {f.values['post']}, {f.label_of('organization')}"


def _map_assistance(f: _FactNode) -> str:
    f.add(RDF.type, KG.AssistanceRelationship)
    f.add(KG.provider, f.entity("provider"))
    f.add(KG.recipient, f.entity("recipient"))
    for kind in f.values["kinds"]:
        f.add(KG.assistanceKind, ASSISTANCE_KINDS[kind])
    f.dates({"start": KG.startDate, "end": KG.endDate})
    if "agreement" in f.values:
        f.add(KG.underAgreement, f.fact_ref("agreement"))
    if "program" in f.values:
        f.add(KG.program, f.entity("program"))
    for activity in f.values.get("activities", ()):
        f.add(KG.activity, Literal(activity, lang="en"))
    return f"{f.label_of('provider')} assists {f.label_of('recipient')}"


def _map_agreement(f: _FactNode) -> str:
    f.add(RDF.type, KG.Agreement)
    f.add(SDO.name, Literal(f.values["title"], lang="en"))
    for party in f.entities("parties"):
        f.add(KG.party, party)
    f.dates({"start": KG.startDate, "end": KG.endDate, "signed": KG.signedOn})
    if "signing_event" in f.values:
        f.add(KG.signingEvent, f.fact_ref("signing_event"))
    return f.values["title"]


def _map_event(f: _FactNode) -> str:
    for cls in (KG.Event, EVENT_KINDS[f.values["kind"]], SDO.Event):
        f.add(RDF.type, cls)
    f.add(SDO.name, Literal(f.values["label"], lang="en"))
    f.dates({"date": KG.date})
    if "date" in f.values:
        full = _full_date(f.values["date"])
        if full is not None:
            f.add(SDO.startDate, full)
    for key, predicate in (
        ("places", SDO.location),
        ("organizers", SDO.organizer),
        ("participants", SDO.attendee),
    ):
        for entity in f.entities(key):
            f.add(predicate, entity)
    if "part_of" in f.values:
        f.add(SDO.superEvent, f.fact_ref("part_of"))
    if "assistance" in f.values:
        f.add(KG.withinAssistance, f.fact_ref("assistance"))
    return f.values["label"]


def _map_measure(f: _FactNode) -> str:
    values = f.values
    f.add(RDF.type, KG.Measure)
    f.add(KG.quantity, Literal(values["quantity"], lang="en"))
    f.add(KG.value, number_literal(values["value"]))
    f.add(KG.unit, Literal(values["unit"], lang="en"))
    qualifier = values.get("qualifier", "exactly")
    f.add(KG.qualifier, QUALIFIERS[qualifier])
    about = values["about"]
    f.add(KG.about, f.fact_ref("about") if about in f.article.fact_index else f.entity("about"))
    prefix = "more than " if qualifier == "more-than" else ""
    unit = "" if values["unit"] == values["quantity"] else f" {values['unit']}"
    return f"{values['quantity']}: {prefix}{values['value']}{unit}"


# Link facts: (class, part field and property, whole field and property, the direct
# shortcut triple a standards-only tool reads, words for the label)
LINKS = {
    "sub-organization": (
        KG.SubOrganizationLink,
        ("organization", KG.subOrganization),
        ("parent", KG.parentOrganization),
        ORG.subOrganizationOf,
        "is part of",
    ),
    "satellite": (
        KG.SatelliteLink,
        ("satellite", KG.satellite),
        ("hub", KG.hub),
        KG.satelliteOf,
        "is a satellite of",
    ),
}


def _map_link(f: _FactNode) -> str:
    cls, (part_key, part_property), (whole_key, whole_property), shortcut, words = LINKS[
        f.fact.type
    ]
    part, whole = f.entity(part_key), f.entity(whole_key)
    f.add(RDF.type, cls)
    f.add(part_property, part)
    f.add(whole_property, whole)
    f.graph.add((part, shortcut, whole))
    return f"{f.label_of(part_key)} {words} {f.label_of(whole_key)}"


FACT_MAPPERS: dict[str, Callable[[_FactNode], str]] = {
    "role": _map_role,
    "assistance": _map_assistance,
    "agreement": _map_agreement,
    "event": _map_event,
    "measure": _map_measure,
    "sub-organization": _map_link,
    "satellite": _map_link,
}


def _map_evidence(graph: Graph, article: Article, body: URIRef, iri: str, found: Located) -> None:
    node = URIRef(iri)
    graph.add((node, RDF.type, KG.Evidence))
    graph.add((node, RDF.type, OA.Annotation))
    graph.add((node, OA.motivatedBy, OA.describing))
    graph.add((node, OA.hasBody, body))
    graph.add((body, KG.evidence, node))
    graph.add((node, KG.sourceLine, Literal(str(found.quote.origin))))
    _add_target(
        graph, article, node, found.quote.text, found.start, found.end, found.prefix, found.suffix
    )


def _add_target(
    graph: Graph,
    article: Article,
    annotation: URIRef,
    exact: str,
    start: int,
    end: int,
    prefix: str,
    suffix: str,
) -> None:
    target = URIRef(f"{annotation}/target")
    quote = URIRef(f"{annotation}/quote")
    position = URIRef(f"{annotation}/position")
    graph.add((annotation, OA.hasTarget, target))
    graph.add((target, RDF.type, OA.SpecificResource))
    graph.add((target, OA.hasSource, article_iri(article)))
    graph.add((target, OA.hasSelector, quote))
    graph.add((target, OA.hasSelector, position))
    graph.add((quote, RDF.type, OA.TextQuoteSelector))
    graph.add((quote, OA.exact, Literal(exact)))
    if prefix:
        graph.add((quote, OA.prefix, Literal(prefix)))
    if suffix:
        graph.add((quote, OA.suffix, Literal(suffix)))
    graph.add((position, RDF.type, OA.TextPositionSelector))
    graph.add((position, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
    graph.add((position, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))


def label_pattern(label: str) -> re.Pattern[str]:
    """A pattern for a label as it may appear in web text: any run of whitespace (including
    non-breaking spaces) between words, and no letter glued on either side of a Latin label."""
    words = [re.escape(word) for word in label.split()]
    body = r"\s+".join(words)
    if label[:1].isascii() and label[:1].isalnum():
        body = r"(?<![A-Za-z])" + body
    if label[-1:].isascii() and label[-1:].isalnum():
        body = body + r"(?![A-Za-z])"
    return re.compile(body)


def find_mentions(text: str, label: str) -> list[tuple[int, int]]:
    """Where a label occurs in an article (start, end), in order."""
    return [(m.start(), m.end()) for m in label_pattern(label).finditer(text)]


def _map_mentions(graph: Graph, article: Article, registry: Registry) -> None:
    text = article.text
    for entity in registry.entities.values():
        for index, (kind, label) in enumerate(entity.labels(), start=1):
            spans = find_mentions(text, label)
            if not spans:
                continue
            start, end = spans[0]
            node = ID[f"mention/{ENTITY_PATHS[entity.kind]}/{entity.id}/{article.key}/{index}"]
            graph.add((node, RDF.type, KG.Mention))
            graph.add((node, RDF.type, OA.Annotation))
            graph.add((node, OA.motivatedBy, OA.identifying))
            graph.add((node, OA.hasBody, entity_iri(entity)))
            graph.add((node, KG.occurrences, Literal(len(spans))))
            language = "zh" if kind == "zh" else "en"
            graph.add((node, KG.matchedLabel, Literal(label, lang=language)))
            _add_target(
                graph,
                article,
                node,
                text[start:end],
                start,
                end,
                text[max(0, start - CONTEXT) : start],
                text[end : end + CONTEXT],
            )
