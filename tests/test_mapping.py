"""The five-article graph answers the questions the articles answer."""

from __future__ import annotations

from decimal import Decimal

from helpers import ask
from rdflib import RDF, BNode, Literal, URIRef
from rdflib.namespace import SKOS, XSD

ID = "https://w3id.org/counterpart-kg/id/"


def labels(graph, node, predicate=SKOS.altLabel):
    return {str(x) for x in graph.objects(URIRef(ID + node), predicate)}


def test_floor_of_entities_and_facts(built):
    from kg.stats import summary

    counts = summary(built.graph)
    assert counts["organizations"] >= 40
    assert counts["people"] >= 15
    assert counts["places"] >= 20
    assert counts["events"] >= 8
    assert counts["assistance"] + counts["agreements"] >= 5
    assert counts["measures"] >= 12
    assert counts["articles"] == 5


def test_who_assists_the_jiuquan_hospital(graph):
    rows = ask(
        graph,
        """
        SELECT ?providerLabel WHERE {
          ?a a kg:AssistanceRelationship ; kg:provider ?p ; kg:recipient ?r .
          ?r skos:prefLabel "Jiuquan People's Hospital"@en .
          ?p skos:prefLabel ?providerLabel FILTER(lang(?providerLabel) = "en")
        }""",
    )
    assert [str(r[0]) for r in rows] == ["Shanghai General Hospital"]


def test_surgeries_and_outpatients_at_jiuquan(graph):
    rows = ask(
        graph,
        """
        SELECT ?unit ?value ?qualifier WHERE {
          ?m a kg:Measure ; kg:value ?value ; kg:unit ?unit ; kg:qualifier ?qualifier ;
             kg:about ?a .
          ?a kg:recipient o:jiuquan-peoples-hospital .
        }""",
    )
    found = {str(unit): (value.toPython(), str(q).rsplit("#")[-1]) for unit, value, q in rows}
    assert found["surgeries"] == (Decimal(268), "Exactly")
    assert found["patients"] == (Decimal(3600), "MoreThan")
    assert found["cases"] == (Decimal(158), "Exactly")
    assert found["teams"] == (Decimal(100), "MoreThan")


def test_four_spellings_of_the_lhasa_centre_are_one_entity(graph):
    centre = "org/bajiao-chsc"
    every = (
        labels(graph, centre, SKOS.prefLabel)
        | labels(graph, centre)
        | labels(graph, centre, SKOS.hiddenLabel)
    )
    for spelling in ("Bajiao", "Baguo", "Bagou", "Bayu"):
        assert any(spelling in label for label in every), spelling
    assert labels(graph, centre, SKOS.hiddenLabel) == {
        "Bagou Street Community Health Service Center",
        "Bayu Community Health Service Center",
    }
    # every spelling is used by facts that point at the same node
    rows = ask(
        graph,
        """
        SELECT (COUNT(DISTINCT ?fact) AS ?n) WHERE {
          ?fact ?p o:bajiao-chsc ; prov:wasDerivedFrom ?article .
        }""",
    )
    assert rows[0][0].toPython() >= 4


def test_deputy_director_with_three_renderings_and_chinese(graph):
    person = "person/kan-jinju"
    assert labels(graph, person, SKOS.hiddenLabel) == {"Tong Jinju", "Wu Jinju"}
    assert Literal("阚金菊", lang="zh") in set(graph.objects(URIRef(ID + person), SKOS.prefLabel))
    assert Literal("Kan Jinju", lang="en") in set(
        graph.objects(URIRef(ID + person), SKOS.prefLabel)
    )
    rows = ask(
        graph,
        """
        SELECT ?roleLabel ?orgLabel WHERE {
          ?m org:member person:kan-jinju ; org:role/skos:prefLabel ?roleLabel ;
             org:organization/skos:prefLabel ?orgLabel .
          FILTER(lang(?roleLabel) = "en" && lang(?orgLabel) = "en")
        }""",
    )
    assert {(str(a), str(b)) for a, b in rows} == {
        ("Deputy Director", "Zibo Municipal Health Commission"),
        ("Member of the Party Group", "Party Group of Zibo Municipal Health Commission"),
    }


def test_hospitals_under_two_names_are_one_entity(graph):
    assert "First People's Hospital of Shanghai" in labels(graph, "org/shanghai-general-hospital")
    assert "Jiuquan Hospital" in labels(graph, "org/jiuquan-peoples-hospital")


def test_posts_at_the_china_japan_friendship_hospital(graph):
    rows = ask(
        graph,
        """
        SELECT ?name ?post ?orgLabel WHERE {
          ?m a org:Membership ; org:member/skos:prefLabel ?name ; kg:postTitle ?post ;
             org:organization ?o .
          ?o skos:prefLabel ?orgLabel .
          { ?o a kg:Hospital } UNION { ?o org:subOrganizationOf o:cjfh }
          FILTER(?o IN (o:cjfh, o:cjfh-medical-reform-office))
        }""",
    )
    assert {(str(n), str(p)) for n, p, _ in rows} == {
        ("Sun Yang", "President"),
        ("Jia Cunbo", "Director"),
    }


def test_ambiguous_roles_are_kept_with_a_note(graph):
    rows = ask(
        graph,
        """
        SELECT ?who ?note WHERE {
          ?m kg:ambiguous true ; org:member/skos:prefLabel ?who ; kg:note ?note .
        }""",
    )
    assert {str(w) for w, _ in rows} == {"Nima Cangjie", "Chen Guoxi", "Zhang Tingsheng"}


def test_partial_and_inferred_dates(graph):
    rows = ask(
        graph,
        """
        SELECT ?date ?inferred ?why WHERE {
          ?e a kg:Symposium ; kg:date ?date ; prov:wasDerivedFrom ?a .
          ?a kg:file "001_94ed570f597dbb7b.txt" .
          OPTIONAL { ?e kg:inferredDate ?inferred ; kg:dateInference ?why }
        }""",
    )
    [(date, inferred, why)] = rows
    assert date == Literal("--08-08", datatype=XSD.gMonthDay)
    assert inferred == Literal("2018-08-08", datatype=XSD.date)
    assert "19th National Congress" in str(why)
    shenzhou = ask(
        graph,
        """
        SELECT ?inferred WHERE { ?e a kg:MedicalSupport ; kg:inferredDate ?inferred }""",
    )
    assert [r[0] for r in shenzhou] == [Literal("2023-05-30", datatype=XSD.date)]
    signing = ask(graph, "SELECT ?d WHERE { ?e a kg:SigningCeremony ; kg:date ?d }")
    assert [r[0] for r in signing] == [Literal("2018-12-21", datatype=XSD.date)]


def test_every_evidence_offset_points_at_its_quote(built, graph):
    from kg.vocab import KG, OA

    texts = {a.file: a.text for a in built.articles}
    checked = 0
    for target in graph.subjects(RDF.type, OA.SpecificResource):
        text = texts[str(graph.value(graph.value(target, OA.hasSource), KG.file))]
        selectors = list(graph.objects(target, OA.hasSelector))
        exact = next(graph.value(s, OA.exact) for s in selectors if graph.value(s, OA.exact))
        position = next(s for s in selectors if graph.value(s, OA.start) is not None)
        start, end = (
            graph.value(position, OA.start).toPython(),
            graph.value(position, OA.end).toPython(),
        )
        assert text[start:end] == str(exact)
        checked += 1
    assert checked > 200


def test_every_fact_has_provenance(graph):
    rows = ask(
        graph,
        """
        SELECT ?fact WHERE {
          ?fact a kg:Fact .
          FILTER NOT EXISTS { ?fact prov:wasDerivedFrom ?a ; kg:evidence ?e }
        }""",
    )
    assert rows == []


def test_implicit_provinces_are_reference_data(graph):
    rows = ask(graph, "SELECT ?p WHERE { ?p a schema:Place ; kg:referenceData true }")
    assert {str(r[0]).rsplit("/", 1)[-1] for r in rows} == {
        "china",
        "inner-mongolia",
        "gansu",
        "shandong",
    }
    rows = ask(
        graph,
        """
        SELECT ?province WHERE { place:jinta-county schema:containedInPlace+ ?province .
                                 ?province a kg:Province }""",
    )
    assert [str(r[0]).rsplit("/", 1)[-1] for r in rows] == ["gansu"]


def test_satellite_and_sub_organization_links(graph):
    assert (
        URIRef(ID + "org/jinta-county-hospital"),
        URIRef("https://w3id.org/counterpart-kg/ontology#satelliteOf"),
        URIRef(ID + "org/jiuquan-peoples-hospital"),
    ) in graph
    rows = ask(graph, "SELECT ?s WHERE { ?s org:subOrganizationOf o:zibo-mch-hospital }")
    assert {str(r[0]).rsplit("/", 1)[-1] for r in rows} == {
        "zibo-mch-party-committee",
        "zibo-mch-first-clinical-party-branch",
    }


def test_label_mentions_record_where_each_variant_occurs(graph):
    rows = ask(
        graph,
        """
        SELECT ?exact ?n WHERE {
          ?m a kg:Mention ; oa:hasBody person:kan-jinju ; kg:occurrences ?n ;
             oa:hasTarget/oa:hasSelector/oa:exact ?exact .
        }""",
    )
    assert {(str(e), n.toPython()) for e, n in rows} == {
        ("Tong Jinju", 1),
        ("Wu Jinju", 2),
        ("阚金菊", 1),
    }


def test_a_standards_only_tool_finds_organizations_memberships_labels_and_evidence(graph):
    """Only ORG, SKOS, PROV and oa terms: no kg vocabulary, no reasoning."""
    orgs = ask(graph, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a org:Organization }")
    assert orgs[0][0].toPython() >= 40
    memberships = ask(
        graph,
        """
        SELECT ?person ?org WHERE {
          ?m a org:Membership ; org:member ?p ; org:organization ?o ; org:role ?r .
          ?p skos:prefLabel ?person . ?o skos:prefLabel ?org .
          FILTER(lang(?person) = "en" && lang(?org) = "en")
        }""",
    )
    assert ("Zheng Xingdong", "Shanghai General Hospital") in {
        (str(a), str(b)) for a, b in memberships
    }
    evidence = ask(
        graph,
        """
        SELECT ?exact ?start WHERE {
          ?fact prov:wasDerivedFrom ?article .
          ?ann oa:hasBody ?fact ; oa:hasTarget ?t .
          ?t oa:hasSource ?article ; oa:hasSelector ?q , ?p .
          ?q oa:exact ?exact . ?p oa:start ?start .
        }""",
    )
    assert any(str(e) == "aiding with 268 surgeries" for e, _ in evidence)


def test_no_blank_nodes(graph):
    assert not any(isinstance(term, BNode) for triple in graph for term in triple)
