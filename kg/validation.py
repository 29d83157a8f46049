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
    _, report_graph, _ = pyshacl.validate(
        combined,
        shacl_graph=shapes_graph(),
        inference="none",
        allow_infos=True,
        allow_warnings=True,
    )
    findings = set()
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
    return Report(sorted(findings), report_graph)


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
