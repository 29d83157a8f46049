"""Random and mutated annotation files: the loader builds or fails with a KgError, never crashes."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from helpers import FIVE_ARTICLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.annotations import load_article, load_registry
from kg.errors import KgError
from kg.evidence import locate
from kg.seeds import read_seeds
from kg.yamlfile import load_yaml

ROOT = Path(__file__).resolve().parent.parent
ANNOTATION = "annotations/003_1da268ff874a2100.yaml"
ORIGINAL = (FIVE_ARTICLES / ANNOTATION).read_text(encoding="utf-8")
REGISTRY = load_registry(read_seeds(FIVE_ARTICLES))
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def check_article_text(text: str | bytes) -> None:
    """Load one mutated annotation file; the only acceptable failure is a KgError."""
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        (seeds / "annotations").mkdir(parents=True)
        shutil.copytree(FIVE_ARTICLES / "articles", seeds / "articles")
        path = seeds / ANNOTATION
        if isinstance(text, str):
            path.write_text(text, encoding="utf-8")
        else:
            path.write_bytes(text)
        try:
            article = load_article(read_seeds(seeds), ANNOTATION, REGISTRY)
            for fact in article.facts:
                for quote in fact.evidence:
                    locate(article, quote)
        except KgError as error:
            assert error.message
            assert error.file is not None


lines = ORIGINAL.splitlines(keepends=True)
yaml_noise = st.sampled_from(
    [
        "",
        ":",
        "- ",
        "  ",
        "\t",
        "{",
        "[",
        "]",
        "}",
        "&a ",
        "*a",
        "!!str ",
        "'",
        '"',
        "#",
        "|",
        ">",
        "? ",
        "---\n",
        "...\n",
        "\n",
        "NO",
        "0777",
        "12:30",
        "~",
        "\\u00a0",
        "\x00",
        "\ufeff",
        "€",
    ]
)


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(lines) - 1), yaml_noise), min_size=1, max_size=6))
def test_mutated_annotation_builds_or_fails_cleanly(edits):
    mutated = list(lines)
    for index, noise in edits:
        line = mutated[index]
        cut = len(line) // 2
        mutated[index] = line[:cut] + noise + line[cut:]
    check_article_text("".join(mutated))


@FUZZ
@given(st.lists(st.integers(0, len(lines) - 1), min_size=1, max_size=10))
def test_annotation_with_lines_removed_or_duplicated(picks):
    mutated = list(lines)
    for index in sorted(set(picks), reverse=True):
        if index % 2:
            del mutated[index]
        else:
            mutated.insert(index, mutated[index])
    check_article_text("".join(mutated))


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(data):
    check_article_text(data)


@FUZZ
@given(st.text(max_size=400))
def test_random_text(text):
    check_article_text(text)


@settings(max_examples=25, deadline=None)
@given(st.integers(50, 20000), st.sampled_from(["[", "{", "- ", "a:\n  "]))
def test_absurd_nesting(depth, opener):
    closer = {"[": "]", "{": "}"}.get(opener, "")
    text = "key: " + opener * depth + closer * depth + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "deep.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            load_yaml(path)
        except KgError as error:
            assert error.message and error.file == str(path)
