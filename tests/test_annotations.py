"""Loading annotations: scalars kept as written, every kind of bad input caught with its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import edit
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

import kg
from kg.annotations import load_article, load_registry
from kg.errors import AnnotationError, EvidenceError, KgError
from kg.seeds import read_seeds
from kg.yamlfile import load_yaml

ARTICLE_000 = "annotations/000_be9031ea60b0a656.yaml"
ARTICLE_003 = "annotations/003_1da268ff874a2100.yaml"
ARTICLE_002 = "annotations/002_4decd25a87767e97.yaml"


def load_all(seeds: Path):
    files = read_seeds(seeds)
    registry = load_registry(files)
    return registry, [load_article(files, name, registry) for name in files.annotations]


def error_of(seeds: Path) -> KgError:
    with pytest.raises(KgError) as info:
        kg.build(seeds, seeds.parent / "build")
    return info.value


def test_the_seed_annotations_load(seeds):
    registry, articles = load_all(seeds)
    assert len(articles) == 5
    assert sum(len(a.facts) for a in articles) > 80
    assert registry.entities["bajiao-chsc"].kind == "organization"


def test_yaml_1_1_surprises_stay_as_written(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("a: NO\nb: 0777\nc: 12:30\nd: yes\ne: 1e3\nf: 2018-12-21\ng: ~\n")
    data = load_yaml(path)
    assert data == {
        "a": "NO",
        "b": "0777",
        "c": "12:30",
        "d": "yes",
        "e": "1e3",
        "f": "2018-12-21",
        "g": None,
    }
    assert data.key_lines["c"] == 3


def test_yaml_1_1_surprises_do_not_reach_the_graph(seeds):
    registry = seeds / "registry.yaml"
    edit(registry, "    label: Wang Kai\n", "    label: Wang Kai\n    alt: [NO, 12:30]\n")
    edit(seeds / ARTICLE_000, 'value: "4"', "value: 0777")
    result = kg.build(seeds, seeds.parent / "build")
    person = URIRef("https://w3id.org/counterpart-kg/id/person/wang-kai")
    assert set(result.graph.objects(person, SKOS.altLabel)) == {
        Literal("NO", lang="en"),
        Literal("12:30", lang="en"),
    }
    measure = URIRef(
        "https://w3id.org/counterpart-kg/id/fact/000_be9031ea60b0a656/measure-remote-trainings"
    )
    from kg.vocab import KG

    assert result.graph.value(measure, KG.value).toPython() == 777  # not octal 511


@pytest.mark.parametrize(
    ("file", "old", "new", "message", "line"),
    [
        (
            ARTICLE_000,
            "    kinds: [technical-guidance]\n",
            "    kinds: [technical-guidance\n",
            "malformed YAML",
            None,
        ),
        (
            ARTICLE_000,
            "    provider: cjfh-medical-alliance\n",
            "    provider: cjfh-medical-alliance\n    provider: cjfh\n",
            "duplicate key 'provider'",
            "    provider: cjfh\n    recipient: bajiao-chsc\n    kinds: [technical",
        ),
        (
            ARTICLE_000,
            "    provider: cjfh-medical-alliance\n",
            "    provider: cjfh-alliance\n",
            "unknown organization 'cjfh-alliance'",
            "    provider: cjfh-alliance",
        ),
        (
            ARTICLE_000,
            "  - id: assistance-cjfh-chengguan\n",
            "  - id: assistance-cjfh-bajiao\n",
            "duplicate fact id 'assistance-cjfh-bajiao'",
            "  - id: assistance-cjfh-bajiao\n    type: assistance\n"
            "    provider: cjfh\n    recipient: chengguan",
        ),
        (
            ARTICLE_000,
            'date: "2018-12-21"',
            'date: "2018-12-32"',
            "malformed date '2018-12-32'",
            None,
        ),
        (
            ARTICLE_000,
            "    kind: tour\n",
            "    kind: parade\n",
            "unknown kind 'parade'",
            "    kind: parade",
        ),
        (
            ARTICLE_000,
            "    type: measure\n",
            "    type: statistic\n",
            "unknown type 'statistic'",
            None,
        ),
        (
            ARTICLE_000,
            "    provider: cjfh-medical-alliance\n",
            "    provder: cjfh-medical-alliance\n",
            "unknown field 'provder'",
            "    provder:",
        ),
        (
            ARTICLE_000,
            "    recipient: bajiao-chsc\n    kinds: [technical-guidance]",
            "    recipient: sun-yang\n    kinds: [technical-guidance]",
            "'sun-yang' is a person, not an organization or place",
            "    recipient: sun-yang",
        ),
        (ARTICLE_000, '    value: "2"\n', "    value: two\n", "'two' is not a number", None),
        (
            ARTICLE_000,
            "    role: president\n",
            "    role: chairman\n",
            "unknown role 'chairman'",
            None,
        ),
        (
            ARTICLE_000,
            "  - id: assistance-alliance-bajiao\n",
            "  - id: Assistance_Alliance\n",
            "is not a valid id",
            None,
        ),
        (
            ARTICLE_000,
            "  file: 000_be9031ea60b0a656.txt\n",
            "  file: 000_missing.txt\n",
            "article file '000_missing.txt' not found",
            "  file: 000_missing.txt",
        ),
        ("registry.yaml", "  - id: lhasa\n", "  - id: tibet\n", "duplicate id 'tibet'", None),
        (
            "registry.yaml",
            "    type: prefecture-city\n    label: Lhasa\n",
            "    type: metropolis\n    label: Lhasa\n",
            "unknown type 'metropolis'",
            None,
        ),
        (
            "registry.yaml",
            "    parent: jiuquan\n",
            "    parent: jiuquan-peoples-hospital\n",
            "is not a place in the registry",
            None,
        ),
        (
            "registry.yaml",
            "    hidden: [Tong Jinju, Wu Jinju]\n",
            "    hidden: [Tong Jinju, Wu Jinju, Kan Jin Ju]\n",
            "occurs in no annotated article",
            None,
        ),
        (
            ARTICLE_003,
            '    ambiguous: "true"\n',
            '    ambiguous: "yes"\n',
            "must be true or false",
            None,
        ),
    ],
)
def test_bad_annotation_gives_file_line_and_hint(seeds, file, old, new, message, line):
    """``line`` is None or a text whose line in the edited file the error must name."""
    edit(seeds / file, old, new)
    error = error_of(seeds)
    assert message in error.message
    assert error.file is not None and error.file.endswith(Path(file).name)
    if line is not None:
        text = (seeds / file).read_text(encoding="utf-8")
        assert error.line == text[: text.index(line)].count("\n") + 1
    assert error.line is not None or "hidden label" in error.message
    assert error.exit_code == 2


def test_unknown_entity_suggests_the_closest_id(seeds):
    edit(
        seeds / ARTICLE_000,
        "    provider: cjfh-medical-alliance\n",
        "    provider: cjfh-medical-aliance\n",
    )
    assert "did you mean 'cjfh-medical-alliance'" in (error_of(seeds).hint or "")


def test_ambiguous_role_without_note_is_refused(seeds):
    path = seeds / ARTICLE_000
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: role-nima-cangjie")
    end = text.index("  - id: role-tang-xiaojun")
    block = text[start:end]
    path.write_text(text.replace(block, block[: block.index("    note:")] + "\n"), encoding="utf-8")
    error = error_of(seeds)
    assert "ambiguous role needs a 'note'" in error.message


def test_quote_not_in_article_names_article_and_shows_closest_passage(seeds):
    edit(
        seeds / ARTICLE_003,
        "      - aiding with 268 surgeries\n",
        "      - aiding with 286 surgeries\n",
    )
    error = error_of(seeds)
    assert isinstance(error, EvidenceError)
    assert "003_1da268ff874a2100.txt" in error.message
    assert "aiding with 268 surgeries" in (error.detail or "")
    assert error.file.endswith("003_1da268ff874a2100.yaml")
    assert error.line is not None


def test_quote_with_plain_space_for_a_non_breaking_one_gets_a_specific_hint(seeds):
    edit(
        seeds / ARTICLE_003,
        '      - "headed by President\\u00a0Zheng Xingdong"\n',
        "      - headed by President Zheng Xingdong\n",
    )
    error = error_of(seeds)
    assert "U+00A0" in (error.hint or "")


def test_non_utf8_file(seeds):
    path = seeds / ARTICLE_000
    data = path.read_bytes()
    path.write_bytes(data.replace("Lhasa’s".encode(), b"Lhasa\x92s", 1))
    error = error_of(seeds)
    assert "not valid UTF-8" in error.message
    assert error.line == 3


def test_empty_file(seeds):
    (seeds / ARTICLE_000).write_text("")
    error = error_of(seeds)
    assert "empty" in error.message
    assert error.line == 1


def test_comment_only_file(seeds):
    (seeds / ARTICLE_000).write_text("# nothing yet\n")
    assert "no YAML content" in error_of(seeds).message


def test_top_level_must_be_a_mapping(seeds):
    (seeds / ARTICLE_000).write_text("- just\n- a list\n")
    assert "top level must be a mapping" in error_of(seeds).message


def test_article_annotated_twice(seeds):
    source = seeds / ARTICLE_000
    (seeds / "annotations" / "zzz_copy.yaml").write_bytes(source.read_bytes())
    assert "annotated twice" in error_of(seeds).message


def test_absurd_nesting_is_a_clear_error(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(AnnotationError) as info:
        load_yaml(path)
    assert "nesting" in info.value.message


def test_yaml_alias_in_an_annotation_is_refused(seeds):
    edit(
        seeds / ARTICLE_000,
        "    parties: [cjfh, bajiao-chsc]\n",
        "    parties: &p [cjfh, bajiao-chsc]\n",
    )
    edit(seeds / ARTICLE_000, "    organizers: [cjfh, bajiao-chsc]\n", "    organizers: *p\n")
    error = error_of(seeds)
    assert "anchors and aliases" in error.message
    assert error.line is not None


def test_billion_laughs_is_refused(tmp_path):
    path = tmp_path / "lol.yaml"
    lines = ['a: &a ["lol", "lol"]'] + [
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}]" for i in range(20)
    ]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(AnnotationError) as info:
        load_yaml(path)
    assert "aliases" in info.value.message


# ---------------------------------------------------------------- what becomes part of an IRI


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "registry.yaml",
            "  - id: cjfh-medical-alliance\n",
            '  - id: "cjfh-medical-alliance\\n"\n',
            "is not a valid id",
        ),
        (ARTICLE_000, "languages: [en]", 'languages: ["en\\n"]', "is not a language tag"),
        (
            ARTICLE_000,
            "  - id: agreement-2019\n",
            '  - id: "agreement-2019\\n"\n',
            "not a valid id",
        ),
        ("annotations/002_4decd25a87767e97.yaml", 'value: "70"', 'value: "70\\n"', "not a number"),
        (
            "annotations/002_4decd25a87767e97.yaml",
            'value: "70"',
            'value: "' + "7" * 5000 + '"',
            "too many digits",
        ),
    ],
)
def test_a_trailing_newline_or_an_absurd_number_is_refused(seeds, file, old, new, message):
    edit(seeds / file, old, new)
    error = error_of(seeds)
    assert message in error.message
    assert error.line is not None and error.exit_code == 2


def test_a_date_with_a_trailing_newline_is_refused(seeds):
    edit(seeds / ARTICLE_000, 'published: "2018-12-31"', 'published: "2018-12-31\\n"')
    error = error_of(seeds)
    assert error.line is not None and error.exit_code == 2


# ---------------------------------------------------------------- only regular files, bounded


def test_a_fifo_among_the_annotations_is_refused_not_waited_on(seeds):
    import os

    os.mkfifo(seeds / "annotations" / "005_pipe.yaml")
    error = error_of(seeds)
    assert "not a regular file" in error.message
    assert error.file and error.file.endswith("005_pipe.yaml")


def test_a_symlink_to_an_endless_device_is_refused_before_reading(seeds):
    (seeds / "annotations" / "005_zero.yaml").symlink_to("/dev/zero")
    error = error_of(seeds)
    assert "not a regular file" in error.message


def test_an_oversized_file_is_refused_before_reading(seeds):
    with (seeds / "articles" / "000_be9031ea60b0a656.txt").open("r+b") as stream:
        stream.truncate(50_000_000)  # sparse: large on paper, nothing read
    error = error_of(seeds)
    assert "too large" in error.message


# ---------------------------------------------------------------- hints that point the right way


def test_an_unknown_id_suggests_ids_that_contain_its_words(seeds):
    edit(
        seeds / "registry.yaml",
        "  - id: xiyuan-hospital\n",
        "  - id: amdo-county-peoples-hospital\n    type: hospital\n"
        "    label: People's Hospital of Amdo County\n  - id: xiyuan-hospital\n",
    )
    edit(seeds / ARTICLE_000, "provider: cjfh-medical-alliance\n", "provider: amdo-hospital\n")
    hint = error_of(seeds).hint or ""
    assert "amdo-county-peoples-hospital" in hint
    assert hint.index("amdo-county-peoples-hospital") < hint.find("xiyuan") or "xiyuan" not in hint


def test_an_unknown_keyword_lists_the_allowed_values_without_a_wrong_guess(seeds):
    edit(seeds / ARTICLE_002, "qualifier: more-than", "qualifier: less-than")
    error = error_of(seeds)
    assert "more-than" in (error.hint or "") and "exactly" in (error.hint or "")
    assert "did you mean" not in (error.hint or "")


def test_a_misspelt_keyword_gets_a_guess(seeds):
    edit(seeds / ARTICLE_002, "qualifier: more-than", "qualifier: mroe-than")
    assert "did you mean 'more-than'" in (error_of(seeds).hint or "")
