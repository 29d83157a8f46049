"""kg queries / query / sparql / export from the command line: formats, safety, limits."""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import edit
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.query import Result

from kg.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def kg_process(*args: str, cwd: Path, input: str | None = None):
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        timeout=300,
    )


# ---------------------------------------------------------------- catalog and formats


def test_queries_lists_the_catalog(project):
    result = run("queries")
    assert result.exit_code == 0
    for name in ("institutions", "assistance", "roles", "events", "flows", "aliases"):
        assert name in result.output
    assert "provider, recipient" in result.output


def test_table_shows_labels_not_iris(project):
    result = run("query", "roles", "--param", "person=sun yang")
    assert result.exit_code == 0
    assert "Sun Yang" in result.output and "China-Japan Friendship Hospital" in result.output
    assert "https://" not in result.output
    assert "personLabel" in result.output and "\n" + "person " not in result.output


def test_table_fits_the_terminal(project):
    from kg.formats import write_table
    from kg.queries import run_canned
    from kg.store import GraphEngine, load_built

    result = run_canned(GraphEngine(load_built("build")), "evidence")
    for width in (80, 120):
        assert max(len(line) for line in write_table(result, width).splitlines()) <= width


def test_json_is_w3c_sparql_results(project):
    result = run("query", "assistance", "--format", "json")
    document = json.loads(result.output)
    assert document["head"]["vars"][:2] == ["assistance", "assistanceLabel"]
    parsed = Result.parse(io.StringIO(result.output), format="json")
    labels = {str(row.providerLabel) for row in parsed}
    assert "Shanghai General Hospital" in labels
    first = document["results"]["bindings"][0]
    assert first["provider"]["type"] == "uri"
    assert first["providerLabel"]["xml:lang"] == "en"


def test_csv_is_w3c_sparql_results(project):
    result = run("query", "measures", "--format", "csv")
    assert result.output.startswith("measure,quantity,")
    assert b"\r\n" in result.stdout_bytes  # click's .output folds CRLF
    table = list(csv.DictReader(io.StringIO(result.output)))
    assert {r["value"] for r in table if r["unit"] == "surgeries"} == {"268"}
    parsed = Result.parse(io.StringIO(result.output), format="csv")
    assert len(list(parsed)) == len(table) == 19


def test_tsv_is_w3c_sparql_results(project):
    result = run("query", "roles", "--format", "tsv", "--param", "person=kan")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("?person\t?personLabel")
    assert '"Kan Jinju"@en' in result.output
    parsed = Result.parse(io.StringIO(result.stdout), format="tsv")
    assert {str(r.roleLabel) for r in parsed} == {"Deputy Director", "Member of the Party Group"}


def test_markdown(project):
    result = run("query", "flows", "--format", "markdown")
    lines = result.output.splitlines()
    assert lines[0].startswith("| providerRegionLabel |")
    assert lines[1].startswith("|---|")
    assert any("| Beijing | Tibet Autonomous Region | 3 |" in line for line in lines)


def test_empty_results_say_so(project):
    nobody = ["--param", "provider=cjfh", "--param", "recipient=jiuquan-peoples-hospital"]
    result = run("query", "assistance", *nobody)
    assert result.exit_code == 0
    assert "No results." in result.output
    as_json = CliRunner().invoke(cli, ["query", "assistance", *nobody, "--format", "json"])
    assert json.loads(as_json.stdout)["results"]["bindings"] == []
    assert "No results." in as_json.stderr


def test_limit_and_output_file(project):
    result = run("query", "evidence", "--format", "csv", "--limit", "3", "-o", "out.csv")
    assert result.exit_code == 0
    written = (project / "out.csv").read_text()
    assert len(list(csv.reader(io.StringIO(written)))) == 4  # header + 3
    assert not list(project.glob(".out.csv.*"))


def test_bad_param_syntax_is_a_usage_error(project):
    result = CliRunner().invoke(cli, ["query", "roles", "--param", "person"])
    assert result.exit_code == 2
    assert "KEY=VALUE" in result.output


# ---------------------------------------------------------------- sparql


def test_sparql_select_ask_construct_describe(project):
    select = run(
        "sparql",
        "SELECT (COUNT(*) AS ?n) WHERE { ?o a <http://www.w3.org/ns/org#Organization> }",
        "--format",
        "csv",
    )
    assert select.output.splitlines()[1] == "58"
    ask = run(
        "sparql", "ASK { ?s <http://www.w3.org/2004/02/skos/core#hiddenLabel> 'Wu Jinju'@en }"
    )
    assert ask.output.strip() == "yes"
    construct = run("sparql", "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 3")
    assert len(Graph().parse(data=construct.output, format="turtle")) == 3
    describe = run(
        "sparql", "DESCRIBE <https://w3id.org/counterpart-kg/id/person/kan-jinju>", "--format", "nt"
    )
    assert "Tong Jinju" in describe.output
    as_jsonld = run(
        "sparql", "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 3", "--format", "jsonld"
    )
    assert len(Graph().parse(data=as_jsonld.output, format="json-ld")) == 3


def test_sparql_from_file_and_stdin(project):
    (project / "q.rq").write_text("ASK { ?s ?p ?o }")
    assert run("sparql", "--file", "q.rq").output.strip() == "yes"
    assert run("sparql", "-", input="ASK { ?s ?p ?o }").output.strip() == "yes"


def test_wrong_format_for_the_query_kind(project):
    result = CliRunner().invoke(cli, ["sparql", "ASK { ?s ?p ?o }", "--format", "nt"])
    assert result.exit_code == 2
    assert "gives rows" in result.output


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "DROP ALL",
        "CLEAR DEFAULT",
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "# a comment first\n  insert   data{<urn:a><urn:b><urn:c>}",
    ],
)
def test_updates_are_refused(project, update):
    result = CliRunner().invoke(cli, ["sparql", update])
    assert result.exit_code == 2
    assert "SPARQL Update" in result.output
    assert "Traceback" not in result.output


def test_syntax_error_gives_position_and_hint(project):
    result = CliRunner().invoke(cli, ["sparql", "SELECT ?s WHERE {\n  ?s ?p \n}"])
    assert result.exit_code == 2
    assert "line 2, column 3" in result.output
    assert "    ?s ?p \n    ^" in result.output
    assert "hint:" in result.output


@pytest.fixture
def listener():
    """A TCP server on 127.0.0.1 that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    connections: list[str] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            connections.append("connected")
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    thread.join()
    server.close()


SERVICE_QUERIES = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "select * where {\n# comment } SERVICE\n  service\t<http://127.0.0.1:{port}/x>{?s ?p ?o}}",
    "SELECT * WHERE { OPTIONAL { ?a ?b ?c . SERVICE SILENT <http://127.0.0.1:{port}/> "
    "{ ?s ?p ?o } } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } } } }",
    "SELECT * WHERE { BIND(<http://127.0.0.1:{port}/> AS ?u) SERVICE ?u { ?s ?p ?o } }",
    "ASK { FILTER EXISTS { SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } } }",
]


@pytest.mark.parametrize("template", SERVICE_QUERIES)
def test_service_is_refused_and_nothing_connects(project, listener, template):
    port, connections = listener
    result = CliRunner().invoke(cli, ["sparql", template.replace("{port}", str(port))])
    assert result.exit_code == 2
    assert "SERVICE" in result.output
    assert connections == []


def test_the_listener_does_see_a_query_that_is_allowed_out(project, listener):
    """The control for the test above: with --allow-external, rdflib does connect."""
    port, connections = listener
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    CliRunner().invoke(cli, ["sparql", "--allow-external", "--timeout", "10", query])
    assert connections


@pytest.mark.parametrize("clause", ["FROM", "FROM NAMED"])
def test_from_a_local_file_is_refused_and_never_read(project, clause):
    secret = project / "secret.ttl"
    secret.write_text('<urn:x> <urn:y> "TOPSECRET-42" .\n')
    query = f"SELECT ?o {clause} <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}"
    result = CliRunner().invoke(cli, ["sparql", query, "--format", "csv"])
    assert result.exit_code == 2
    assert clause in result.output
    assert "TOPSECRET" not in result.output


def test_runaway_query_times_out_with_its_own_status(project):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    result = CliRunner().invoke(cli, ["sparql", query, "--timeout", "1"])
    assert result.exit_code == 3
    assert "longer than 1 seconds" in result.output


def test_absurdly_nested_query_fails_with_a_message(project):
    query = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
    result = kg_process("sparql", query, cwd=project)
    assert result.returncode == 2
    assert "nested too deeply" in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- export


@pytest.mark.parametrize(
    ("fmt", "parser"),
    [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("xml", "xml"), ("trig", "trig")],
)
def test_export_round_trips(project, built, fmt, parser):
    result = run("export", "--format", fmt, "-o", f"kg.{fmt}")
    assert result.exit_code == 0
    data = (project / f"kg.{fmt}").read_bytes()
    if fmt == "trig":
        from rdflib import Dataset

        dataset = Dataset()
        dataset.parse(data=data, format="trig")
        back = Graph()
        for s, p, o, _ in dataset.quads():
            back.add((s, p, o))
    else:
        back = Graph().parse(data=data, format=parser)
    assert isomorphic(back, built.graph)


def test_export_declares_prefixes_and_inlines_the_json_ld_context(project):
    turtle = run("export").output
    for prefix in ("org:", "prov:", "skos:", "schema:", "oa:", "kg:"):
        assert f"PREFIX {prefix}" in turtle
    document = json.loads(run("export", "--format", "jsonld").output)
    assert isinstance(document["@context"], dict)
    assert document["@context"]["org"] == "http://www.w3.org/ns/org#"


# ---------------------------------------------------------------- as a user runs it


def test_stale_build_is_rebuilt_with_a_note(project):
    edit(project / "seeds" / "registry.yaml", "label: Wang Kai", "label: Wang Kai Jr")
    result = kg_process("query", "roles", "--param", "person=wang", cwd=project)
    assert result.returncode == 0
    assert "rebuilding" in result.stderr
    assert "Wang Kai Jr" in result.stdout


def test_pipe_to_head_is_quiet(project):
    command = (
        f"{sys.executable} -m kg sparql 'SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }}' "
        "--format csv | head -n 2; "
        f"{sys.executable} -m kg export --format nt | head -n 1"
    )
    result = subprocess.run(
        ["bash", "-c", command], cwd=project, capture_output=True, text=True, timeout=300
    )
    assert result.stdout.splitlines()[0] == "s,p,o"
    assert len(result.stdout.splitlines()) == 3
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_real_process_query_and_export(project):
    result = kg_process(
        "query", "assistance", "--param", "recipient=jiuquan", "--format", "json", cwd=project
    )
    assert result.returncode == 0
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert [b["providerLabel"]["value"] for b in bindings] == ["Shanghai General Hospital"]
    refused = kg_process("sparql", "DROP ALL", cwd=project)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    exported = kg_process("export", "--format", "nt", cwd=project)
    assert exported.returncode == 0 and len(exported.stdout.splitlines()) > 6000


# ---------------------------------------------------------------- parameters from the command line


def test_query_help_describes_that_querys_parameters(project):
    result = run("query", "events", "--help")
    assert result.exit_code == 0
    assert "Parameters of 'events'" in result.output
    assert "--param from=VALUE" in result.output and "YYYY-MM-DD" in result.output
    described = run("queries", "institutions", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(described.stdout)))
    assert [r["parameter"] for r in table] == ["type", "place"]
    assert "health-commission" in table[0]["values"]


def test_a_name_that_matches_nothing_exits_2_with_candidates(project):
    result = CliRunner().invoke(cli, ["query", "assistance", "--param", "recipient=bajiao centre"])
    assert result.exit_code == 2
    assert "names no organization or place" in result.output
    assert "Bajiao" in result.output and "Traceback" not in result.output


def test_an_impossible_date_exits_2(project):
    result = CliRunner().invoke(cli, ["query", "events", "--param", "from=2019-13-01"])
    assert result.exit_code == 2 and "is not a date" in result.output


def test_what_a_name_matched_is_noted_on_stderr(project):
    result = run("query", "roles", "--param", "organization=jiuquan", "--format", "csv")
    assert result.exit_code == 0
    assert "note: organization='jiuquan' matched" in result.stderr
    assert "note:" not in result.stdout
