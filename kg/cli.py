"""The kg command line: click commands that parse options, call the library and format results.

Heavy libraries (rdflib, pyshacl) are imported inside the commands, so ``kg --help`` is instant.
Every KgError becomes one message on stderr and an exit status: 1 when data does not conform,
2 when input cannot be read or used.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
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
    """Turns the core's errors into one clean message; no traceback reaches the user. A
    reader that leaves early (``| head``) ends the command quietly with status 0."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KgError as error:
            raise KgFailure(error) from None
        except BrokenPipeError:
            _silence_stdout()
            raise click.exceptions.Exit(0) from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so flushing the closed pipe at exit cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def folder_option(*names: str, default: str, help: str) -> Callable[..., Any]:
    """An option naming a folder (seeds, build output), shown with its default."""
    return click.option(
        *names,
        default=default,
        show_default=True,
        help=help,
        type=click.Path(file_okay=False, path_type=Path),
    )


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
      kg build              # annotations -> checked -> RDF -> SHACL -> build/kg.ttl
      kg stats              # what the graph holds, per class and per article
      kg queries            # the catalog of canned queries
      kg query assistance   # run one: who assists whom
      kg sparql 'SELECT ...'  # your own SPARQL (kg ontology lists the terms)
      kg export --format nt # the whole graph for other tools
      kg validate FILE      # check any RDF file against the shapes
      kg graph view         # institution-link graph: HTML, SVG, PNG, GraphML, GEXF, DOT
    """


@cli.command()
@folder_option(
    "--seeds",
    "seeds_dir",
    default="seeds",
    help="Folder with registry.yaml, annotations/ and articles/.",
)
@folder_option(
    "--out", "out_dir", default="build", help="Folder to write kg.ttl and the validation report to."
)
def build(seeds_dir: Path, out_dir: Path) -> None:
    """Build build/kg.ttl from the annotated articles, checked and validated.

    Every evidence quote is checked against its article, the graph is validated with
    SHACL, and kg.ttl is replaced only when the whole build succeeds.

    Example: kg build --seeds seeds --out build
    """
    from kg.pipeline import build as run_build
    from kg.resources import GRAPH_FILE, REPORT_FILE
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
    if result.ignored:
        click.echo(
            "Not read (hidden, or not .yaml/.yml annotations or .txt articles): "
            + ", ".join(result.ignored),
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
@folder_option("--build-dir", default="build", help="Folder holding kg.ttl.")
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


RESULT_FORMAT_NAMES = ["table", "csv", "tsv", "json", "markdown"]
GRAPH_FORMAT_NAMES = ["turtle", "nt", "jsonld", "xml", "trig"]


def graph_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Where the built graph is, and the seeds it is checked against for staleness."""
    command = folder_option(
        "--seeds",
        "seeds_dir",
        default="seeds",
        help="Seeds folder; the graph is rebuilt first if it changed.",
    )(command)
    return folder_option("--build-dir", default="build", help="Folder holding the built kg.ttl.")(
        command
    )


def output_options(formats: list[str], default: str | None) -> Callable[..., Any]:
    """The same --format, -o/--output and --limit words for every command that prints data."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        command = click.option(
            "--limit", type=click.IntRange(min=0), default=None, help="Print at most N rows."
        )(command)
        command = click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write to FILE (atomically) instead of stdout.",
        )(command)
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(formats),
            default=default,
            show_default=default is not None,
            help="Output format.",
        )(command)

    return decorate


class Seconds(click.ParamType):
    """A time limit in seconds: 0 or inf for none; NaN and negative numbers are refused."""

    name = "seconds"

    def convert(self, value: Any, param: Any, ctx: Any) -> float | None:
        from kg.queries import timeout_seconds

        try:
            return timeout_seconds(float(value))
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        except KgError as error:
            self.fail(error.message, param, ctx)


def query_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option(
        "--timeout",
        type=Seconds(),
        default="30",
        show_default=True,
        help="Stop after this many seconds, a rebuild of build/ included (0 or inf: no limit).",
    )(command)
    return command


def _note(message: str) -> None:
    click.echo(f"note: {message}", err=True)


def _engine(build_dir: Path, seeds_dir: Path) -> Callable[[], Any]:
    """Opens the engine when called: after the query is checked, inside its time limit."""
    from kg.store import GraphEngine, open_graph

    return lambda: GraphEngine(open_graph(build_dir, seeds_dir, on_rebuild=_note))


def _emit(text: str | bytes, output: Path | None) -> None:
    """Data to stdout or, atomically, to a file; never half a file."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if output is None:
        click.echo(data, nl=False)
        return
    from kg.resources import write_atomically

    write_atomically(output, data)
    click.echo(f"wrote {output}", err=True)


def _print_result(result: Any, fmt: str | None, output: Path | None, limit: int | None) -> None:
    from kg.formats import RESULT_FORMATS, write_graph

    if result.kind in ("CONSTRUCT", "DESCRIBE"):
        fmt = fmt or "turtle"
        if fmt not in GRAPH_FORMAT_NAMES:
            raise click.UsageError(
                f"a {result.kind} query gives a graph: use --format " + "|".join(GRAPH_FORMAT_NAMES)
            )
        _emit(write_graph(result.graph, fmt), output)
        return
    fmt = fmt or "table"
    if fmt not in RESULT_FORMAT_NAMES:
        raise click.UsageError(
            f"a {result.kind} query gives rows: use --format " + "|".join(RESULT_FORMAT_NAMES)
        )
    if limit is not None and len(result.rows) > limit:
        click.echo(f"note: showing {limit} of {len(result.rows)} rows", err=True)
        result.rows = result.rows[:limit]
    if result.kind == "SELECT" and not result.rows and fmt not in ("table", "markdown"):
        click.echo("No results.", err=True)
    if fmt == "table" and output is None and sys.stdout.isatty():
        from kg.formats import write_table

        # fitted to the terminal only when a person reads it there; pipes get whole cells
        _emit(write_table(result, shutil.get_terminal_size().columns), output)
        return
    _emit(RESULT_FORMATS[fmt](result), output)


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"'{value}' is not KEY=VALUE", param_hint="--param")
        params[key.strip()] = text
    return params


@cli.command("queries")
@click.argument("name", required=False)
@output_options(RESULT_FORMAT_NAMES, "table")
def list_queries(name: str | None, fmt: str, output: Path | None, limit: int | None) -> None:
    """List the canned queries; with a NAME, describe that query's parameters.

    Example: kg queries assistance
    """
    from rdflib import Literal

    from kg.queries import QueryResult, canned, catalog

    if name:
        query = canned(name)
        click.echo(f"{query.name}: {query.description}", err=True)
        rows = [tuple(Literal(cell) for cell in row) for row in _parameter_rows(query)]
        result = QueryResult("SELECT", ["parameter", "default", "values", "description"], rows)
        _print_result(result, fmt, output, limit)
        return
    rows = []
    for query in catalog().values():
        params = ", ".join(
            p.name + (f"={p.default}" if p.default else "") for p in query.parameters
        )
        rows.append((Literal(query.name), Literal(params), Literal(query.description)))
    result = QueryResult("SELECT", ["name", "parameters", "description"], rows)
    _print_result(result, fmt, output, limit)


def _parameter_rows(query: Any) -> list[tuple[str, str, str, str]]:
    """One row per parameter of a canned query: name, default, what values look like, what
    it does; read from the query's header."""
    return [(p.name, p.default or "", p.values_help(), p.description) for p in query.parameters]


class QueryCommand(click.Command):
    """'kg query NAME --help' also describes NAME's own parameters."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--help" in args or "-h" in args:
            from kg.queries import catalog

            names = catalog()
            ctx.meta["kg.query"] = next((names[a] for a in args if a in names), None)
        return super().parse_args(ctx, args)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        query = ctx.meta.get("kg.query")
        if query is None:
            return
        rows = [
            (
                f"--param {name}=VALUE",
                f"{description} Values: {values}." + (f" Default: {default}." if default else ""),
            )
            for name, default, values, description in _parameter_rows(query)
        ]
        with formatter.section(f"Parameters of '{query.name}'"):
            formatter.write_text(query.description)
            if rows:
                formatter.write_dl(rows)
            else:
                formatter.write_text("(none)")


@cli.command(cls=QueryCommand)
@click.argument("name")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A query parameter; names match any label or id ('kg query NAME --help' lists them).",
)
@output_options(RESULT_FORMAT_NAMES, "table")
@query_options
@graph_options
def query(
    name: str,
    params: tuple[str, ...],
    fmt: str,
    output: Path | None,
    limit: int | None,
    timeout: float | None,
    build_dir: Path,
    seeds_dir: Path,
) -> None:
    """Run a canned query from the catalog (see 'kg queries').

    A name parameter matches an exact label (any spelling, any language) or registry id
    first, and part of a name only when nothing matches exactly; what it matched is noted
    on stderr when that is a guess or several nodes. A name that matches nothing, a date
    that does not exist or an unknown kind is an error (status 2) with the closest names.

    Example: kg query assistance --param recipient=jiuquan --format csv
    """
    from kg.queries import run_canned

    given = _parse_params(params)
    result = run_canned(_engine(build_dir, seeds_dir), name, given, timeout=timeout)
    for note in result.notes:
        _note(note)
    _print_result(result, fmt, output, limit)


@cli.command()
@click.argument("text", required=False, metavar="QUERY")
@click.option(
    "--file",
    "file",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=str),
    help="Read the query from FILE ('-' for stdin).",
)
@click.option(
    "--allow-external",
    is_flag=True,
    help="Allow SERVICE and FROM / FROM NAMED, which reach outside the built graph.",
)
@output_options(RESULT_FORMAT_NAMES + GRAPH_FORMAT_NAMES, None)
@query_options
@graph_options
def sparql(
    text: str | None,
    file: str | None,
    allow_external: bool,
    fmt: str | None,
    output: Path | None,
    limit: int | None,
    timeout: float | None,
    build_dir: Path,
    seeds_dir: Path,
) -> None:
    """Run your own SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on the built graph.

    The query comes as an argument, from --file, or from stdin with '-'. The prefixes the
    graph uses (kg, schema, org, skos, prov, oa, dcterms, rdf, rdfs, owl, xsd, ...) need no
    PREFIX line. Updates are refused; SERVICE and FROM need --allow-external. CONSTRUCT and
    DESCRIBE print Turtle (or --format nt|jsonld|xml|trig); SELECT and ASK print a table
    (or csv|tsv|json|markdown).

    Example: kg sparql 'SELECT ?h WHERE { ?h a kg:Hospital }'
    """
    from kg.queries import read_query, run

    if file is not None and text is not None:
        raise click.UsageError("give the query as an argument or with --file, not both")
    if file is None and text is None and sys.stdin.isatty():
        raise click.UsageError("give a query, --file FILE, or '-' to read it from stdin")
    if file is None and text is not None and text != "-":
        source = text
    elif file is None or file == "-":
        source = read_query(sys.stdin.buffer.read(), "stdin")
    else:
        source = read_query(_read_bytes(file), file)
    engine = _engine(build_dir, seeds_dir)
    result = run(engine, source, timeout=timeout, allow_external=allow_external)
    _print_result(result, fmt, output, limit)


def _read_bytes(file: str) -> bytes:
    try:
        return Path(file).read_bytes()
    except OSError as exc:
        raise click.BadParameter(
            f"cannot read {file}: {exc.strerror}", param_hint="--file"
        ) from None


@cli.command()
@output_options(RESULT_FORMAT_NAMES, "table")
def ontology(fmt: str, output: Path | None, limit: int | None) -> None:
    """List the ontology's classes, properties and concepts, for writing SPARQL.

    Each term comes with its label, the standard term it refines (alignsTo), its domain and
    range, and its comment. Every prefix shown works in 'kg sparql' without a PREFIX line.

    Example: kg ontology --format csv
    """
    from kg.ontology import terms

    _print_result(terms(), fmt, output, limit)


@cli.command()
@output_options(GRAPH_FORMAT_NAMES, "turtle")
@graph_options
def export(
    fmt: str, output: Path | None, limit: int | None, build_dir: Path, seeds_dir: Path
) -> None:
    """Export the whole graph (ontology included) as Turtle, N-Triples, JSON-LD, RDF/XML or TriG.

    Parsing the output back gives the same graph. JSON-LD carries its context inline.

    Example: kg export --format jsonld -o kg.jsonld
    """
    from kg.formats import write_graph
    from kg.store import open_graph

    if limit is not None:
        raise click.UsageError("--limit does not apply to export")
    graph = open_graph(
        build_dir, seeds_dir, on_rebuild=lambda m: click.echo(f"note: {m}", err=True)
    )
    _emit(write_graph(graph, fmt), output)


def _link_graph(build_dir: Path, seeds_dir: Path, extras: str) -> Any:
    from kg.network import link_graph
    from kg.store import open_graph

    wanted = tuple(sorted({x.strip() for x in extras.split(",") if x.strip()}))
    rdf = open_graph(build_dir, seeds_dir, on_rebuild=lambda m: click.echo(f"note: {m}", err=True))
    return link_graph(rdf, wanted)


def link_graph_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """What every 'kg graph' command shares: node sets, output, and where the graph is."""
    command = click.option(
        "--with",
        "extras",
        default="",
        metavar="places,people",
        help="Add places and/or people as nodes.",
    )(command)
    return graph_options(output_options(RESULT_FORMAT_NAMES, "table")(command))


@cli.group()
def graph() -> None:
    """Institution-link graphs: who assists, signs with, meets or belongs to whom.

    Example: kg graph central --measure betweenness
    """


def _analysis(name: str, options: dict[str, Any], *args: Any) -> None:
    """Run one analysis of kg.network on the link graph and print it."""
    from kg import network

    links = _link_graph(options["build_dir"], options["seeds_dir"], options["extras"])
    result = getattr(network, name)(links, *args)
    _print_result(result, options["fmt"], options["output"], options["limit"])


@graph.command("stats")
@link_graph_options
def graph_stats(**options: Any) -> None:
    """Nodes and edges per kind, components, density.

    Example: kg graph stats --with places
    """
    _analysis("stats", options)


@graph.command()
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True)
@click.option(
    "--measure",
    type=click.Choice(["degree", "betweenness", "pagerank"]),
    default="degree",
    show_default=True,
)
@link_graph_options
def central(top: int, measure: str, **options: Any) -> None:
    """The hubs: institutions ranked by degree, betweenness or PageRank.

    Example: kg graph central --top 5 --measure pagerank
    """
    _analysis("central", options, measure, top)


@graph.command()
@click.argument("start")
@click.argument("end")
@link_graph_options
def path(start: str, end: str, **options: Any) -> None:
    """The shortest chain of links between two institutions, with the fact behind each hop.

    Name them by any label (variants and Chinese included) or by id.

    Example: kg graph path "Jinta County People's Hospital" "First People's Hospital of Shanghai"
    """
    _analysis("path", options, start, end)


@graph.command()
@click.argument("name")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True)
@link_graph_options
def neighbors(name: str, depth: int, **options: Any) -> None:
    """The institutions within DEPTH links of one, and the kinds of link that reach them.

    Example: kg graph neighbors bagou --depth 2
    """
    _analysis("neighbors", options, name, depth)


@graph.command()
@link_graph_options
def components(**options: Any) -> None:
    """The clusters of linked institutions, largest first, with their members.

    Example: kg graph components --format csv
    """
    _analysis("components", options)


@graph.command("flows")
@link_graph_options
def graph_flows(**options: Any) -> None:
    """Assistance aggregated from the provider's province to the recipient's.

    Example: kg graph flows
    """
    _analysis("flows", options)


@graph.command()
@click.option(
    "-o",
    "--output",
    "out_dir",
    default="build/graph",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for institutions.html, .svg, .png, .graphml, .gexf, .dot.",
)
@click.option(
    "--only", "only", default="", metavar="html,png,...", help="Write only these formats."
)
@click.option(
    "--with",
    "extras",
    default="",
    metavar="places,people",
    help="Add places and/or people as nodes.",
)
@graph_options
def view(out_dir: Path, only: str, extras: str, build_dir: Path, seeds_dir: Path) -> None:
    """Write the graph as an offline HTML page, SVG, PNG, GraphML, GEXF and DOT.

    The HTML page is one file with everything inline: hover for labels and the quote behind
    a link, filter by link kind, search by any spelling of a name.

    Example: kg graph view -o build/graph
    """
    from kg.views import VIEW_WRITERS, write_views

    formats = tuple(x.strip() for x in only.split(",") if x.strip()) or tuple(VIEW_WRITERS)
    for fmt in formats:
        if fmt not in VIEW_WRITERS:
            raise click.BadParameter(
                f"unknown view '{fmt}'; use " + ", ".join(VIEW_WRITERS), param_hint="--only"
            )
    for written in write_views(_link_graph(build_dir, seeds_dir, extras), out_dir, formats):
        click.echo(f"wrote {written}")


def main() -> None:
    """Entry point of the ``kg`` script. Output cut short by a closed pipe is not an error."""
    try:
        cli(prog_name="kg")
    except BrokenPipeError:
        # the reader (head, less) left: stop quietly, and keep Python from complaining
        # about the closed stdout at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
