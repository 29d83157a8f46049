"""The build as a whole: deterministic output, atomic writes, SHACL failures keep the old graph."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import edit

import kg
from kg.errors import AnnotationError, ValidationError
from kg.store import is_stale

ROOT = Path(__file__).resolve().parent.parent


def build_in_subprocess(out: Path, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    code = "import sys, kg; kg.build(sys.argv[1], sys.argv[2])"
    subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "seeds"), str(out)], check=True, env=env, cwd=ROOT
    )
    return (out / "kg.ttl").read_bytes()


def test_two_builds_are_byte_identical_across_hash_seeds(tmp_path, built):
    first = build_in_subprocess(tmp_path / "a", "1")
    second = build_in_subprocess(tmp_path / "b", "4242")
    assert first == second
    assert first == (built.out_dir / "kg.ttl").read_bytes()
    assert b"_:" not in first  # no blank nodes
    assert first.startswith(b"PREFIX ")  # explicit prefixes
    for prefix in (b"kg:", b"org:", b"prov:", b"schema:", b"skos:", b"oa:"):
        assert b"PREFIX " + prefix in first


def test_build_writes_graph_report_and_manifest(built):
    out = built.out_dir
    assert (out / "kg.ttl").stat().st_size > 100_000
    assert (out / "validation-report.txt").read_text().startswith("Conforms")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["triples"] == len(built.graph)
    assert len(manifest["articles"]) == 5
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_the_built_file_parses_back_to_the_same_graph(built):
    from rdflib import Graph
    from rdflib.compare import isomorphic

    assert isomorphic(Graph().parse(built.out_dir / "kg.ttl"), built.graph)


def failed_rebuild(seeds: Path, out: Path, file: str, old: str, new: str) -> kg.KgError:
    """Build, break one annotation, build again: the second build must fail and change nothing."""
    kg.build(seeds, out)
    before = (out / "kg.ttl").read_bytes()
    edit(seeds / "annotations" / file, old, new)
    with pytest.raises(kg.KgError) as info:
        kg.build(seeds, out)
    assert (out / "kg.ttl").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    return info.value


def test_failed_build_keeps_the_previous_graph(seeds, tmp_path):
    error = failed_rebuild(
        seeds,
        tmp_path / "out",
        "003_1da268ff874a2100.yaml",
        "aiding with 268 surgeries",
        "aiding with 269 surgeries",
    )
    assert error.exit_code == 2


def test_shacl_violation_fails_the_build_and_keeps_the_previous_graph(seeds, tmp_path):
    # the loader accepts any organization as a satellite; the shapes demand a hospital
    error = failed_rebuild(
        seeds,
        tmp_path / "out",
        "003_1da268ff874a2100.yaml",
        "    satellite: jinta-county-hospital\n",
        "    satellite: jinta-county-health-bureau\n",
    )
    assert isinstance(error, ValidationError)
    assert error.exit_code == 1
    assert "satellite hospital" in str(error)
    assert "003_1da268ff874a2100.yaml:" in str(error)
    assert "Satellite-satellite" in (tmp_path / "out" / "validation-report.txt").read_text()


def test_agreement_with_one_party_is_a_shacl_violation(seeds, tmp_path):
    edit(
        seeds / "annotations" / "001_94ed570f597dbb7b.yaml",
        "    parties: [beijing-health-bureau, chifeng-government]\n",
        "    parties: [beijing-health-bureau]\n",
    )
    with pytest.raises(ValidationError) as info:
        kg.build(seeds, tmp_path / "out")
    assert "at least two parties" in str(info.value)


def test_stale_build_is_detected(seeds, tmp_path):
    out = tmp_path / "out"
    kg.build(seeds, out)
    assert not is_stale(out, seeds)
    edit(seeds / "registry.yaml", "label: Wang Kai", "label: Wang  Kai")
    assert is_stale(out, seeds)


def test_missing_seeds_folder(tmp_path):
    with pytest.raises(AnnotationError) as info:
        kg.build(tmp_path / "nowhere", tmp_path / "out")
    assert "not found" in info.value.message


def test_unannotated_article_is_reported_not_fatal(seeds, tmp_path):
    (seeds / "articles" / "999_new.txt").write_text("A new article.", encoding="utf-8")
    result = kg.build(seeds, tmp_path / "out")
    assert result.unannotated == ["999_new.txt"]
