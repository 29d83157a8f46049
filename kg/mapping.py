"""Map checked annotations onto the ontology: the registry to one graph, each article to its own.

Every IRI comes from a stable id (registry id, article file name, fact id), so the same input
always gives the same graph, and no node is blank. Each article is mapped on its own, from the
article and the registry alone, so articles can be mapped in parallel.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import FOAF, ORG, PROV, SDO, SKOS

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


def _map_fact(graph: Graph, article: Article, registry: Registry, fact: Fact) -> None:
    node = fact_iri(article, fact.id)
    values = fact.values

    def entity(key: str) -> URIRef:
        return entity_iri(registry.entities[values[key]])

    def entities(key: str) -> list[URIRef]:
        return [entity_iri(registry.entities[x]) for x in values.get(key, ())]

    def label_of(key: str) -> str:
        return registry.entities[values[key]].label

    graph.add((node, RDF.type, KG.Fact))
    graph.add((node, RDF.type, PROV.Entity))
    graph.add((node, PROV.wasDerivedFrom, article_iri(article)))
    graph.add((node, KG.sourceLine, Literal(str(fact.origin))))
    _add_note(graph, node, fact.note)
    for index, quote in enumerate(fact.evidence, start=1):
        _map_evidence(graph, article, node, f"{node}/evidence/{index}", locate(article, quote))

    if fact.type == "role":
        person, organization = entity("person"), entity("organization")
        role = role_iri(values["role"])
        post = ID[f"post/{values['organization']}/{values['role']}"]
        graph.add((node, RDF.type, KG.RoleStatement))
        graph.add((node, RDF.type, ORG.Membership))
        graph.add((node, ORG.member, person))
        graph.add((node, ORG.organization, organization))
        graph.add((node, ORG.role, role))
        graph.add((node, KG.post, post))
        graph.add((node, KG.postTitle, Literal(values["post"], lang="en")))
        graph.add((person, ORG.memberOf, organization))
        graph.add((post, RDF.type, ORG.Post))
        graph.add((post, ORG.postIn, organization))
        graph.add((post, ORG.role, role))
        graph.add((post, ORG.heldBy, person))
        role_label = registry.roles[values["role"]].label
        graph.add(
            (post, RDFS.label, Literal(f"{role_label}, {label_of('organization')}", lang="en"))
        )
        as_of = values.get("as_of") or article.published
        if as_of:
            _add_date(graph, node, KG.statedOn, as_of)
        if values.get("ambiguous"):
            graph.add((node, KG.ambiguous, Literal(True)))
        label = f"{label_of('person')}: {values['post']}, {label_of('organization')}"
    elif fact.type == "assistance":
        graph.add((node, RDF.type, KG.AssistanceRelationship))
        graph.add((node, KG.provider, entity("provider")))
        graph.add((node, KG.recipient, entity("recipient")))
        for kind in values["kinds"]:
            graph.add((node, KG.assistanceKind, ASSISTANCE_KINDS[kind]))
        for key, predicate in (("start", KG.startDate), ("end", KG.endDate)):
            if key in values:
                _add_date(graph, node, predicate, values[key])
        if "agreement" in values:
            graph.add((node, KG.underAgreement, fact_iri(article, values["agreement"])))
        if "program" in values:
            graph.add((node, KG.program, entity("program")))
        for activity in values.get("activities", ()):
            graph.add((node, KG.activity, Literal(activity, lang="en")))
        label = f"{label_of('provider')} assists {label_of('recipient')}"
    elif fact.type == "agreement":
        graph.add((node, RDF.type, KG.Agreement))
        graph.add((node, SDO.name, Literal(values["title"], lang="en")))
        for party in entities("parties"):
            graph.add((node, KG.party, party))
        for key, predicate in (
            ("start", KG.startDate),
            ("end", KG.endDate),
            ("signed", KG.signedOn),
        ):
            if key in values:
                _add_date(graph, node, predicate, values[key])
        if "signing_event" in values:
            graph.add((node, KG.signingEvent, fact_iri(article, values["signing_event"])))
        label = values["title"]
    elif fact.type == "event":
        graph.add((node, RDF.type, KG.Event))
        graph.add((node, RDF.type, EVENT_KINDS[values["kind"]]))
        graph.add((node, RDF.type, SDO.Event))
        graph.add((node, SDO.name, Literal(values["label"], lang="en")))
        if "date" in values:
            _add_date(graph, node, KG.date, values["date"])
            full = _full_date(values["date"])
            if full is not None:
                graph.add((node, SDO.startDate, full))
        for place in entities("places"):
            graph.add((node, SDO.location, place))
        for organizer in entities("organizers"):
            graph.add((node, SDO.organizer, organizer))
        for participant in entities("participants"):
            graph.add((node, SDO.attendee, participant))
        if "part_of" in values:
            graph.add((node, SDO.superEvent, fact_iri(article, values["part_of"])))
        if "assistance" in values:
            graph.add((node, KG.withinAssistance, fact_iri(article, values["assistance"])))
        label = values["label"]
    elif fact.type == "measure":
        graph.add((node, RDF.type, KG.Measure))
        graph.add((node, KG.quantity, Literal(values["quantity"], lang="en")))
        graph.add((node, KG.value, number_literal(values["value"])))
        graph.add((node, KG.unit, Literal(values["unit"], lang="en")))
        qualifier = values.get("qualifier", "exactly")
        graph.add((node, KG.qualifier, QUALIFIERS[qualifier]))
        about = values["about"]
        target = (
            fact_iri(article, about)
            if about in article.fact_index
            else entity_iri(registry.entities[about])
        )
        graph.add((node, KG.about, target))
        prefix = "more than " if qualifier == "more-than" else ""
        unit = "" if values["unit"] == values["quantity"] else f" {values['unit']}"
        label = f"{values['quantity']}: {prefix}{values['value']}{unit}"
    elif fact.type == "sub-organization":
        child, parent = entity("organization"), entity("parent")
        graph.add((node, RDF.type, KG.SubOrganizationLink))
        graph.add((node, KG.subOrganization, child))
        graph.add((node, KG.parentOrganization, parent))
        graph.add((child, ORG.subOrganizationOf, parent))
        label = f"{label_of('organization')} is part of {label_of('parent')}"
    elif fact.type == "satellite":
        satellite, hub = entity("satellite"), entity("hub")
        graph.add((node, RDF.type, KG.SatelliteLink))
        graph.add((node, KG.satellite, satellite))
        graph.add((node, KG.hub, hub))
        graph.add((satellite, KG.satelliteOf, hub))
        label = f"{label_of('satellite')} is a satellite of {label_of('hub')}"
    else:  # pragma: no cover - the loader admits only the types above
        raise AssertionError(fact.type)
    graph.add((node, RDFS.label, Literal(label, lang="en")))


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
        for index, (_, label) in enumerate(entity.labels(), start=1):
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
