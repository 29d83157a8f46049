"""Where queries run: the built graph loaded from disk, and RDF files a user names.

A user's file is read as bytes and parsed from memory, so no parser resolves a relative
base, follows a DOCTYPE, or fetches a remote JSON-LD context. Queries run through an engine
with one method, ``run``; today that is rdflib over the built graph, and an embedded or
remote SPARQL store can take its place without the callers changing.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import pickle
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rdflib import Graph

from kg.errors import KgError, RdfInputError
from kg.resources import read_regular_file
from kg.vocab import new_graph

FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
    ".jsonld": "json-ld",
    ".json": "json-ld",
}
BASE = "urn:kg:local:"
MAX_RDF_BYTES = 200_000_000  # a file kg validate reads; larger ones are refused unread
MAX_JSON_DEPTH = 100  # JSON-LD objects and arrays nested in each other; real files use a few


def read_rdf(path: str | Path) -> Graph:
    """Parse a local RDF file chosen by its extension; refuse URLs, DOCTYPEs, remote contexts,
    anything but a regular file, files over MAX_RDF_BYTES and nesting deeper than the parsers
    can follow."""
    text_path = str(path)
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text_path):
        raise RdfInputError(
            "only local files can be validated, not URLs",
            file=text_path,
            hint="download the file yourself, then pass its path",
        )
    file = Path(path)
    if not file.exists() and not file.is_symlink():
        raise RdfInputError(
            "file not found",
            file=text_path,
            hint="run 'kg build' first, or pass the path of a Turtle file",
        )
    fmt = FORMATS.get(file.suffix.lower())
    if fmt is None:
        raise RdfInputError(
            f"unknown RDF file extension '{file.suffix}'",
            file=text_path,
            hint="use one of " + ", ".join(sorted(FORMATS)),
        )
    data = read_regular_file(
        file, text_path, MAX_RDF_BYTES, RdfInputError, "pass the path of an RDF file"
    )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RdfInputError("file is not valid UTF-8", file=text_path, line=line) from None
    if fmt == "xml" and re.search(r"<!DOCTYPE|<!ENTITY", text, re.IGNORECASE):
        raise RdfInputError(
            "RDF/XML with a DOCTYPE or entity declarations is refused",
            file=text_path,
            line=_line_of(text, re.search(r"<!", text)),
            hint="external entities can read local files or the network; remove the DOCTYPE",
        )
    if fmt == "json-ld":
        _check_json_ld(text, text_path)
    graph = Graph()
    try:
        with _quiet_literal_warnings():
            graph.parse(data=text, format=fmt, publicID=BASE)
    except KgError:
        raise
    except RecursionError:  # a parser's own recursion ran out: brackets nested very deeply
        raise _too_deep(text_path, fmt) from None
    except SyntaxError as exc:  # rdflib's Turtle/TriG BadSyntax: its offset is reliable
        position = getattr(exc, "_i", None)
        source = getattr(exc, "_str", b"")
        line = source[:position].count(b"\n") + 1 if isinstance(position, int) else None
        why = getattr(exc, "_why", None) or _first_line(exc)
        raise _parse_error(fmt, text_path, why, line) from None
    except Exception as exc:  # parsers raise many types; all mean "not this format"
        line = _exception_line(exc) or _line_of_snippet(text, str(exc))
        raise _parse_error(fmt, text_path, _first_line(exc), line) from None
    return graph


class _LiteralWarnings(logging.Filter):
    """Drops rdflib's warning (with a traceback) for a literal that does not match its
    datatype: the validation report names that literal instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form")


@contextmanager
def _quiet_literal_warnings() -> Iterator[None]:
    logger = logging.getLogger("rdflib.term")
    quiet = _LiteralWarnings()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


def _too_deep(display: str, fmt: str) -> RdfInputError:
    if fmt == "json-ld":
        return RdfInputError(
            f"JSON-LD nested too deeply (more than {MAX_JSON_DEPTH} levels of objects and arrays)",
            file=display,
            hint="give nested nodes an @id and refer to them from a flat @graph instead",
        )
    return RdfInputError(
        f"{fmt} nested too deeply for the parser",
        file=display,
        hint="give nested blank nodes and lists IRIs and refer to them instead of nesting them",
    )


def _check_json_ld(text: str, display: str) -> None:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RdfInputError(f"not valid JSON: {exc.msg}", file=display, line=exc.lineno) from None
    except RecursionError:
        raise _too_deep(display, "json-ld") from None
    if _remote_context(document, display):
        raise RdfInputError(
            "JSON-LD with a remote @context is refused",
            file=display,
            hint="inline the context in the file; kg never fetches documents",
        )


def _remote_context(document: Any, display: str) -> bool:
    """Whether any @context or @import names a document; walked with a stack, not recursion,
    and refused deeper than MAX_JSON_DEPTH, which rdflib's recursive parser could not follow."""
    stack = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list) and depth > MAX_JSON_DEPTH:
            raise _too_deep(display, "json-ld")
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import") and _names_document(value):
                    return True
                stack.append((value, depth + 1))
        elif isinstance(node, list):
            stack.extend((item, depth + 1) for item in node)
    return False


def _names_document(value: Any) -> bool:
    """Whether a @context value names a document: a string, or an @import, in any list."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str) or (isinstance(item, dict) and "@import" in item):
            return True
        if isinstance(item, list):
            stack.extend(item)
    return False


def _line_of(text: str, match: re.Match[str] | None) -> int | None:
    return text.count("\n", 0, match.start()) + 1 if match else None


def _parse_error(fmt: str, file: str, why: str, line: int | None) -> RdfInputError:
    return RdfInputError(
        f"not valid {fmt}: {why}",
        file=file,
        line=line,
        hint=f"the file is parsed as {fmt} because of its extension",
    )


def _line_of_snippet(text: str, message: str) -> int | None:
    """N-Triples errors quote the bad line ("Invalid line: ..."): find it in the text."""
    match = re.search(r"Invalid line: (.+)", message)
    if match:
        snippet = match.group(1).strip()[:40]
        for number, line in enumerate(text.splitlines(), start=1):
            if snippet and line.strip().startswith(snippet):
                return number
    return None


def _exception_line(exc: Exception) -> int | None:
    for attr in ("getLineNumber", "lineno", "line"):
        value = getattr(exc, attr, None)
        if callable(value):
            value = value()
        if isinstance(value, int):
            return value
    return None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return " ".join(text[:3])[:300] if text else type(exc).__name__


class _TermUnpickler(pickle.Unpickler):
    """Loads kg's triple cache and nothing else: only rdflib's IRI and literal classes."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "rdflib.term" and name in ("URIRef", "Literal"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in kg's cache")


def read_manifest(build_dir: str | Path) -> dict[str, Any]:
    """build/manifest.json: the digests of the input a build read and of the kg.ttl it wrote."""
    from kg.resources import MANIFEST_FILE

    path = Path(build_dir) / MANIFEST_FILE
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise KgError(f"no {path}", hint="run 'kg build' first") from None
    except (OSError, ValueError):  # unreadable, not UTF-8, not JSON
        manifest = None
    if not isinstance(manifest, dict) or not all(
        isinstance(manifest.get(key), str) for key in ("input_digest", "graph_sha256")
    ):
        raise KgError(f"{path} is damaged", hint="run 'kg build' to write build/ again")
    return manifest


def _graph_mismatch(build_dir: str | Path, data: bytes, manifest: dict[str, Any]) -> str | None:
    from kg.resources import GRAPH_FILE, MANIFEST_FILE

    if hashlib.sha256(data).hexdigest() == manifest["graph_sha256"]:
        return None
    folder = Path(build_dir)
    return (
        f"{folder / GRAPH_FILE} does not belong to {folder / MANIFEST_FILE} "
        "(a build was interrupted, or the file was changed by hand)"
    )


def load_built(build_dir: str | Path = "build") -> Graph:
    """The graph that ``kg build`` wrote, checked against its manifest; from the triple cache
    when that matches kg.ttl."""
    from kg.resources import CACHE_FILE, GRAPH_FILE

    path = Path(build_dir) / GRAPH_FILE
    if not path.is_file():
        raise KgError(f"no built graph at {path}", hint="run 'kg build' first")
    data = path.read_bytes()
    mismatch = _graph_mismatch(build_dir, data, read_manifest(build_dir))
    if mismatch:
        raise KgError(mismatch, hint="run 'kg build' to write build/ again")
    cache = Path(build_dir) / CACHE_FILE
    if cache.is_file():
        try:
            digest, triples = _TermUnpickler(io.BytesIO(cache.read_bytes())).load()
        except Exception:  # damaged, foreign or from another rdflib: use the Turtle
            digest, triples = None, None
        if digest == hashlib.sha256(data).hexdigest() and isinstance(triples, list):
            graph = new_graph()
            graph.addN((s, p, o, graph) for s, p, o in triples)
            return graph
    graph = new_graph()
    return graph.parse(data=data.decode("utf-8"), format="turtle")


def open_graph(
    build_dir: str | Path = "build", seeds_dir: str | Path | None = "seeds", on_rebuild: Any = None
) -> Graph:
    """The built graph, rebuilt first when seeds/ changed since the build or build/ is torn
    (never stale, never a graph from another input)."""
    if seeds_dir is not None and Path(seeds_dir).is_dir():
        reason = stale_reason(build_dir, seeds_dir)
        if reason:
            from kg.pipeline import build

            if on_rebuild:
                on_rebuild(f"{reason}: rebuilding {build_dir}/ first")
            return build(seeds_dir, build_dir).graph
    return load_built(build_dir)


class GraphEngine:
    """Runs checked queries with rdflib over an in-memory graph."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def run(self, prepared: Any, kind: str, bindings: dict[str, Any], allow_external: bool) -> Any:
        from kg.queries import QueryResult

        target = _as_dataset(self.graph) if _has_graph_patterns(prepared.algebra) else self.graph
        with offline(not allow_external):
            try:
                result = target.query(prepared, initBindings=bindings)
                # rdflib evaluates lazily: read the answer here, where its errors are caught
                if kind == "SELECT":
                    variables = [str(v) for v in result.vars or []]
                    return QueryResult(kind, variables, [tuple(row) for row in result])
                if kind == "ASK":
                    return QueryResult(kind, boolean=bool(result.askAnswer))
                return QueryResult(kind, graph=result.graph)
            except (KgError, RecursionError):
                raise
            except Exception as exc:  # rdflib's evaluation errors have no common base class
                raise KgError(
                    f"the query could not be evaluated: {_first_line(exc)}",
                    hint="simplify the query; unbound variables in aggregates are a common cause",
                ) from None


def _has_graph_patterns(node: Any, depth: int = 0) -> bool:
    """Whether a query uses GRAPH { ... }, which rdflib evaluates only over a dataset."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if depth > 2000:
        return False
    if isinstance(node, CompValue):
        return node.name == "Graph" or any(_has_graph_patterns(v, depth + 1) for v in node.values())
    if isinstance(node, list | tuple):
        return any(_has_graph_patterns(v, depth + 1) for v in node)
    return False


def _as_dataset(graph: Graph) -> Any:
    """The graph as the default graph of a dataset with no named graphs: GRAPH patterns then
    match nothing, as in any SPARQL store holding kg's graph."""
    from rdflib import Dataset

    dataset = Dataset()
    dataset.default_graph += graph
    return dataset


_BLOCKING = threading.local()
_NETWORK_EVENTS = {
    "socket.connect",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "urllib.Request",
    "http.client.connect",
}


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event in _NETWORK_EVENTS and getattr(_BLOCKING, "on", False):
        raise KgError(
            f"kg refused a network access during a query ({event})",
            hint="queries answer from the built graph only",
        )


@contextmanager
def offline(active: bool = True) -> Iterator[None]:
    """Refuse any network access from this thread while the block runs (a runtime backstop
    behind the parse-tree check of queries)."""
    if not getattr(_audit, "installed", False):
        sys.addaudithook(_audit)
        _audit.installed = True  # type: ignore[attr-defined]
    previous = getattr(_BLOCKING, "on", False)
    _BLOCKING.on = active or previous
    try:
        yield
    finally:
        _BLOCKING.on = previous


def stale_reason(build_dir: str | Path, seeds_dir: str | Path) -> str | None:
    """Why build_dir cannot answer for seeds_dir as it is now, or None when it can."""
    from kg.resources import GRAPH_FILE
    from kg.seeds import read_seeds

    try:
        manifest = read_manifest(build_dir)
    except KgError as error:
        return error.message
    if manifest["input_digest"] != read_seeds(seeds_dir).digest():
        return f"{seeds_dir}/ changed since the last build"
    try:
        data = (Path(build_dir) / GRAPH_FILE).read_bytes()
    except OSError:
        return f"no built graph in {build_dir}/"
    return _graph_mismatch(build_dir, data, manifest)


def is_stale(build_dir: str | Path, seeds_dir: str | Path) -> bool:
    """True when seeds/ (or the ontology) changed since the graph in build_dir was built, or
    build_dir's graph and manifest do not belong together."""
    return stale_reason(build_dir, seeds_dir) is not None
