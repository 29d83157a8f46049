"""Validate graphs against the SHACL shapes; findings come back as data, traced to annotation lines.

pyshacl is handed rdflib graphs only, never paths or URLs, so it loads nothing by itself.
The ontology is added to the data as context: it types the concepts (kinds of assistance,
qualifiers) that sh:class constraints refer to.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg import resources
from kg.errors import KgError
from kg.vocab import KG, new_graph

# Not a shape in shapes.ttl: the check, made before SHACL, that every literal's text is of its
# datatype (rdflib's Literal.ill_typed).
WELL_TYPED_LITERALS = "https://w3id.org/counterpart-kg/shapes#WellTypedLiterals"


@dataclass(frozen=True, order=True)
class Finding:
    """One SHACL result: which node broke which rule, and where the node was annotated.

    Nodes are kept as full IRIs (literals in N-Triples form); ``render`` shortens them.
    """

    source_line: str  # annotation file:line, or "" when the node has none
    focus: str
    path: str
    message: str
    shape: str
    severity: str
    value: str

    def render(self) -> str:
        where = self.source_line or "(no annotation line)"
        lines = [f"{where}: {self.severity}: {self.message}", f"  node: {_short(self.focus)}"]
        if self.path:
            lines.append(f"  property: {_short(self.path)}")
        if self.value:
            lines.append(f"  value: {_short(self.value)}")
        lines.append(f"  rule: {_short(self.shape)}")
        return "\n".join(lines)


@dataclass
class Report:
    """The outcome of validating one graph."""

    findings: list[Finding]
    report_graph: Graph

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def text(self) -> str:
        if not self.findings:
            return "Conforms: no SHACL violations.\n"
        body = "\n\n".join(f.render() for f in self.findings)
        head = f"{len(self.violations)} SHACL violation(s), {len(self.findings)} result(s)"
        return f"{head}:\n\n{body}\n"


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return Graph().parse(resources.shapes_file(), format="turtle")


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    return Graph().parse(resources.ontology_file(), format="turtle")


def validate(data: Graph, context: Graph | None = None) -> Report:
    """Validate ``data`` (with ``context`` and the ontology added) against kg's shapes.

    Results whose focus node appears only in the context are dropped, so a per-article
    validation reports the article's own nodes, not the registry's again.
    """
    import pyshacl

    combined = new_graph()
    for graph in (data, context, ontology_graph()):
        if graph is not None:
            combined += graph
    own_nodes = set(data.subjects()) | set(data.objects())
    # a literal that is not of its datatype is reported as such, before SHACL's results, which
    # only say which constraint its value failed
    findings = {
        _ill_typed_finding(combined, subject, predicate, value)
        for subject, predicate, value in data
        if isinstance(value, Literal) and getattr(value, "ill_typed", False) is True
    }
    _, report_graph, _ = pyshacl.validate(
        combined,
        shacl_graph=shapes_graph(),
        inference="none",
        allow_infos=True,
        allow_warnings=True,
    )
    for result in report_graph.subjects(RDF.type, SH.ValidationResult):
        focus = report_graph.value(result, SH.focusNode)
        if context is not None and focus not in own_nodes:
            continue
        findings.add(
            Finding(
                source_line=_source_line(combined, focus),
                focus=_show(focus),
                path=_show(report_graph.value(result, SH.resultPath)),
                message=str(report_graph.value(result, SH.resultMessage) or ""),
                shape=_show(report_graph.value(result, SH.sourceShape)),
                severity=_show(report_graph.value(result, SH.resultSeverity)).rsplit("#")[-1],
                value=_show(report_graph.value(result, SH.value)),
            )
        )
    # by annotation line and node; for one node and property, an ill-typed literal comes first
    return Report(sorted(findings, key=_order), report_graph)


def _order(finding: Finding) -> tuple[str, str, str, bool, Finding]:
    return (
        finding.source_line,
        finding.focus,
        finding.path,
        finding.shape != WELL_TYPED_LITERALS,
        finding,
    )


def _ill_typed_finding(graph: Graph, subject: Node, predicate: Node, value: Literal) -> Finding:
    """A literal whose text is not of its datatype ("notadate"^^xsd:date): the real problem,
    which SHACL would only report as a failed datatype or sh:or constraint."""
    lexical = str(value)
    shown = lexical if len(lexical) <= 60 else lexical[:57] + "..."
    return Finding(
        source_line=_source_line(graph, subject),
        focus=_show(subject),
        path=_show(predicate),
        message=f"{shown!r} is not a valid {_short(str(value.datatype))}",
        shape=WELL_TYPED_LITERALS,
        severity="Violation",
        value=_show(value),
    )


def check_shapes() -> None:
    """Validate the shapes themselves against the SHACL-for-SHACL shapes (meta-SHACL)."""
    import pyshacl
    from pyshacl.errors import ReportableRuntimeError

    try:
        pyshacl.validate(Graph(), shacl_graph=shapes_graph(), meta_shacl=True, inference="none")
    except ReportableRuntimeError as exc:
        raise KgError(
            f"the SHACL shapes are invalid: {exc}", file=str(resources.shapes_file())
        ) from None


def _show(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return str(node)
    if isinstance(node, Literal):
        return node.n3()
    return "(blank node)"


_NAMES = new_graph()
_NAMES.bind("kgsh", "https://w3id.org/counterpart-kg/shapes#")


def _short(text: str) -> str:
    """An IRI as a prefixed name where kg knows the prefix; anything else unchanged."""
    if text.startswith(("http://", "https://")):
        return _NAMES.namespace_manager.normalizeUri(URIRef(text))
    return text


def _source_line(graph: Graph, node: Node | None, depth: int = 0) -> str:
    """The annotation line a node came from: its own, or that of the node that points to it."""
    if node is None or depth > 3:
        return ""
    line = graph.value(node, KG.sourceLine)
    if line is not None:
        return str(line)
    for parent in sorted(graph.subjects(None, node), key=str):
        found = _source_line(graph, parent, depth + 1)
        if found:
            return found
    return ""
