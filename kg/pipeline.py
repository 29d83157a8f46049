"""The pipeline as one function: load and check annotations, map, validate, write build/ atomically.

Articles are mapped and validated one at a time against the registry, so a later version can
run them in parallel. Output files are written to temporary files and moved into place only
when the whole build has succeeded: a failed build leaves the previous good graph untouched.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.annotations import Article, Registry, load_article, load_registry
from kg.errors import AnnotationError, ValidationError
from kg.mapping import find_mentions, map_article, map_registry
from kg.resources import (
    CACHE_FILE,
    GRAPH_FILE,
    MANIFEST_FILE,
    REPORT_FILE,
    REPORT_GRAPH_FILE,
    write_files,
)
from kg.seeds import read_seeds
from kg.stats import class_counts
from kg.validation import Finding, Report, ontology_graph, validate
from kg.vocab import new_graph


@dataclass
class BuildResult:
    """What a build produced, for the CLI summary and for library users."""

    graph: Graph
    findings: list[Finding]
    articles: list[Article]
    registry: Registry
    out_dir: Path
    input_digest: str
    unannotated: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # files in seeds/ the build did not read

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    def class_counts(self) -> dict[str, int]:
        """Instances per class, by prefixed class name."""
        return class_counts(self.graph)


def build(seeds_dir: str | Path = "seeds", out_dir: str | Path = "build") -> BuildResult:
    """Build ``out_dir/kg.ttl`` from ``seeds_dir``; raise a KgError on any problem."""
    out = Path(out_dir)
    seeds = read_seeds(seeds_dir)  # every byte the build reads, read once
    registry = load_registry(seeds)
    articles = [load_article(seeds, name, registry) for name in seeds.annotations]
    _check_one_annotation_per_article(articles)
    _check_hidden_labels(registry, articles)

    registry_graph = map_registry(registry)
    reports = [validate(registry_graph)]
    graph = new_graph()
    graph += ontology_graph()
    graph += registry_graph
    for article in articles:
        article_graph = map_article(article, registry)
        reports.append(validate(article_graph, context=registry_graph))
        graph += article_graph
    findings = sorted({f for report in reports for f in report.findings})

    annotated = {a.file for a in articles}
    unannotated = [name for name in seeds.articles if name not in annotated]
    result = BuildResult(
        graph, findings, articles, registry, out, seeds.digest(), unannotated, list(seeds.ignored)
    )
    report_text = Report(findings, Graph()).text()
    report_graph = _merge_reports(reports)
    if result.violations:
        write_files(
            out, {REPORT_FILE: report_text.encode(), REPORT_GRAPH_FILE: serialize(report_graph)}
        )
        raise ValidationError(
            f"the graph has {len(result.violations)} SHACL violation(s); "
            f"the previous {out / GRAPH_FILE} is kept",
            detail="\n\n".join(f.render() for f in result.violations[:10]),
            hint=f"fix the annotation lines shown; the full report is in {out / REPORT_FILE}",
        )
    turtle = serialize(graph)
    manifest = {
        "input_digest": result.input_digest,
        "graph_sha256": hashlib.sha256(turtle).hexdigest(),  # which kg.ttl this manifest is for
        "articles": [a.file for a in articles],
        "triples": len(graph),
        "classes": result.class_counts(),
    }
    write_files(
        out,
        {
            REPORT_FILE: report_text.encode(),
            REPORT_GRAPH_FILE: serialize(report_graph),
            MANIFEST_FILE: (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode(),
            CACHE_FILE: triples_cache(turtle, graph),
            GRAPH_FILE: turtle,  # last: kg.ttl appears only when all else is in place
        },
    )
    return result


def _check_one_annotation_per_article(articles: list[Article]) -> None:
    seen: dict[str, Article] = {}
    for article in articles:
        if article.file in seen:
            raise AnnotationError(
                f"article {article.file} is annotated twice (also in "
                f"{seen[article.file].annotation_file})",
                file=article.annotation_file,
                line=article.origin.line,
                hint="keep one annotation file per article",
            )
        seen[article.file] = article


def _check_hidden_labels(registry: Registry, articles: list[Article]) -> None:
    """A hidden label records a misspelling found in the sources: it must occur in one."""
    for entity in registry.entities.values():
        for label in entity.hidden:
            if not any(find_mentions(a.text, label) for a in articles):
                raise AnnotationError(
                    f"{entity.id}: hidden label {label!r} occurs in no annotated article",
                    file=registry.file,
                    line=entity.origin.line,
                    hint="hidden labels are misspellings copied from an article; use 'alt' for "
                    "other names",
                )


def _merge_reports(reports: list[Report]) -> Graph:
    graph = Graph()
    for report in reports:
        graph += report.report_graph
    return graph


def serialize(graph: Graph) -> bytes:
    """Deterministic Turtle: kg's prefixes declared, subjects and predicates sorted.

    Byte-identical output needs no blank nodes (the mapping mints none) and a sorted
    serializer (rdflib's longturtle).
    """
    out = new_graph()
    out += graph
    return out.serialize(format="longturtle").encode("utf-8")


def triples_cache(turtle: bytes, graph: Graph) -> bytes:
    """kg.ttl's digest and its triples, sorted, pickled: deterministic and quick to load.
    kg.store reads it back with an unpickler that admits only rdflib terms."""
    import pickle

    return pickle.dumps((hashlib.sha256(turtle).hexdigest(), sorted(graph)), protocol=5)
