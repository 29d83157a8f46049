"""The command line, as a user meets it: CliRunner for breadth, real processes for the truth."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import FIVE_ARTICLES, edit

from kg.cli import cli

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """A folder holding a copy of seeds/, as a user's project would."""
    shutil.copytree(FIVE_ARTICLES, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def built_dir(workdir, built) -> Path:
    """workdir with the session's build copied in as build/."""
    shutil.copytree(built.out_dir, workdir / "build")
    return workdir


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def kg_process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_build_prints_a_summary(workdir):
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "from 5 articles" in result.output
    assert "SHACL violations: 0" in result.output
    lines = dict(
        line.split()[:2]
        for line in result.output.splitlines()
        if line.startswith("  ") and len(line.split()) == 2
    )
    assert int(lines["organizations"]) >= 40
    assert int(lines["measures"]) >= 12
    assert (workdir / "build" / "kg.ttl").is_file()


def test_build_with_custom_folders(workdir):
    (workdir / "seeds").rename(workdir / "corpus")
    result = run("build", "--seeds", "corpus", "--out", "graph")
    assert result.exit_code == 0, result.output
    assert (workdir / "graph" / "kg.ttl").is_file()


def test_stats_counts_per_class_and_per_article(built_dir):
    result = run("stats")
    assert result.exit_code == 0
    assert "schema:NewsArticle" in result.output
    rows = {
        line.split()[0]: line.split()
        for line in result.output.splitlines()
        if line.startswith("00")
    }
    assert set(rows) == {
        "000_be9031ea60b0a656.txt",
        "001_94ed570f597dbb7b.txt",
        "002_4decd25a87767e97.txt",
        "003_1da268ff874a2100.txt",
        "004_3fa1216b693b88b9.txt",
    }
    header = next(line for line in result.output.splitlines() if line.startswith("article"))
    columns = header.split()
    assert rows["003_1da268ff874a2100.txt"][columns.index("satellites")] == "1"
    assert rows["000_be9031ea60b0a656.txt"][columns.index("roles")] == "7"


def test_stats_without_a_build(workdir):
    result = run("stats")
    assert result.exit_code == 2
    assert "run 'kg build' first" in result.output


def test_validate_the_built_graph(built_dir):
    result = run("validate")
    assert result.exit_code == 0
    assert "Conforms" in result.output


def test_validate_reports_node_property_message_and_annotation_line(built_dir):
    path = built_dir / "build" / "kg.ttl"
    text = path.read_text(encoding="utf-8")
    broken = text.replace('    kg:unit "surgeries"@en ;\n', "", 1)
    assert broken != text
    (built_dir / "broken.ttl").write_text(broken, encoding="utf-8")
    result = run("validate", "broken.ttl")
    assert result.exit_code == 1
    assert "a measure has exactly one unit" in result.output
    assert "property: kg:unit" in result.output
    assert "measure-surgeries" in result.output
    assert "seeds/annotations/003_1da268ff874a2100.yaml:" in result.output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.ttl", "This is not Turtle.\nAt all.\n", "not valid turtle"),
        (
            "bad.ttl",
            "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e\n",
            "not valid turtle",
        ),
        (
            "doc.rdf",
            '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n',
            "DOCTYPE",
        ),
        (
            "remote.jsonld",
            '{"@context": "http://schema.org/", "@id": "x", "name": "y"}',
            "remote @context",
        ),
        ("data.csv", "a,b\n", "unknown RDF file extension"),
    ],
)
def test_validate_refuses_bad_files_with_a_clear_message(workdir, name, content, message):
    (workdir / name).write_text(content, encoding="utf-8")
    result = run("validate", name)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert name in result.output


def test_validate_names_the_line_of_a_syntax_error(workdir):
    (workdir / "bad.ttl").write_text(
        "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e\n", encoding="utf-8"
    )
    result = run("validate", "bad.ttl")
    assert "bad.ttl:3: not valid turtle" in result.output
    assert result.exit_code == 2
    (workdir / "bad.nt").write_text("<http://a> <http://b> <http://c> .\nnot a triple\n")
    assert "bad.nt:2: not valid nt" in run("validate", "bad.nt").output


def test_validate_refuses_urls_and_missing_files(workdir):
    for target, message in (
        ("http://example.org/kg.ttl", "not URLs"),
        ("missing.ttl", "file not found"),
    ):
        result = run("validate", target)
        assert result.exit_code == 2
        assert message in result.output


def test_bad_annotation_is_one_message_with_file_line_and_hint(workdir):
    edit(
        workdir / "seeds" / "annotations" / "002_4decd25a87767e97.yaml",
        "    about: video-lecture\n",
        "    about: video-lectures\n",
    )
    result = run("build")
    assert result.exit_code == 2
    assert result.output.startswith("Error: seeds/annotations/002_4decd25a87767e97.yaml:")
    assert "did you mean 'video-lecture'" in result.output
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- real processes


def test_real_process_build_stats_validate(workdir):
    build = kg_process("build", cwd=workdir)
    assert build.returncode == 0, build.stderr
    assert "SHACL violations: 0" in build.stdout
    stats = kg_process("stats", cwd=workdir)
    assert stats.returncode == 0
    assert "kg:AssistanceRelationship" in stats.stdout
    validate = kg_process("validate", "build/kg.ttl", cwd=workdir)
    assert validate.returncode == 0
    assert "Conforms" in validate.stdout


def test_real_process_error_has_no_traceback(workdir):
    edit(workdir / "seeds" / "registry.yaml", "  - id: lhasa\n", "  - id: lhasa\n  - id: lhasa\n")
    result = kg_process("build", cwd=workdir)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "registry.yaml:" in result.stderr
    assert result.stdout == ""


def test_real_process_validate_exit_status_for_violations(built_dir):
    text = (built_dir / "build" / "kg.ttl").read_text(encoding="utf-8")
    (built_dir / "broken.ttl").write_text(
        text.replace('    kg:unit "surgeries"@en ;\n', "", 1), encoding="utf-8"
    )
    result = kg_process("validate", "broken.ttl", cwd=built_dir)
    assert result.returncode == 1
    assert "a measure has exactly one unit" in result.stdout


def test_help_is_fast_and_lists_the_commands(tmp_path):
    result = kg_process("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("build", "validate", "stats"):
        assert command in result.stdout
    code = (
        "import sys, kg.cli; "
        "heavy = [m for m in ('rdflib', 'pyshacl', 'networkx') if m in sys.modules]; "
        "print(heavy)"
    )
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert imported.stdout.strip() == "[]"


def test_every_command_has_help_with_an_example():
    for name, command in cli.commands.items():
        assert command.help and "Example: kg " + name in command.help, name
