"""Canned-query parameters: their kinds, their values checked, names resolved to what they name.

A ``.rq`` header declares each parameter with a kind (``# param: provider {organization} ...``).
A name parameter is resolved before the query runs, against the built graph, by one rule:
an exact label (any spelling, any language, case and apostrophes aside) or registry id first;
part of a name only when nothing matches exactly; no match at all is an error with the closest
names. The nodes found are bound to ``?param_<name>`` as one literal of their IRIs separated by
spaces, which the query tests with ``CONTAINS(?param_x, CONCAT(" ", STR(?node), " "))``: a set
bound as a single RDF term, so no text of the user's ever enters the query, and any SPARQL
engine can take the binding. What a name matched is reported back as notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kg.errors import KgError
from kg.names import allowed_values, closest, match
from kg.vocab import DATA_IRI, ORGANIZATION_KINDS


class ParameterError(KgError):
    """A parameter value that names nothing, or is not of its kind."""


# kind -> (what the user may write, graph pattern binding ?node and each of its ?name)
NAME_KINDS: dict[str, tuple[str, str]] = {
    "organization": (
        "an institution: any of its names or its registry id",
        "?node a org:Organization ; skos:prefLabel|skos:altLabel|skos:hiddenLabel ?name .",
    ),
    "place": (
        "a place: any of its names or its registry id",
        "?node a schema:Place ; skos:prefLabel|skos:altLabel|skos:hiddenLabel ?name .",
    ),
    "person": (
        "a person: any rendering of the name, Chinese included, or the registry id",
        "?node a schema:Person ; skos:prefLabel|skos:altLabel|skos:hiddenLabel ?name .",
    ),
    "entity": (
        "an institution, place, person or post: any of its names or its registry id",
        "?node skos:prefLabel|skos:altLabel|skos:hiddenLabel ?name . "
        f'FILTER(STRSTARTS(STR(?node), "{DATA_IRI}"))',
    ),
    "event": (
        "an event: its name or its fact id",
        "?node a kg:Event ; schema:name|rdfs:label ?name .",
    ),
    "fact": (
        "a fact (relationship, agreement, event...): its label or its fact id",
        "?node a kg:Fact ; rdfs:label ?name .",
    ),
    "institution-kind": (
        "a kind of institution",
        "VALUES ?node { "
        + " ".join(f"<{cls}>" for cls in ORGANIZATION_KINDS.values())
        + " } ?node rdfs:label ?name .",
    ),
}
PARAM_PREFIX = "param_"  # a parameter 'provider' is bound as ?param_provider
DATE_PATTERN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
OTHER_KINDS = {
    "date": "a date: YYYY, YYYY-MM or YYYY-MM-DD",
    "text": "any text",
}


@dataclass(frozen=True)
class Parameter:
    """A parameter of a canned query, bound as ``?param_<name>``."""

    name: str
    default: str | None
    kind: str  # 'text', 'date', or name kinds joined by '|', e.g. 'organization|place'
    description: str

    def kinds(self) -> list[str]:
        return self.kind.split("|")

    def values_help(self) -> str:
        """What a value looks like, for help texts."""
        parts = [NAME_KINDS[k][0] if k in NAME_KINDS else OTHER_KINDS[k] for k in self.kinds()]
        text = "; or ".join(parts)
        if "institution-kind" in self.kinds():
            text += " (" + ", ".join(sorted(ORGANIZATION_KINDS)) + ")"
        if any(k in NAME_KINDS for k in self.kinds()):
            text += ". An exact name wins; otherwise part of a name"
        return text


def check_kind(kind: str) -> bool:
    return all(k in NAME_KINDS or k in OTHER_KINDS for k in kind.split("|"))


@dataclass
class Bound:
    """The bindings for a query, and notes on what each name matched."""

    bindings: dict[str, Any]
    notes: list[str]


def bind(parameters: tuple[Parameter, ...], given: dict[str, str], engine: Any) -> Bound:
    """Check and resolve the given values (defaults filled in) into query bindings."""
    from rdflib import Literal

    bindings: dict[str, Any] = {}
    notes: list[str] = []
    for parameter in parameters:
        value = given.get(parameter.name, parameter.default)
        if value is None or not value.strip():
            continue
        if parameter.kind == "date":
            value = _check_date(parameter, value)
        elif parameter.kind != "text":
            nodes, note = resolve(parameter, value, engine)
            value = " " + " ".join(nodes) + " "
            notes += [note] if note else []
        bindings[PARAM_PREFIX + parameter.name] = Literal(value)
    return Bound(bindings, notes)


def _check_date(parameter: Parameter, value: str) -> str:
    import datetime

    text = value.strip()
    match = DATE_PATTERN.fullmatch(text)
    try:
        year, month, day = (int(x) if x else 1 for x in match.groups()) if match else (0, 0, 0)
        datetime.date(year, month, day)  # refuses month 13 and 30 February
    except ValueError:
        raise ParameterError(
            f"{parameter.name}={value!r} is not a date",
            hint="write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2019, 2019-06 or 2019-06-30",
        ) from None
    return text


@dataclass
class Candidate:
    """A node a name may mean: how it is shown, and every name and id it answers to."""

    label: str
    names: set[str]


def candidates(kinds: list[str], engine: Any) -> dict[str, Candidate]:
    """Every node of the given kinds with all its names and ids, read from the graph (the
    query's prefixes are those every query may use, see kg.queries.prefixes)."""
    patterns = " UNION ".join("{ " + NAME_KINDS[k][1] + " }" for k in kinds)
    query = (
        f"SELECT DISTINCT ?node ?name ?shown WHERE {{ {{ {patterns} }} "
        "OPTIONAL { ?node skos:prefLabel|schema:name|rdfs:label ?shown . "
        'FILTER(lang(?shown) = "en") } }'
    )
    found: dict[str, Candidate] = {}
    for node, name, shown in engine.run(_prepare(query), "SELECT", {}, False).rows:
        iri = str(node)
        local = iri[len(DATA_IRI) :] if iri.startswith(DATA_IRI) else iri.rsplit("#", 1)[-1]
        candidate = found.setdefault(iri, Candidate(local, {local, local.rsplit("/", 1)[-1]}))
        candidate.names.add(str(name))
        if shown is not None and (candidate.label == local or str(shown) < candidate.label):
            candidate.label = str(shown)
    if "institution-kind" in kinds:
        for keyword, cls in ORGANIZATION_KINDS.items():
            if str(cls) in found:
                found[str(cls)].names.add(keyword)
    return found


def _prepare(query: str) -> Any:
    from kg.queries import parse_query

    return parse_query(query)


def resolve(parameter: Parameter, value: str, engine: Any) -> tuple[list[str], str | None]:
    """The IRIs a name parameter names, and a note when that is a guess or several nodes."""
    pool = candidates(parameter.kinds(), engine)
    names = {iri: c.names for iri, c in pool.items()}
    wanted = value
    if _is_kind(parameter):  # 'health-commission' and 'health commission' alike
        names = {iri: ns | {n.replace("-", " ") for n in ns} for iri, ns in names.items()}
        wanted = value.replace("-", " ")
    found, exact = match(wanted, names)
    if not found:
        everything = sorted({n for c in pool.values() for n in c.names})
        if _is_kind(parameter):
            hint = allowed_values(value, ORGANIZATION_KINDS)
        else:
            near = closest(value, everything, n=5)
            hint = "closest names: " + "; ".join(near) if near else "try a shorter part of it"
        raise ParameterError(
            f"{parameter.name}={value!r} names no {' or '.join(parameter.kinds())}", hint=hint
        )
    if len(found) == 1 and exact:
        return found, None
    how = "exactly" if exact else "by part of a name"
    listed = "; ".join(_shown(iri, pool[iri]) for iri in found[:10])
    more = f" and {len(found) - 10} more" if len(found) > 10 else ""
    return found, f"{parameter.name}={value!r} matched {len(found)} {how}: {listed}{more}"


def _is_kind(parameter: Parameter) -> bool:
    return parameter.kind == "institution-kind"


def _shown(iri: str, candidate: Candidate) -> str:
    local = iri[len(DATA_IRI) :] if iri.startswith(DATA_IRI) else iri.rsplit("#", 1)[-1]
    return candidate.label if candidate.label == local else f"{candidate.label} ({local})"
