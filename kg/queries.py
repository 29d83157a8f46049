"""SPARQL over the built graph: the canned-query catalog, safety checks, parameters, running.

A canned query is one ``.rq`` file in queries/ whose header names it, describes it and lists
its parameters. Parameters are bound as RDF terms (``?param_<name>``), never pasted into
the query text. Every query is parsed and its parse tree walked before anything runs: updates
are refused, and so are SERVICE and FROM / FROM NAMED unless the caller allows them.
"""

from __future__ import annotations

import math
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import resources
from kg.errors import KgError, decode_utf8
from kg.names import did_you_mean
from kg.parameters import NAME_KINDS, OTHER_KINDS, Parameter, bind, check_kind

DEFAULT_TIMEOUT = 30.0
MAX_TIMEOUT = 1e8  # seconds (three years); longer limits mean no limit, as 0 and inf do
HEADER = re.compile(r"^#\s*(name|description|param):\s*(.*?)\s*$")
# '# param: name[=default] {kind} description'
PARAM = re.compile(r"^([a-z][a-z0-9_]*)(?:=(\S*))?(?:\s+\{([a-z|-]+)\})?(?:\s+(.*))?$")


class QuerySyntaxError(KgError):
    """The query is not valid SPARQL."""


class QueryRefused(KgError):
    """The query would change data or reach outside the built graph."""


class QueryTimeout(KgError):
    """The query ran longer than allowed."""

    exit_code = 3


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
    notes: list[str] = field(default_factory=list)  # what the parameters matched


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
            if not spec or not check_kind(spec.group(3) or "text"):
                raise KgError(
                    f"malformed parameter line: {value!r}",
                    file=path,
                    line=number,
                    hint="write '# param: name[=default] {kind} description'; kinds: "
                    + ", ".join([*NAME_KINDS, *OTHER_KINDS]),
                )
            name, default, kind, description = spec.groups()
            parameters.append(Parameter(name, default or None, kind or "text", description or ""))
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


def canned(name: str) -> CannedQuery:
    """A query of the catalog by name, or an error naming the closest."""
    queries = catalog()
    if name not in queries:
        raise KgError(
            f"no canned query named '{name}'",
            hint=did_you_mean(name, queries, "'kg queries' lists them"),
        )
    return queries[name]


def check_parameters(query: CannedQuery, given: dict[str, str]) -> None:
    """Refuse parameters the query does not have."""
    known = [p.name for p in query.parameters]
    for name in given:
        if name not in known:
            raise KgError(
                f"query '{query.name}' has no parameter '{name}'",
                hint=f"its parameters: {', '.join(known) or 'none'} "
                f"('kg queries {query.name}' describes them)",
            )


def read_query(data: bytes, source: str) -> str:
    """A query's text from the bytes of a file or stdin, which must be UTF-8 (SPARQL's own
    encoding): a wrong byte is an error with its line, never a query that matches nothing."""
    return decode_utf8(data, source, QuerySyntaxError)


def parse_query(text: str, allow_external: bool = False) -> Any:
    """Parse and check a query; return rdflib's translated query, ready to evaluate.

    Refuses SPARQL Update, and SERVICE, FROM and FROM NAMED unless ``allow_external``.
    The decision walks the parse tree, so comments and spacing cannot hide anything.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if not re.sub(r"#[^\n]*", "", text).strip():
        raise QuerySyntaxError(
            "the query is empty", hint="write a SELECT, ASK, CONSTRUCT or DESCRIBE query"
        )
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
        prepared = translateQuery(parsed, initNs=prefixes())
    except RecursionError:
        raise QueryRefused(
            "the query is nested too deeply", hint="flatten the nested groups"
        ) from None
    except Exception as exc:  # rdflib reports semantic errors (unbound GROUP BY...) this way
        message = str(exc)
        if "Unknown namespace prefix" in message:
            prefix = message.rsplit(":", 1)[-1].strip()
            raise QuerySyntaxError(
                f"unknown prefix '{prefix}:'",
                hint="declare it (PREFIX "
                + prefix
                + ": <...>) or use one kg predeclares: "
                + ", ".join(sorted(prefixes())),
            ) from None
        raise QuerySyntaxError(
            f"invalid query: {exc}", hint="check the SELECT and GROUP BY variables"
        ) from None
    _fill_construct_where_template(prepared.algebra)
    return prepared


def prefixes() -> dict[str, str]:
    """The prefixes every query may use without declaring them: those the built graph uses."""
    from kg.vocab import new_graph

    return {prefix: str(ns) for prefix, ns in new_graph().namespaces() if prefix}


def _fill_construct_where_template(algebra: Any) -> None:
    """CONSTRUCT WHERE { pattern } uses its pattern as the template. rdflib finds it only
    when no LIMIT, OFFSET or ORDER BY wraps the pattern, so find it here."""
    if algebra.name != "ConstructQuery" or algebra.template:
        return
    node = algebra.p
    while node is not None and node.name != "BGP":
        node = node.get("p") if "p" in node else None
    if node is not None:
        algebra["template"] = node.triples


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


def timeout_seconds(value: float | None) -> float | None:
    """A time limit as given (seconds) as the timer takes it: None for no limit (0, inf, or
    longer than MAX_TIMEOUT); a negative or NaN limit is an error, never "no limit"."""
    if value is None:
        return None
    if math.isnan(value) or value < 0:
        raise KgError(
            f"the time limit must be a number of seconds, 0 or more, not {value}",
            hint="0 or inf means no limit",
        )
    return None if value == 0 or value > MAX_TIMEOUT else float(value)


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Stop the enclosed work after ``seconds`` with QueryTimeout (main thread only)."""
    seconds = timeout_seconds(seconds)
    if seconds is None or threading.current_thread() is not threading.main_thread():
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
    """Check, then run a query, all within the time limit.

    ``engine`` is an engine (see kg.store.GraphEngine) or a function that opens one; it is
    called only once the query has passed its checks, so a refused query loads nothing, and a
    rebuild it triggers counts against the limit like the parse and the run.
    """
    with time_limit(timeout):
        prepared = parse_query(text, allow_external)
        engine = engine() if callable(engine) else engine
        return _evaluate(engine, prepared, bindings or {}, allow_external)


def _evaluate(engine: Any, prepared: Any, bindings: dict[str, Any], allow_external: bool) -> Any:
    try:
        return engine.run(prepared, query_kind(prepared), bindings, allow_external)
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
    """Run a query of the catalog by name, with parameters given as text; names are resolved
    against the graph first, and what they matched comes back in ``notes``."""
    query = canned(name)
    given = given or {}
    check_parameters(query, given)
    with time_limit(timeout):
        prepared = parse_query(query.text)
        engine = engine() if callable(engine) else engine
        bound = bind(query.parameters, given, engine)
        result = _evaluate(engine, prepared, bound.bindings, False)
    result.notes = bound.notes
    return result
