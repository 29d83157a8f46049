"""The docs tell the truth: CI runs the README's test command, every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

from kg.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def bash_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, re.S)]


def test_ci_runs_the_readme_test_command():
    blocks = bash_blocks(README)
    test_command = next(b for b in blocks if "pytest" in b)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


def test_readme_has_a_main_command_that_builds():
    assert any("kg build" in b for b in bash_blocks(README))


def test_every_command_is_in_the_readme():
    for name in cli.commands:
        assert f"`kg {name}" in README, name


def test_annotation_format_documents_every_field():
    from kg.annotations import ARTICLE_FIELDS, ENTITY_FIELDS, FACT_SCHEMAS
    from kg.vocab import ASSISTANCE_KINDS, EVENT_KINDS, ORGANIZATION_KINDS, PLACE_KINDS

    guide = (ROOT / "seeds" / "README.md").read_text(encoding="utf-8")
    fields = set(ARTICLE_FIELDS) | {f for fs in ENTITY_FIELDS.values() for f in fs}
    fields |= {f for schema in FACT_SCHEMAS.values() for f in schema} | set(FACT_SCHEMAS)
    keywords = set(ASSISTANCE_KINDS) | set(EVENT_KINDS) | set(ORGANIZATION_KINDS) | set(PLACE_KINDS)
    for word in sorted(fields | keywords):
        assert f"`{word}`" in guide, word


def shown_runs(text: str) -> list[tuple[str, str]]:
    """Every '$ kg ...' line in the README's plain code blocks, with the output shown under it."""
    runs = []
    for block in re.findall(r"^```(.*?)^```", text, re.S | re.M):
        if not block.startswith("\n"):  # a block with a language, such as bash
            continue
        parts = re.split(r"^\$ (kg .*)\n", block[1:], flags=re.M)
        runs += [(parts[i], parts[i + 1]) for i in range(1, len(parts), 2)]
    return runs


def test_the_readme_shows_real_output(project):
    """Every command output in the README is what a real run prints, byte for byte."""
    import shlex

    from click.testing import CliRunner

    runs = shown_runs(README)
    assert len(runs) >= 8
    for command, shown in runs:
        args = shlex.split(command, comments=True)[1:]
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, (command, result.output)
        assert result.stdout.rstrip("\n") == shown.rstrip("\n"), command
