"""The command line at its edges: odd destinations, closed pipes, timeouts, odd queries.

Each test comes from a probe that once gave a traceback, a hang, a wrong exit status or a
destroyed file. The rule they share: one message, the documented status, nothing lost.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def invoke(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def assert_clean_failure(result, status: int = 2) -> None:
    assert result.exit_code == status, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def bash(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, capture_output=True, text=True, timeout=300
    )


KG = f"{sys.executable} -m kg"


# ---------------------------------------------------------------- -o never destroys what is there


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_output_onto_a_device_writes_into_it_and_keeps_the_node(project):
    device = project / "null"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a second /dev/null
    result = invoke("query", "flows", "-o", str(device))
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.stat(device).st_mode)
    assert not [p for p in project.iterdir() if p.name.endswith(".tmp")]


def test_output_onto_a_fifo_writes_into_it(project):
    fifo = project / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = invoke("query", "flows", "--format", "csv", "-o", str(fifo))
    reader.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert received and received[0].startswith(b"providerRegion,")


def test_output_through_a_symlink_writes_its_target(project):
    target = project / "results.csv"
    target.write_text("old")
    link = project / "latest.csv"
    link.symlink_to(target.name)
    result = invoke("query", "flows", "--format", "csv", "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert target.read_text().startswith("providerRegion,")


def test_output_into_a_missing_folder_or_onto_a_folder(project):
    missing = invoke("query", "flows", "-o", "no/such/folder/out.csv")
    assert_clean_failure(missing)
    assert "does not exist" in missing.output
    (project / "adir").mkdir()
    onto = invoke("query", "flows", "-o", "adir")
    assert_clean_failure(onto)
    assert "directory" in onto.output or "folder" in onto.output


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "disk is full"), (errno.EROFS, "read-only"), (errno.EACCES, "permission")],
)
def test_a_full_disk_or_read_only_build_folder_fails_cleanly(project, monkeypatch, code, words):
    """Root ignores permissions, so the failing write is simulated where the bytes go out."""
    import kg.resources

    before = (project / "build" / "kg.ttl").read_bytes()
    real_fdopen = os.fdopen

    class FailingStream:
        def __init__(self, handle, *args, **kwargs):
            self.stream = real_fdopen(handle, *args, **kwargs)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.stream.close()

        def write(self, data):
            raise OSError(code, os.strerror(code))

    monkeypatch.setattr(kg.resources.os, "fdopen", FailingStream)
    result = invoke("build")
    assert_clean_failure(result)
    assert words in result.output
    assert (project / "build" / "kg.ttl").read_bytes() == before
    assert not [p for p in (project / "build").iterdir() if p.name.endswith(".tmp")]


# ---------------------------------------------------------------- closed pipes exit 0


@pytest.mark.parametrize(
    "command",
    ["stats | head -1", "build | head -c1", "query evidence | head -1", "export | head -c1"],
)
def test_a_reader_that_leaves_early_is_not_an_error(project, command):
    result = bash(f"set -o pipefail; {KG} {command}", project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Error" not in result.stderr


# ---------------------------------------------------------------- timeouts


@pytest.mark.parametrize("value", ["nan", "-1", "soon"])
def test_a_timeout_that_is_not_a_number_of_seconds_is_refused(project, value):
    result = invoke("sparql", "ASK { ?s ?p ?o }", "--timeout", value)
    assert_clean_failure(result)
    assert "--timeout" in result.output


@pytest.mark.parametrize("value", ["inf", "1e300", "0"])
def test_an_unbounded_timeout_means_no_limit(project, value):
    result = invoke("sparql", "ASK { ?s ?p ?o }", "--timeout", value)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "yes"


def test_a_huge_query_is_parsed_once_and_inside_the_time_limit(project):
    rows = " ".join(f'("value number {i}")' for i in range(20000))
    query = f"SELECT ?x WHERE {{ VALUES (?x) {{ {rows} }} }}"
    (project / "big.rq").write_text(query)
    started = time.perf_counter()
    result = bash(f"{KG} sparql --file big.rq --timeout 1", project)
    elapsed = time.perf_counter() - started
    assert result.returncode == 3, result.stderr
    assert elapsed < 15  # the limit stops the parse itself; a process starts in ~1 s


def test_a_rebuild_before_a_query_counts_against_the_timeout(project):
    with (project / "seeds" / "registry.yaml").open("a", encoding="utf-8") as stream:
        stream.write("# edited\n")
    result = invoke("query", "flows", "--timeout", "0.2")
    assert_clean_failure(result, 3)
    assert "seconds" in result.output


# ---------------------------------------------------------------- queries that once crashed


def test_a_query_file_that_is_not_utf8(project):
    (project / "q.rq").write_bytes(b"SELECT * WHERE { ?s ?p '\xff' }\n")
    result = invoke("sparql", "--file", "q.rq")
    assert_clean_failure(result)
    assert "UTF-8" in result.output and "q.rq" in result.output


def test_a_query_on_stdin_that_is_not_utf8(project):
    result = invoke("sparql", "-", input=b"ASK { ?s ?p '\xff' }")
    assert_clean_failure(result)
    assert "UTF-8" in result.output and "stdin" in result.output


@pytest.mark.parametrize("query", ["", "   \n", "# only a comment\n"])
def test_an_empty_query_is_called_empty(project, query):
    result = invoke("sparql", query)
    assert_clean_failure(result)
    assert "empty" in result.output and "Update" not in result.output


def test_graph_patterns_answer_from_a_graph_without_named_graphs(project):
    result = invoke("sparql", "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert sorted(result.stdout.strip().split(",")) == ["g", "o", "p", "s"]


def test_construct_where_with_a_limit(project):
    result = invoke(
        "sparql",
        "CONSTRUCT WHERE { ?s <http://www.w3.org/2004/02/skos/core#hiddenLabel> ?o } LIMIT 1",
        "--format",
        "nt",
    )
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == 1
    assert "hiddenLabel" in result.output


def test_a_service_that_answers_an_http_error_is_a_clean_failure(project):
    import http.server

    class NotImplementedHandler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_error(501)

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), NotImplementedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        query = (
            f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{server.server_port}/sparql> "
            "{ ?s ?p ?o } }"
        )
        result = invoke("sparql", "--allow-external", "--timeout", "20", query)
    finally:
        server.shutdown()
    assert_clean_failure(result)
    assert "501" in result.output


# ---------------------------------------------------------------- ad-hoc SPARQL from the README


def test_the_graphs_prefixes_are_predeclared(project):
    query = (
        "SELECT ?label WHERE { ?h a kg:Hospital ; skos:prefLabel ?label ; "
        "kg:locatedIn/schema:containedInPlace*/skos:prefLabel 'Gansu'@en . "
        "FILTER(lang(?label) = 'en') } ORDER BY ?label"
    )
    result = invoke("sparql", query, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "Jiuquan People's Hospital" in result.output.splitlines()
    for prefix in ("org", "prov", "oa", "dcterms", "rdfs", "owl", "xsd", "rdf"):
        ask = invoke("sparql", f"ASK {{ ?s ?p ?o . FILTER(isIRI({prefix}:x)) }}")
        assert ask.exit_code == 0, (prefix, ask.output)


def test_an_unknown_prefix_gets_a_hint_about_prefixes(project):
    result = invoke("sparql", "SELECT * WHERE { ?s nope:thing ?o }")
    assert_clean_failure(result)
    assert "nope" in result.output and "PREFIX" in result.output
    assert "GROUP BY" not in result.output


def test_graph_views_into_a_path_that_cannot_be_a_folder(project):
    (project / "afile").write_text("keep me")
    for target in ("afile/views", "/dev/null/views"):
        result = invoke("graph", "view", "-o", target, "--only", "dot")
        assert_clean_failure(result)
        assert "cannot write" in result.output
    assert (project / "afile").read_text() == "keep me"
