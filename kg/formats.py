"""Writers for query results and graphs, one small function per format, looked up by name.

``json``, ``csv`` and ``tsv`` are the W3C SPARQL 1.1 result formats, so other tools read them
unchanged; ``table`` and ``markdown`` are for people: labels instead of IRIs where the query
gives a label column beside an entity column.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from typing import Any

from rdflib import XSD, BNode, Literal, URIRef

from kg.queries import QueryResult
from kg.vocab import DATA_IRI, new_graph

LABEL_SUFFIX = "Label"
_NAMES = new_graph()


def _plain(term: Any) -> str:
    """A term as the W3C CSV format writes it: IRIs and literals as bare text."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _n3(term: Any) -> str:
    """A term as the W3C TSV format writes it: N-Triples / Turtle syntax."""
    if term is None:
        return ""
    return term.n3()


def _short(term: Any) -> str:
    """A term for people: prefixed IRIs, literal text without quotes or datatypes."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        if term.startswith(DATA_IRI):  # kg's own ids read best as their path: fact/003_.../x
            return term[len(DATA_IRI) :]
        return _NAMES.namespace_manager.normalizeUri(term)
    return " ".join(str(term).split())


def write_csv(result: QueryResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_plain(term) for term in row])
    return out.getvalue()


# Turtle's short forms (grammar rules INTEGER, DECIMAL, DOUBLE, BooleanLiteral): a literal of
# one of these datatypes whose lexical form matches the rule is written bare, as Jena and
# Oxigraph write TSV and as pandas reads it; it parses back as the very same literal.
_TURTLE_SHORT = {
    XSD.integer: re.compile(r"[+-]?[0-9]+"),
    XSD.decimal: re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD.double: re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+"),
    XSD.boolean: re.compile(r"true|false"),
}
_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_term(term: Any) -> str:
    """A term as the W3C TSV format writes it: numbers and booleans in Turtle's short form,
    anything else in N-Triples form, escaped so that no cell holds a tab or a line break."""
    if not isinstance(term, Literal):
        return _n3(term)
    lexical = str(term)
    pattern = _TURTLE_SHORT.get(term.datatype) if term.datatype else None
    if pattern is not None and pattern.fullmatch(lexical):
        return lexical
    quoted = '"' + lexical.translate(_NT_ESCAPES) + '"'
    if term.language:
        return f"{quoted}@{term.language}"
    if term.datatype:
        return f"{quoted}^^<{term.datatype}>"
    return quoted


def write_tsv(result: QueryResult) -> str:
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_term(term) for term in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    value: dict[str, str] = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal):
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype:
            value["datatype"] = str(term.datatype)
    return value


def write_json(result: QueryResult) -> str:
    if result.kind == "ASK":
        document: dict[str, Any] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {
                var: _json_term(term)
                for var, term in zip(result.variables, row, strict=True)
                if term is not None
            }
            for row in result.rows
        ]
        document = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _for_people(result: QueryResult) -> tuple[list[str], list[list[str]]]:
    """Columns for reading: an entity column is dropped when its label column stands beside it."""
    keep = [
        i for i, var in enumerate(result.variables) if var + LABEL_SUFFIX not in result.variables
    ]
    headers = [result.variables[i] for i in keep]
    rows = [[_short(row[i]) for i in keep] for row in result.rows]
    return headers, rows


def _fit(widths: list[int], total: int) -> list[int]:
    """Shrink the widest columns until the table fits ``total`` characters."""
    widths = list(widths)
    gaps = 2 * (len(widths) - 1)
    while sum(widths) + gaps > total and max(widths) > 8:
        widest = widths.index(max(widths))
        widths[widest] -= 1
    return widths


def write_table(result: QueryResult, width: int | None = None) -> str:
    """Aligned columns; cells cut with '…' to fit ``width`` characters when one is given."""
    if result.kind == "ASK":
        return ("yes" if result.boolean else "no") + "\n"
    headers, rows = _for_people(result)
    if not rows:
        return "No results.\n"
    natural = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    widths = _fit(natural, width) if width else natural

    def cell(text: str, size: int) -> str:
        return text if len(text) <= size else text[: size - 1] + "…"

    def line(cells: list[str]) -> str:
        return "  ".join(cell(c, w).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(headers), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    return "\n".join(out) + "\n"


def write_markdown(result: QueryResult) -> str:
    if result.kind == "ASK":
        return ("yes" if result.boolean else "no") + "\n"
    headers, rows = _for_people(result)
    if not rows:
        return "No results.\n"

    def escape(text: str) -> str:
        return text.replace("|", "\\|")

    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(escape(c) for c in r) + " |" for r in rows]
    return "\n".join(out) + "\n"


RESULT_FORMATS: dict[str, Callable[[QueryResult], str]] = {
    "table": write_table,
    "csv": write_csv,
    "tsv": write_tsv,
    "json": write_json,
    "markdown": write_markdown,
}

# graph export: our name -> rdflib serializer name
GRAPH_FORMATS = {
    "turtle": "longturtle",
    "nt": "nt",
    "jsonld": "json-ld",
    "xml": "xml",
    "trig": "trig",
}


def write_graph(graph: Any, fmt: str) -> bytes:
    """Serialize a graph with kg's prefixes; JSON-LD gets an inline context, never a URL."""
    from rdflib import Dataset

    named = new_graph()
    named += graph
    if fmt == "jsonld":
        context = {prefix: str(ns) for prefix, ns in named.namespaces() if prefix}
        text = named.serialize(format="json-ld", context=context, auto_compact=True)
    elif fmt == "trig":
        dataset = Dataset()
        for prefix, ns in named.namespaces():
            dataset.bind(prefix, ns, override=True, replace=True)
        default = getattr(dataset, "default_graph", None)  # rdflib >= 7.5
        if default is None:
            default = dataset.default_context
        default += named
        text = dataset.serialize(format="trig")
    else:
        text = named.serialize(format=GRAPH_FORMATS[fmt])
    return text.encode("utf-8") if isinstance(text, str) else text
