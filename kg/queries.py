"""SPARQL over the built graph: the canned-query catalog, safety checks, parameters, running.

A canned query is one ``.rq`` file in queries/ whose header names it, describes it and lists
its parameters. Parameters are bound as RDF terms (``?param_<name>``), never pasted into
the query text. Every query is parsed and its parse tree walked before anything runs: updates
are refused, and so are SERVICE and FROM / FROM NAMED unless the caller allows them.
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import resources
from kg.errors import KgError

DEFAULT_TIMEOUT = 30.0
PARAM_PREFIX = "param_"
HEADER = re.compile(r"^#\s*(name|description|param):\s*(.*?)\s*$")
PARAM = re.compile(r"^([a-z][a-z0-9_]*)(?:=(\S*))?(?:\s+(.*))?$")


class QuerySyntaxError(KgError):
    """The query is not valid SPARQL."""


class QueryRefused(KgError):
    """The query would change data or reach outside the built graph."""


class QueryTimeout(KgError):
    """The query ran longer than allowed."""

    exit_code = 3


@dataclass(frozen=True)
class Parameter:
    """A parameter of a canned query, bound as ``?param_<name>``."""

    name: str
    default: str | None
    description: str


@dataclass(frozen=True)
class CannedQuery:
    """One query of the catalog."""

    name: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path


@dataclass
class QueryResult:
    """What a query returned, in rdflib terms whatever engine ran it."""

    kind: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Any = None  # an rdflib Graph for CONSTRUCT and DESCRIBE


def catalog(folder: Path | None = None) -> dict[str, CannedQuery]:
    """The canned queries, by name, in name order."""
    folder = folder or resources.queries_dir()
    queries = [read_canned(path) for path in sorted(folder.glob("*.rq"))]
    return {q.name: q for q in sorted(queries, key=lambda q: q.name)}


def read_canned(path: Path) -> CannedQuery:
    """Read a ``.rq`` file and its header comments."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    parameters = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            spec = PARAM.match(value)
            if not spec:
                raise KgError(
                    f"malformed parameter line: {value!r}",
                    file=path,
                    line=number,
                    hint="write '# param: name[=default] description'",
                )
            name, default, description = spec.groups()
            parameters.append(Parameter(name, default or None, description or ""))
        else:
            fields[key] = value
    if "name" not in fields:
        raise KgError(
            "query file has no '# name:' header",
            file=path,
            line=1,
            hint="start the file with '# name: ...' and '# description: ...'",
        )
    return CannedQuery(fields["name"], fields.get("description", ""), tuple(parameters), text, path)


def bind_parameters(query: CannedQuery, given: dict[str, str]) -> dict[str, Any]:
    """Parameter values as RDF literals keyed by their query variable; defaults filled in."""
    from rdflib import Literal

    known = {p.name: p for p in query.parameters}
    for name in given:
        if name not in known:
            names = ", ".join(known) or "none"
            raise KgError(
                f"query '{query.name}' has no parameter '{name}'", hint=f"its parameters: {names}"
            )
    bindings = {}
    for name, parameter in known.items():
        value = given.get(name, parameter.default)
        if value is not None and value != "":
            bindings[PARAM_PREFIX + name] = Literal(value)
    return bindings


def parse_query(text: str, allow_external: bool = False) -> Any:
    """Parse and check a query; return rdflib's translated query, ready to evaluate.

    Refuses SPARQL Update, and SERVICE, FROM and FROM NAMED unless ``allow_external``.
    The decision walks the parse tree, so comments and spacing cannot hide anything.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        if _is_update(text, parseUpdate):
            raise QueryRefused(
                "SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, ...) is refused: kg only reads",
                hint="to change the graph, change seeds/ and run 'kg build'",
            ) from None
        raise QuerySyntaxError(
            f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}",
            detail=_pointer(text, exc.lineno, exc.col),
            hint="check the braces, the dots between triple patterns and the PREFIX lines",
        ) from None
    except RecursionError:
        raise QueryRefused(
            "the query is nested too deeply to parse", hint="flatten the nested groups"
        ) from None
    if not allow_external:
        for what in _external_parts(parsed):
            raise QueryRefused(
                f"the query uses {what}, which reaches outside the built graph",
                hint="kg answers from build/kg.ttl only; pass --allow-external to let the "
                "query reach other graphs or services",
            )
    try:
        return translateQuery(parsed)
    except RecursionError:
        raise QueryRefused(
            "the query is nested too deeply", hint="flatten the nested groups"
        ) from None
    except Exception as exc:  # rdflib reports semantic errors (unbound GROUP BY...) this way
        raise QuerySyntaxError(
            f"invalid query: {exc}", hint="check the SELECT and GROUP BY variables"
        ) from None


def _is_update(text: str, parse_update: Any) -> bool:
    try:
        parse_update(text)
    except Exception:  # not an update either: the caller reports the query's own error
        return False
    return True


def _pointer(text: str, line: int, col: int) -> str:
    lines = text.splitlines() or [""]
    shown = lines[min(max(line, 1), len(lines)) - 1]
    return f"  {shown}\n  {' ' * max(col - 1, 0)}^"


def _external_parts(node: Any, depth: int = 0) -> Iterator[str]:
    """SERVICE and FROM / FROM NAMED clauses anywhere in rdflib's parse tree."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if depth > 2000:
        raise QueryRefused("the query is nested too deeply", hint="flatten the nested groups")
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            yield "SERVICE"
        elif node.name == "DatasetClause":
            yield "FROM NAMED" if "named" in node else "FROM"
        children = list(node.values())
    elif isinstance(node, ParseResults | list | tuple):
        children = list(node)
    elif isinstance(node, dict):
        children = list(node.values())
    else:
        return
    for child in children:
        yield from _external_parts(child, depth + 1)


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Stop the enclosed work after ``seconds`` with QueryTimeout (main thread only)."""
    usable = seconds and seconds > 0 and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise QueryTimeout(
            f"the query ran longer than {seconds:g} seconds and was stopped",
            hint="narrow the query (a cartesian product over the whole graph is slow), "
            "or raise --timeout",
        )

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def query_kind(prepared: Any) -> str:
    return {
        "SelectQuery": "SELECT",
        "AskQuery": "ASK",
        "ConstructQuery": "CONSTRUCT",
        "DescribeQuery": "DESCRIBE",
    }[prepared.algebra.name]


def run(
    engine: Any,
    text: str,
    bindings: dict[str, Any] | None = None,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    allow_external: bool = False,
) -> QueryResult:
    """Check, then run a query on an engine (see kg.store.GraphEngine), within a time limit."""
    prepared = parse_query(text, allow_external)
    with time_limit(timeout):
        try:
            return engine.run(prepared, query_kind(prepared), bindings or {}, allow_external)
        except RecursionError:
            raise QueryRefused(
                "the query is nested too deeply to evaluate", hint="flatten the nested groups"
            ) from None


def run_canned(
    engine: Any,
    name: str,
    given: dict[str, str] | None = None,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> QueryResult:
    """Run a query of the catalog by name, with parameters given as text."""
    queries = catalog()
    if name not in queries:
        import difflib

        close = difflib.get_close_matches(name, list(queries), n=1)
        raise KgError(
            f"no canned query named '{name}'",
            hint=f"did you mean '{close[0]}'?" if close else "'kg queries' lists them",
        )
    query = queries[name]
    return run(engine, query.text, bind_parameters(query, given or {}), timeout=timeout)
