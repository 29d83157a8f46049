"""The kg command line: click commands that parse options, call the library and format results.

Heavy libraries (rdflib, pyshacl) are imported inside the commands, so ``kg --help`` is instant.
Every KgError becomes one message on stderr and an exit status: 1 when data does not conform,
2 when input cannot be read or used.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from kg.errors import KgError


class KgFailure(click.ClickException):
    """A KgError shown the click way: 'Error: ...' on stderr, with the error's exit status."""

    def __init__(self, error: KgError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code


class KgGroup(click.Group):
    """Turns the core's errors into one clean message; no traceback reaches the user."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KgError as error:
            raise KgFailure(error) from None


def _table(rows: list[tuple[str, object]], title: str | None = None) -> str:
    width = max((len(name) for name, _ in rows), default=0)
    lines = [title] if title else []
    lines += [f"  {name:<{width}}  {value:>6}" for name, value in rows]
    return "\n".join(lines)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def cli() -> None:
    """Build and query a knowledge graph of health counterpart assistance in China.

    \b
    Typical use, in a folder that holds seeds/:
      kg build          # annotations -> checked -> RDF -> SHACL -> build/kg.ttl
      kg stats          # what the graph holds, per class and per article
      kg validate FILE  # check any Turtle file against the shapes
    """


@cli.command()
@click.option(
    "--seeds",
    "seeds_dir",
    default="seeds",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder with registry.yaml, annotations/ and articles/.",
)
@click.option(
    "--out",
    "out_dir",
    default="build",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write kg.ttl and the validation report to.",
)
def build(seeds_dir: Path, out_dir: Path) -> None:
    """Build build/kg.ttl from the annotated articles, checked and validated.

    Every evidence quote is checked against its article, the graph is validated with
    SHACL, and kg.ttl is replaced only when the whole build succeeds.

    Example: kg build --seeds seeds --out build
    """
    from kg.pipeline import GRAPH_FILE, REPORT_FILE
    from kg.pipeline import build as run_build
    from kg.stats import summary

    result = run_build(seeds_dir, out_dir)
    counts = summary(result.graph)
    click.echo(
        f"Built {out_dir / GRAPH_FILE}: {len(result.graph)} triples from "
        f"{counts['articles']} articles."
    )
    click.echo(_table([(k, counts[k]) for k in ("organizations", "people", "places")], "Entities:"))
    click.echo(
        _table(
            [
                (k, v)
                for k, v in counts.items()
                if k not in ("organizations", "people", "places", "articles")
            ],
            "Facts:",
        )
    )
    click.echo(f"SHACL violations: {len(result.violations)} (report: {out_dir / REPORT_FILE})")
    if result.unannotated:
        click.echo(
            "Articles without annotations (not in the graph): " + ", ".join(result.unannotated),
            err=True,
        )


@cli.command()
@click.argument("file", required=False, default="build/kg.ttl")
def validate(file: str) -> None:
    """Validate an RDF file (default build/kg.ttl) against kg's SHACL shapes.

    Reads only the local file named, never a URL. Prints each violation with its node,
    property, message and the annotation file and line the node came from.
    Exit status: 0 conforms, 1 violations, 2 the file cannot be read.

    Example: kg validate build/kg.ttl
    """
    from kg.store import read_rdf
    from kg.validation import validate as run_validate

    report = run_validate(read_rdf(file))
    click.echo(report.text(), nl=False)
    if not report.conforms:
        sys.exit(1)


@cli.command()
@click.option(
    "--build-dir",
    default="build",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder holding kg.ttl.",
)
def stats(build_dir: Path) -> None:
    """Count what the built graph holds: per class and per article.

    Example: kg stats
    """
    from kg.stats import class_counts, per_article
    from kg.store import load_built

    graph = load_built(build_dir)
    click.echo(_table(list(class_counts(graph).items()), "Instances per class:"))
    click.echo("")
    rows = per_article(graph)
    if not rows:
        click.echo("No articles in the graph.")
        return
    headers = list(rows[0])
    widths = [max(len(h), *(len(str(r[h])) for r in rows)) for h in headers]
    click.echo("Per article:")
    click.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in rows:
        cells = (str(row[h]).ljust(w) for h, w in zip(headers, widths, strict=True))
        click.echo("  ".join(cells).rstrip())


def main() -> None:
    """Entry point of the ``kg`` script."""
    cli(prog_name="kg")
