"""SHACL: the shapes are valid SHACL, and every shape catches a graph broken on purpose."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FIVE_ARTICLES
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import FOAF, ORG, PROV, SDO, SH, SKOS

from kg import resources
from kg.annotations import load_article, load_registry
from kg.mapping import map_article, map_registry
from kg.seeds import read_seeds
from kg.validation import check_shapes, shapes_graph, validate
from kg.vocab import ID, KG, OA

SEEDS = FIVE_ARTICLES
KGSH = "https://w3id.org/counterpart-kg/shapes#"
F = ID["fact/003_1da268ff874a2100/"]


def fact(name: str) -> URIRef:
    return URIRef(F + name)


ORG_ = ID["org/jiuquan-peoples-hospital"]
PERSON = ID["person/zheng-xingdong"]
PLACE = ID["place/jiuquan"]
ARTICLE = ID["article/003_1da268ff874a2100"]
ROLE = ID["role/president"]
POST = ID["post/shanghai-general-hospital/president"]
MEMBERSHIP = fact("role-zheng-xingdong")
AMBIGUOUS = fact("role-zhang-tingsheng-director")
ASSISTANCE = fact("assistance-sgh-jiuquan")
AGREEMENT = fact("nrmc-joint-project")
EVENT = fact("shenzhou-medical-support")
MEASURE = fact("measure-surgeries")
SUBORG = fact("suborg-hospital-party-committee")
SATELLITE = fact("satellite-jinta")
EVIDENCE = URIRef(MEASURE + "/evidence/1")
TARGET = URIRef(EVIDENCE + "/target")
QUOTE = URIRef(EVIDENCE + "/quote")
POSITION = URIRef(EVIDENCE + "/position")
MENTION = ID["mention/org/jiuquan-peoples-hospital/003_1da268ff874a2100/1"]
GMONTHDAY = Literal("--05-29", datatype=XSD.gMonthDay)


def drop(s, p):
    return ("drop", s, p, None)


def add(s, p, o):
    return ("add", s, p, o)


def swap(s, p, o):
    return ("swap", s, p, o)


# (property or node shape local name, result path or None, focus node, edits)
CASES = [
    ("prefLabel", SKOS.prefLabel, ORG_, [drop(ORG_, SKOS.prefLabel)]),
    ("prefLabel", SKOS.prefLabel, ROLE, [drop(ROLE, SKOS.prefLabel)]),
    ("prefLabel", SKOS.prefLabel, PERSON, [add(PERSON, SKOS.prefLabel, Literal("Z", lang="en"))]),
    ("sourceLine", KG.sourceLine, PLACE, [add(PLACE, KG.sourceLine, Literal("x.yaml:1"))]),
    ("referenceData", KG.referenceData, PLACE, [add(PLACE, KG.referenceData, Literal("yes"))]),
    ("Organization-kind", RDF.type, ORG_, [add(ORG_, RDF.type, KG.Government)]),
    ("Organization-locatedIn", KG.locatedIn, ORG_, [add(ORG_, KG.locatedIn, ID["place/gansu"])]),
    ("Organization-successorOf", KG.successorOf, ORG_, [add(ORG_, KG.successorOf, PLACE)]),
    ("Person-foaf", RDF.type, PERSON, [drop(PERSON, RDF.type), add(PERSON, RDF.type, SDO.Person)]),
    ("Place-kind", RDF.type, PLACE, [drop(PLACE, RDF.type), add(PLACE, RDF.type, SDO.Place)]),
    (
        "Place-parent",
        SDO.containedInPlace,
        PLACE,
        [add(PLACE, SDO.containedInPlace, ID["place/shandong"])],
    ),
    ("Post-postIn", ORG.postIn, POST, [drop(POST, ORG.postIn)]),
    ("Post-role", ORG.role, POST, [add(POST, ORG.role, ID["role/director"])]),
    ("Post-heldBy", ORG.heldBy, POST, [swap(POST, ORG.heldBy, ORG_)]),
    ("Article-headline", SDO.headline, ARTICLE, [drop(ARTICLE, SDO.headline)]),
    ("Article-file", KG.file, ARTICLE, [add(ARTICLE, KG.file, Literal("other.txt"))]),
    ("Article-sha256", KG.sha256, ARTICLE, [swap(ARTICLE, KG.sha256, Literal("abc"))]),
    ("Article-language", SDO.inLanguage, ARTICLE, [add(ARTICLE, SDO.inLanguage, Literal("en US"))]),
    ("Article-published", SDO.datePublished, ARTICLE, [add(ARTICLE, SDO.datePublished, GMONTHDAY)]),
    ("Article-publisher", SDO.publisher, ARTICLE, [add(ARTICLE, SDO.publisher, PERSON)]),
    ("Article-author", SDO.author, ARTICLE, [add(ARTICLE, SDO.author, ORG_)]),
    ("Fact-derivedFrom", PROV.wasDerivedFrom, MEASURE, [drop(MEASURE, PROV.wasDerivedFrom)]),
    ("Fact-evidence", KG.evidence, MEASURE, [drop(MEASURE, KG.evidence)]),
    ("Fact-label", RDFS.label, MEASURE, [add(MEASURE, RDFS.label, Literal("another"))]),
    ("Fact-sourceLine", KG.sourceLine, MEASURE, [drop(MEASURE, KG.sourceLine)]),
    (
        "Fact-isFact",
        RDF.type,
        MEASURE,
        [drop(MEASURE, RDF.type), add(MEASURE, RDF.type, KG.Measure)],
    ),
    ("Role-member", ORG.member, MEMBERSHIP, [drop(MEMBERSHIP, ORG.member)]),
    (
        "Role-organization",
        ORG.organization,
        MEMBERSHIP,
        [swap(MEMBERSHIP, ORG.organization, PLACE)],
    ),
    ("Role-role", ORG.role, MEMBERSHIP, [drop(MEMBERSHIP, ORG.role)]),
    ("Role-postTitle", KG.postTitle, MEMBERSHIP, [drop(MEMBERSHIP, KG.postTitle)]),
    ("Role-post", KG.post, MEMBERSHIP, [swap(MEMBERSHIP, KG.post, ROLE)]),
    (
        "Role-statedOn",
        KG.statedOn,
        MEMBERSHIP,
        [add(MEMBERSHIP, KG.statedOn, Literal("2020", datatype=XSD.gYear))],
    ),
    ("Role-ambiguous", KG.ambiguous, AMBIGUOUS, [swap(AMBIGUOUS, KG.ambiguous, Literal("maybe"))]),
    ("RoleStatementShape", None, AMBIGUOUS, [drop(AMBIGUOUS, KG.note)]),
    ("Assistance-provider", KG.provider, ASSISTANCE, [drop(ASSISTANCE, KG.provider)]),
    ("Assistance-recipient", KG.recipient, ASSISTANCE, [swap(ASSISTANCE, KG.recipient, PERSON)]),
    ("Assistance-kind", KG.assistanceKind, ASSISTANCE, [drop(ASSISTANCE, KG.assistanceKind)]),
    (
        "Assistance-agreement",
        KG.underAgreement,
        ASSISTANCE,
        [swap(ASSISTANCE, KG.underAgreement, EVENT)],
    ),
    ("Assistance-program", KG.program, ASSISTANCE, [add(ASSISTANCE, KG.program, ORG_)]),
    ("Assistance-activity", KG.activity, ASSISTANCE, [add(ASSISTANCE, KG.activity, Literal("x"))]),
    ("startDate", KG.startDate, ASSISTANCE, [add(ASSISTANCE, KG.startDate, GMONTHDAY)]),
    ("endDate", KG.endDate, AGREEMENT, [add(AGREEMENT, KG.endDate, GMONTHDAY)]),
    ("Agreement-title", SDO.name, AGREEMENT, [drop(AGREEMENT, SDO.name)]),
    (
        "Agreement-party",
        KG.party,
        AGREEMENT,
        [drop(AGREEMENT, KG.party), add(AGREEMENT, KG.party, ORG_)],
    ),
    ("Agreement-signedOn", KG.signedOn, AGREEMENT, [add(AGREEMENT, KG.signedOn, GMONTHDAY)]),
    (
        "Agreement-signingEvent",
        KG.signingEvent,
        AGREEMENT,
        [add(AGREEMENT, KG.signingEvent, ASSISTANCE)],
    ),
    ("Event-kind", RDF.type, EVENT, [add(EVENT, RDF.type, KG.Visit)]),
    ("Event-name", SDO.name, EVENT, [drop(EVENT, SDO.name)]),
    ("Event-date", KG.date, EVENT, [swap(EVENT, KG.date, Literal("2023/05/30"))]),
    ("Event-inferredDate", KG.inferredDate, EVENT, [swap(EVENT, KG.inferredDate, GMONTHDAY)]),
    ("EventShape", None, EVENT, [drop(EVENT, KG.dateInference)]),
    (
        "Event-startDate",
        SDO.startDate,
        EVENT,
        [swap(EVENT, SDO.startDate, Literal("2023", datatype=XSD.gYear))],
    ),
    ("Event-location", SDO.location, EVENT, [add(EVENT, SDO.location, ORG_)]),
    ("Event-organizer", SDO.organizer, EVENT, [add(EVENT, SDO.organizer, PLACE)]),
    ("Event-attendee", SDO.attendee, EVENT, [add(EVENT, SDO.attendee, PLACE)]),
    ("Event-superEvent", SDO.superEvent, EVENT, [add(EVENT, SDO.superEvent, ASSISTANCE)]),
    ("Event-assistance", KG.withinAssistance, EVENT, [swap(EVENT, KG.withinAssistance, AGREEMENT)]),
    ("Measure-quantity", KG.quantity, MEASURE, [drop(MEASURE, KG.quantity)]),
    ("Measure-value", KG.value, MEASURE, [swap(MEASURE, KG.value, Literal(-268))]),
    ("Measure-unit", KG.unit, MEASURE, [drop(MEASURE, KG.unit)]),
    ("Measure-qualifier", KG.qualifier, MEASURE, [swap(MEASURE, KG.qualifier, KG.Telemedicine)]),
    ("Measure-about", KG.about, MEASURE, [swap(MEASURE, KG.about, Literal("the hospital"))]),
    ("SubOrganization-part", KG.subOrganization, SUBORG, [swap(SUBORG, KG.subOrganization, ORG_)]),
    (
        "SubOrganization-parent",
        KG.parentOrganization,
        SUBORG,
        [drop(SUBORG, KG.parentOrganization)],
    ),
    (
        "Satellite-satellite",
        KG.satellite,
        SATELLITE,
        [swap(SATELLITE, KG.satellite, ID["org/jiuquan-government"])],
    ),
    ("Satellite-hub", KG.hub, SATELLITE, [drop(SATELLITE, KG.hub)]),
    ("Evidence-body", OA.hasBody, EVIDENCE, [swap(EVIDENCE, OA.hasBody, ORG_)]),
    ("Annotation-target", OA.hasTarget, EVIDENCE, [drop(EVIDENCE, OA.hasTarget)]),
    ("Annotation-target", OA.hasTarget, MENTION, [drop(MENTION, OA.hasTarget)]),
    ("Mention-body", OA.hasBody, MENTION, [swap(MENTION, OA.hasBody, MEASURE)]),
    ("Annotation-body", OA.hasBody, MENTION, [drop(MENTION, OA.hasBody)]),
    ("Mention-matchedLabel", KG.matchedLabel, MENTION, [drop(MENTION, KG.matchedLabel)]),
    ("Entity-label", RDFS.label, ARTICLE, [drop(ARTICLE, RDFS.label)]),
    ("Mention-occurrences", KG.occurrences, MENTION, [swap(MENTION, KG.occurrences, Literal(0))]),
    ("Target-source", OA.hasSource, TARGET, [drop(TARGET, OA.hasSource)]),
    (
        "Target-quoteSelector",
        OA.hasSelector,
        TARGET,
        [drop(TARGET, OA.hasSelector), add(TARGET, OA.hasSelector, POSITION)],
    ),
    (
        "Target-positionSelector",
        OA.hasSelector,
        TARGET,
        [drop(TARGET, OA.hasSelector), add(TARGET, OA.hasSelector, QUOTE)],
    ),
    ("Quote-exact", OA.exact, QUOTE, [swap(QUOTE, OA.exact, Literal(""))]),
    ("Quote-prefix", OA.prefix, QUOTE, [add(QUOTE, OA.prefix, Literal("another"))]),
    ("Quote-suffix", OA.suffix, QUOTE, [add(QUOTE, OA.suffix, Literal("another"))]),
    (
        "Position-start",
        OA.start,
        POSITION,
        [swap(POSITION, OA.start, Literal(10**6, datatype=XSD.nonNegativeInteger))],
    ),
    ("Position-end", OA.end, POSITION, [drop(POSITION, OA.end)]),
    (
        "prefLabel",
        SKOS.prefLabel,
        ID["kind/unlabelled"],
        [add(ID["kind/unlabelled"], RDF.type, KG.AssistanceKind)],
    ),
]


@pytest.fixture(scope="module")
def article_graph() -> Graph:
    """Article 003 with the registry: a small real graph that conforms."""
    seeds = read_seeds(SEEDS)
    registry = load_registry(seeds)
    article = load_article(seeds, "annotations/003_1da268ff874a2100.yaml", registry)
    graph = map_article(article, registry)
    graph += map_registry(registry)
    return graph


def test_the_shapes_pass_meta_shacl():
    check_shapes()


def test_the_unbroken_graph_conforms(article_graph):
    assert validate(article_graph).findings == []


@pytest.mark.parametrize(
    ("shape", "path", "focus", "edits"),
    CASES,
    ids=[f"{c[0]}@{str(c[2]).rsplit('/', 1)[-1]}" for c in CASES],
)
def test_broken_graph_fails_with_the_expected_shape_and_path(
    article_graph, shape, path, focus, edits
):
    graph = Graph()
    graph += article_graph
    for action, s, p, o in edits:
        if action in ("drop", "swap"):
            graph.remove((s, p, None))
        if action in ("add", "swap"):
            graph.add((s, p, o))
    report = validate(graph)
    expected_path = str(path) if path is not None else ""
    hits = [
        f
        for f in report.violations
        if (f.focus, f.path, f.shape) == (str(focus), expected_path, KGSH + shape)
    ]
    assert hits, report.text()


def test_every_shape_has_a_broken_graph():
    shapes = shapes_graph()
    named = {str(s).removeprefix(KGSH) for s in shapes.subjects(RDF.type, SH.PropertyShape)}
    node_shapes = {str(s).removeprefix(KGSH) for s in shapes.subjects(RDF.type, SH.NodeShape)}
    covered = {case[0] for case in CASES}
    assert named - covered == set()
    # every node shape is broken through at least one of its own property shapes or itself
    for node_shape in node_shapes:
        own = {
            str(p).removeprefix(KGSH)
            for p in shapes.objects(URIRef(KGSH + node_shape), SH.property)
        }
        assert (own | {node_shape}) & covered, node_shape


def test_every_class_the_data_uses_is_the_target_of_a_shape(graph):
    targets = set(shapes_graph().objects(None, SH.targetClass))
    used = {o for o in graph.objects(None, RDF.type) if isinstance(o, URIRef)}
    ontology_terms = {
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.Ontology,
        OWL.FunctionalProperty,
    }
    assert used - ontology_terms - targets == set()


def test_findings_point_back_to_the_annotation_line(article_graph):
    graph = Graph()
    graph += article_graph
    graph.remove((MEASURE, KG.unit, None))
    [finding] = validate(graph).violations
    assert finding.source_line.startswith("seeds/annotations/003_1da268ff874a2100.yaml:")
    line = int(finding.source_line.rsplit(":", 1)[1])
    text = (SEEDS / "annotations" / "003_1da268ff874a2100.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[line - 1] == "  - id: measure-surgeries"


def test_shapes_file_is_packaged_data():
    assert resources.shapes_file().is_file()
    assert resources.ontology_file().is_file()
    assert FOAF.Person  # the vocabulary the shapes rely on is importable


# ------------------------------------------------- kg validate FILE: hostile and ill-typed input


def validate_file(path: Path):
    from click.testing import CliRunner

    from kg.cli import cli

    return CliRunner().invoke(cli, ["validate", str(path)])


def validate_process(path: Path):
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "kg", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def assert_refused(result, path: Path, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert str(path) in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)


LEAF = '{"@id": "http://example.org/leaf", "http://example.org/p": "v"}'
DEEP_JSON_LD = {
    "objects": '{"@id": "http://example.org/n", "http://example.org/p": ' * 600 + LEAF + "}" * 600,
    "arrays": '{"@id": "http://example.org/a", "http://example.org/p": '
    + "[" * 600
    + '"v"'
    + "]" * 600
    + "}",
    "objects-in-arrays": '{"@id": "http://example.org/n", "http://example.org/p": ['
    + '{"@id": "http://example.org/n", "http://example.org/p": [' * 599
    + LEAF
    + "]}" * 600,
    "graphs": '{"@graph": [' * 300 + LEAF + "]}" * 300,
    "very-deep": "[" * 100_000 + "]" * 100_000,
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("shape", list(DEEP_JSON_LD))
def test_validate_refuses_deeply_nested_json_ld_cleanly(tmp_path, shape):
    path = tmp_path / "deep.jsonld"
    path.write_text(DEEP_JSON_LD[shape], encoding="utf-8")
    result = validate_file(path)
    assert_refused(result, path, "nested too deeply")
    assert "hint:" in result.output


@pytest.mark.timeout(60)
def test_validate_refuses_deeply_nested_turtle_cleanly(tmp_path):
    path = tmp_path / "deep.ttl"
    path.write_text(
        "@prefix ex: <http://example.org/> .\nex:a ex:p "
        + "[ ex:p " * 600
        + "ex:b"
        + " ]" * 600
        + " .\n",
        encoding="utf-8",
    )
    assert_refused(validate_file(path), path, "nested too deeply")


def test_validate_accepts_json_ld_nested_a_little(tmp_path):
    path = tmp_path / "nested.jsonld"
    path.write_text(
        '{"@id": "http://example.org/n", "http://example.org/p": [' * 20 + LEAF + "]}" * 20,
        encoding="utf-8",
    )
    result = validate_file(path)
    assert result.exit_code == 0, result.output


@pytest.mark.timeout(60)
def test_real_process_deeply_nested_json_ld_has_no_traceback(tmp_path):
    path = tmp_path / "deep.jsonld"
    path.write_text(DEEP_JSON_LD["objects-in-arrays"], encoding="utf-8")
    result = validate_process(path)
    assert result.returncode == 2
    assert "nested too deeply" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.timeout(20)
@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
def test_validate_refuses_what_is_not_a_regular_file(tmp_path, kind):
    import os

    path = tmp_path / "data.ttl"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    assert_refused(validate_file(path), path, "not a regular file")


@pytest.mark.timeout(20)
def test_validate_refuses_a_file_over_the_size_limit_without_reading_it(tmp_path):
    from kg.store import MAX_RDF_BYTES

    path = tmp_path / "huge.ttl"
    with path.open("wb") as stream:
        stream.truncate(MAX_RDF_BYTES + 1)  # sparse: no disk used, and slow to read and parse
    assert_refused(validate_file(path), path, "too large")


def test_validate_still_says_file_not_found(tmp_path):
    path = tmp_path / "missing.ttl"
    assert_refused(validate_file(path), path, "file not found")


def ill_typed_file(article_graph: Graph, folder: Path) -> Path:
    """Article 003 as Turtle, one role stated on "notadate"^^xsd:date instead of its date."""
    graph = Graph()
    graph += article_graph
    graph.remove((MEMBERSHIP, KG.statedOn, None))
    text = graph.serialize(format="turtle")
    text += f'\n<{MEMBERSHIP}> <{KG.statedOn}> "notadate"^^<{XSD.date}> .\n'
    path = folder / "ill-typed.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def test_ill_typed_literal_is_named_as_the_problem(article_graph, tmp_path, caplog):
    from click.testing import CliRunner

    from kg.cli import cli

    path = ill_typed_file(article_graph, tmp_path)
    caplog.set_level("DEBUG")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    first = result.stdout.split("\n\n")[1]
    assert "Violation: 'notadate' is not a valid xsd:date" in first
    assert "role-zheng-xingdong" in first
    assert "property: kg:statedOn" in first
    assert 'value: "notadate"^^<http://www.w3.org/2001/XMLSchema#date>' in first
    # SHACL's own finding for that value, if any, comes after the real problem
    consequence = result.stdout.find("a role is stated on at most one date")
    assert consequence == -1 or consequence > result.stdout.find("is not a valid xsd:date")
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr
    assert not [r for r in caplog.records if r.name.startswith("rdflib")], caplog.text


def test_ill_typed_literal_finding(article_graph):
    graph = Graph()
    graph += article_graph
    graph.remove((MEMBERSHIP, KG.statedOn, None))
    bad = Literal("2018-02-30", datatype=XSD.date)
    graph.add((MEMBERSHIP, KG.statedOn, bad))
    report = validate(graph)
    finding = report.violations[0]
    assert {(f.focus, f.path) for f in report.violations} == {(str(MEMBERSHIP), str(KG.statedOn))}
    assert finding.message == "'2018-02-30' is not a valid xsd:date"
    assert (finding.focus, finding.path, finding.value) == (
        str(MEMBERSHIP),
        str(KG.statedOn),
        bad.n3(),
    )
    assert finding.shape == KGSH + "WellTypedLiterals"
    assert finding.source_line.startswith("seeds/annotations/003_1da268ff874a2100.yaml:")


def test_real_process_ill_typed_literal_has_no_traceback(article_graph, tmp_path):
    path = ill_typed_file(article_graph, tmp_path)
    result = validate_process(path)
    assert result.returncode == 1
    assert "'notadate' is not a valid xsd:date" in result.stdout
    assert "Traceback" not in result.stderr
    assert result.stderr == ""
