"""Load the annotation files (the registry and one file per article) into checked dataclasses.

The format is documented for annotators in seeds/README.md. Everything an annotator can get
wrong is caught here, with the file and line: unknown fields and types, references to ids
that do not exist or have the wrong kind, malformed dates and numbers, duplicate ids.
Quotes are checked against the article text later, by :mod:`kg.evidence`.
"""

from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kg.errors import AnnotationError
from kg.names import allowed_values, did_you_mean
from kg.seeds import ARTICLES_DIR, REGISTRY_FILE, SeedFiles
from kg.vocab import ASSISTANCE_KINDS, EVENT_KINDS, ORGANIZATION_KINDS, PLACE_KINDS, QUALIFIERS
from kg.yamlfile import YamlList, YamlMap, parse_yaml

# Every pattern is used with fullmatch: '$' would let a final newline through into an IRI.
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
NUMBER_PATTERN = re.compile(r"[0-9]+(?:\.[0-9]+)?")
MAX_DIGITS = 30  # more than any count or amount in the news, far below Python's int limits
LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
# Dates as the article states them: full date, year-month, year, or month-day / month alone.
DATE_PATTERNS = {
    "date": re.compile(r"(\d{4})-(\d{2})-(\d{2})"),
    "gYearMonth": re.compile(r"(\d{4})-(\d{2})"),
    "gYear": re.compile(r"(\d{4})"),
    "gMonthDay": re.compile(r"--(\d{2})-(\d{2})"),
    "gMonth": re.compile(r"--(\d{2})"),
}
ENTITY_KINDS = ("organization", "person", "place")


@dataclass(frozen=True)
class Origin:
    """Where in an annotation file something was written."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class DateValue:
    """A date as the article states it (any precision), and a year or date inferred from context."""

    stated: str
    precision: str  # an XSD datatype name: date, gYearMonth, gYear, gMonthDay, gMonth
    inferred: str | None = None
    inferred_precision: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Entity:
    """An institution, person or place in the shared registry."""

    kind: str  # organization | person | place
    id: str
    type: str | None  # organization or place kind keyword; None for people
    label: str
    alt: tuple[str, ...]
    hidden: tuple[str, ...]
    zh: tuple[str, ...]
    parent: str | None  # place: the place it lies in; organization: where it is located
    predecessor: str | None
    reference: bool
    note: str | None
    origin: Origin

    def labels(self) -> list[tuple[str, str]]:
        """Every label with its SKOS kind: pref, alt, hidden, zh."""
        return (
            [("pref", self.label)]
            + [("alt", x) for x in self.alt]
            + [("hidden", x) for x in self.hidden]
            + [("zh", x) for x in self.zh]
        )


@dataclass(frozen=True)
class Role:
    """A kind of post (President, Deputy Director, Party Secretary...)."""

    id: str
    label: str
    zh: tuple[str, ...]
    origin: Origin


@dataclass
class Registry:
    """The entities and roles shared by all articles: one node per real-world thing."""

    entities: dict[str, Entity]
    roles: dict[str, Role]
    file: str


@dataclass(frozen=True)
class Quote:
    """An evidence quote, to be found verbatim in the article (the n-th occurrence)."""

    text: str
    occurrence: int
    origin: Origin


@dataclass
class Fact:
    """One statement of an article, with its evidence. ``values`` holds the typed fields."""

    id: str
    type: str
    values: dict[str, Any]
    evidence: list[Quote]
    note: str | None
    origin: Origin


@dataclass
class Article:
    """One article's metadata and facts."""

    key: str  # the article file name without .txt, percent-encoded: its IRI key
    file: str
    text: str
    title: str
    publisher: str | None
    source: str | None
    published: DateValue | None
    author: str | None
    languages: tuple[str, ...]
    url: str | None
    note: str | None
    facts: list[Fact]
    annotation_file: str
    origin: Origin
    fact_index: dict[str, Fact] = field(default_factory=dict)


# Field specs: (kind, required). Kinds: text, texts, date, number, bool, role, language list,
# keyword:<table>, keywords:<table>, entity:<kinds>, entities:<kinds>, fact:<types>, ref.
COMMON_FACT_FIELDS = {"id", "type", "evidence", "note"}
FACT_SCHEMAS: dict[str, dict[str, tuple[str, bool]]] = {
    "role": {
        "person": ("entity:person", True),
        "organization": ("entity:organization", True),
        "role": ("role", True),
        "post": ("text", True),
        "as_of": ("date", False),
        "ambiguous": ("bool", False),
    },
    "assistance": {
        "provider": ("entity:organization", True),
        "recipient": ("entity:organization|place", True),
        "kinds": ("keywords:assistance", True),
        "start": ("date", False),
        "end": ("date", False),
        "agreement": ("fact:agreement", False),
        "program": ("entity:organization", False),
        "activities": ("texts", False),
    },
    "agreement": {
        "title": ("text", True),
        "parties": ("entities:organization", True),
        "start": ("date", False),
        "end": ("date", False),
        "signed": ("date", False),
        "signing_event": ("fact:event", False),
    },
    "event": {
        "kind": ("keyword:event", True),
        "label": ("text", True),
        "date": ("date", False),
        "places": ("entities:place", False),
        "organizers": ("entities:organization|person", False),
        "participants": ("entities:organization|person", False),
        "part_of": ("fact:event", False),
        "assistance": ("fact:assistance", False),
    },
    "measure": {
        "quantity": ("text", True),
        "value": ("number", True),
        "unit": ("text", True),
        "qualifier": ("keyword:qualifier", False),
        "about": ("ref", True),
    },
    "sub-organization": {
        "organization": ("entity:organization", True),
        "parent": ("entity:organization", True),
    },
    "satellite": {
        "satellite": ("entity:organization", True),
        "hub": ("entity:organization", True),
    },
}
KEYWORD_TABLES = {
    "assistance": ASSISTANCE_KINDS,
    "event": EVENT_KINDS,
    "qualifier": QUALIFIERS,
}
ENTITY_FIELDS = {
    "organization": {
        "id",
        "type",
        "label",
        "alt",
        "hidden",
        "zh",
        "located_in",
        "predecessor",
        "reference",
        "note",
    },
    "place": {"id", "type", "label", "alt", "hidden", "zh", "parent", "reference", "note"},
    "person": {"id", "label", "alt", "hidden", "zh", "reference", "note"},
}
REGISTRY_SECTIONS = {"organizations": "organization", "people": "person", "places": "place"}
ARTICLE_FIELDS = {
    "file",
    "title",
    "publisher",
    "source",
    "published",
    "author",
    "languages",
    "url",
    "note",
}


class _Reader:
    """Reads typed values out of one YAML file's mappings, reporting errors with file and line."""

    def __init__(self, display: str) -> None:
        self.display = display

    def error(self, message: str, line: int | None, hint: str | None = None) -> AnnotationError:
        return AnnotationError(message, file=self.display, line=line, hint=hint)

    def line_of(self, mapping: YamlMap, key: str) -> int:
        return mapping.key_lines.get(key, mapping.line)

    def check_fields(self, mapping: Any, allowed: set[str], what: str, line: int) -> YamlMap:
        if not isinstance(mapping, YamlMap):
            raise self.error(f"{what} must be a mapping of fields", line)
        for key in mapping:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f"did you mean '{close[0]}'?" if close else None
                hint = hint or "allowed fields: " + ", ".join(sorted(allowed))
                raise self.error(
                    f"unknown field '{key}' in {what}", self.line_of(mapping, key), hint
                )
        return mapping

    def text(self, mapping: YamlMap, key: str, required: bool) -> str | None:
        value = mapping.get(key)
        if value is None:
            if required:
                raise self.error(
                    f"missing required field '{key}'", mapping.line, f"add '{key}: ...'"
                )
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.error(f"field '{key}' must be a non-empty text", self.line_of(mapping, key))
        return value

    def texts(self, mapping: YamlMap, key: str, required: bool = False) -> tuple[str, ...]:
        value = mapping.get(key)
        if value is None:
            if required:
                raise self.error(
                    f"missing required field '{key}'", mapping.line, f"add '{key}: [...]'"
                )
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
            raise self.error(f"field '{key}' must be a list of texts", self.line_of(mapping, key))
        if required and not value:
            raise self.error(f"field '{key}' must not be empty", self.line_of(mapping, key))
        return tuple(value)

    def identifier(self, mapping: YamlMap, key: str = "id") -> str:
        value = self.text(mapping, key, True)
        assert value is not None
        if not ID_PATTERN.fullmatch(value):
            raise self.error(
                f"id {value!r} is not a valid id",
                self.line_of(mapping, key),
                "ids are lower-case words and digits joined by '-', e.g. 'jinta-county'",
            )
        return value

    def boolean(self, mapping: YamlMap, key: str) -> bool:
        value = mapping.get(key)
        if value is None:
            return False
        if value not in ("true", "false"):
            raise self.error(
                f"field '{key}' must be true or false, not '{value}'", self.line_of(mapping, key)
            )
        return value == "true"

    def date(self, mapping: YamlMap, key: str, required: bool = False) -> DateValue | None:
        value = mapping.get(key)
        line = self.line_of(mapping, key)
        if value is None:
            if required:
                raise self.error(f"missing required field '{key}'", mapping.line)
            return None
        if isinstance(value, str):
            return DateValue(value, self._precision(value, key, line))
        if isinstance(value, YamlMap):
            self.check_fields(value, {"stated", "inferred", "reason"}, f"date '{key}'", line)
            stated = self.text(value, "stated", True)
            inferred = self.text(value, "inferred", True)
            reason = self.text(value, "reason", True)
            assert stated and inferred
            precision = self._precision(stated, key, line)
            inferred_precision = self._precision(inferred, key, line)
            if inferred_precision not in ("date", "gYearMonth", "gYear"):
                raise self.error(
                    f"inferred date '{inferred}' must include a year",
                    line,
                    "write the inferred date as YYYY, YYYY-MM or YYYY-MM-DD",
                )
            stated_tail = stated.lstrip("-")
            if precision in ("gMonthDay", "gMonth") and not inferred.endswith("-" + stated_tail):
                raise self.error(
                    f"inferred date '{inferred}' does not agree with the stated '{stated}'",
                    line,
                    "the inferred date adds the year only",
                )
            return DateValue(stated, precision, inferred, inferred_precision, reason)
        raise self.error(
            f"field '{key}' must be a date",
            line,
            "write YYYY-MM-DD, YYYY-MM, YYYY or --MM-DD (month and day only)",
        )

    def _precision(self, value: str, key: str, line: int) -> str:
        for precision, pattern in DATE_PATTERNS.items():
            match = pattern.fullmatch(value)
            if not match:
                continue
            parts = [int(x) for x in match.groups()]
            if precision == "date":
                year, month, day = parts
                ok = 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]
            elif precision == "gYearMonth":
                ok = 1 <= parts[1] <= 12
            elif precision == "gMonthDay":
                month, day = parts
                ok = 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2024, month)[1]
            elif precision == "gMonth":
                ok = 1 <= parts[0] <= 12
            else:
                ok = True
            if ok:
                return precision
        raise self.error(
            f"malformed date '{value}' in field '{key}'",
            line,
            "write YYYY-MM-DD, YYYY-MM, YYYY, or --MM-DD for a month and day without a year "
            "(quote it: '--08-08')",
        )


def load_registry(seeds: SeedFiles) -> Registry:
    """Load seeds/registry.yaml: the entities and roles shared by all articles."""
    display = seeds.display(REGISTRY_FILE)
    if REGISTRY_FILE not in seeds.files:
        raise AnnotationError(
            "registry file not found",
            file=display,
            hint="every seeds/ folder needs a registry.yaml; see seeds/README.md",
        )
    data = _parse(seeds, REGISTRY_FILE)
    reader = _Reader(display)
    reader.check_fields(data, set(REGISTRY_SECTIONS) | {"roles"}, "the registry", data.line)
    entities: dict[str, Entity] = {}
    roles: dict[str, Role] = {}
    first_line: dict[str, int] = {}

    def claim(ident: str, line: int) -> None:
        if ident in first_line:
            raise reader.error(
                f"duplicate id '{ident}' (first defined on line {first_line[ident]})",
                line,
                "ids must be unique; rename one",
            )
        first_line[ident] = line

    for section, kind in REGISTRY_SECTIONS.items():
        for item, line in _items(reader, data, section):
            entry = reader.check_fields(item, ENTITY_FIELDS[kind], f"a {kind}", line)
            ident = reader.identifier(entry)
            claim(ident, line)
            entity_type = None
            if kind != "person":
                table = ORGANIZATION_KINDS if kind == "organization" else PLACE_KINDS
                entity_type = _keyword(reader, entry, "type", table, required=True)
            parent_key = "located_in" if kind == "organization" else "parent"
            entities[ident] = Entity(
                kind=kind,
                id=ident,
                type=entity_type,
                label=reader.text(entry, "label", True) or "",
                alt=reader.texts(entry, "alt"),
                hidden=reader.texts(entry, "hidden"),
                zh=reader.texts(entry, "zh"),
                parent=reader.text(entry, parent_key, False) if kind != "person" else None,
                predecessor=reader.text(entry, "predecessor", False),
                reference=reader.boolean(entry, "reference"),
                note=reader.text(entry, "note", False),
                origin=Origin(display, line),
            )
    for item, line in _items(reader, data, "roles"):
        entry = reader.check_fields(item, {"id", "label", "zh", "note"}, "a role", line)
        ident = reader.identifier(entry)
        claim(ident, line)
        roles[ident] = Role(
            ident,
            reader.text(entry, "label", True) or "",
            reader.texts(entry, "zh"),
            Origin(display, line),
        )
    registry = Registry(entities, roles, display)
    _check_registry_links(reader, registry, data)
    return registry


def _check_registry_links(reader: _Reader, registry: Registry, data: YamlMap) -> None:
    entities = registry.entities
    for entity in entities.values():
        for key, value, expected in (
            ("parent" if entity.kind == "place" else "located_in", entity.parent, "place"),
            ("predecessor", entity.predecessor, "organization"),
        ):
            if value is None:
                continue
            target = entities.get(value)
            if target is None or target.kind != expected:
                raise reader.error(
                    f"{entity.id}: {key} '{value}' is not a {expected} in the registry",
                    entity.origin.line,
                    did_you_mean(value, [e.id for e in entities.values() if e.kind == expected]),
                )
    for entity in entities.values():  # place hierarchy must not loop
        seen = [entity.id]
        parent = entity.parent if entity.kind == "place" else None
        while parent:
            if parent in seen:
                raise reader.error(
                    f"place hierarchy loops: {' -> '.join([*seen, parent])}",
                    entity.origin.line,
                    "a place's parent must be a larger place",
                )
            seen.append(parent)
            parent = entities[parent].parent


def _parse(seeds: SeedFiles, name: str) -> YamlMap:
    return parse_yaml(seeds.text(name), seeds.display(name))


def load_article(seeds: SeedFiles, name: str, registry: Registry) -> Article:
    """Load one article's annotation file (``name``, e.g. annotations/003.yaml) and the
    article text it refers to."""
    display = seeds.display(name)
    data = _parse(seeds, name)
    reader = _Reader(display)
    reader.check_fields(data, {"article", "facts"}, "an annotation file", data.line)
    if "article" not in data:
        raise reader.error("missing the 'article:' section", data.line, "see seeds/README.md")
    meta = reader.check_fields(
        data["article"], ARTICLE_FIELDS, "the article section", reader.line_of(data, "article")
    )
    file_name = reader.text(meta, "file", True) or ""
    if file_name not in seeds.articles:
        raise reader.error(
            f"article file {file_name!r} not found in {ARTICLES_DIR}/",
            reader.line_of(meta, "file"),
            did_you_mean(file_name, seeds.articles, f"articles are .txt files in {ARTICLES_DIR}/"),
        )
    text = seeds.text(f"{ARTICLES_DIR}/{file_name}")
    languages = reader.texts(meta, "languages", required=True)
    for language in languages:
        if not LANGUAGE_PATTERN.fullmatch(language):
            raise reader.error(
                f"{language!r} is not a language tag",
                reader.line_of(meta, "languages"),
                "use BCP 47 tags: en, zh",
            )
    article = Article(
        key=quote(Path(file_name).stem, safe=""),  # any file name makes a valid IRI
        file=file_name,
        text=text,
        title=reader.text(meta, "title", True) or "",
        publisher=_entity_ref(reader, meta, "publisher", "organization", registry),
        source=reader.text(meta, "source", False),
        published=reader.date(meta, "published"),
        author=_entity_ref(reader, meta, "author", "person", registry),
        languages=languages,
        url=reader.text(meta, "url", False),
        note=reader.text(meta, "note", False),
        facts=[],
        annotation_file=display,
        origin=Origin(display, meta.line),
    )
    first_line: dict[str, int] = {}
    for item, line in _items(reader, data, "facts"):
        if not isinstance(item, YamlMap):
            raise reader.error("each fact must be a mapping of fields", line)
        fact_type = _keyword(reader, item, "type", FACT_SCHEMAS, required=True)
        assert fact_type is not None
        schema = FACT_SCHEMAS[fact_type]
        reader.check_fields(item, COMMON_FACT_FIELDS | set(schema), f"a {fact_type} fact", line)
        ident = reader.identifier(item)
        if ident in first_line:
            raise reader.error(
                f"duplicate fact id '{ident}' (first on line {first_line[ident]})",
                line,
                "fact ids must be unique within an article",
            )
        if ident in registry.entities or ident in registry.roles:
            raise reader.error(
                f"fact id '{ident}' is already a registry id",
                line,
                "give the fact an id of its own, e.g. prefix it with its type",
            )
        first_line[ident] = line
        fact = Fact(
            ident,
            fact_type,
            {},
            _quotes(reader, item, display),
            reader.text(item, "note", False),
            Origin(display, line),
        )
        article.facts.append(fact)
        article.fact_index[ident] = fact
    for fact, item in zip(article.facts, _fact_mappings(data), strict=True):
        for key, (kind, required) in FACT_SCHEMAS[fact.type].items():
            value = _field(reader, item, key, kind, required, registry, article)
            if value is not None and value != ():
                fact.values[key] = value
        if fact.type == "role" and fact.values.get("ambiguous") and not fact.note:
            raise reader.error(
                "an ambiguous role needs a 'note' saying what is unclear",
                fact.origin.line,
                "add 'note: ...'",
            )
    return article


def _fact_mappings(data: YamlMap) -> list[YamlMap]:
    return list(data.get("facts") or [])


def _quotes(reader: _Reader, item: YamlMap, display: str) -> list[Quote]:
    value = item.get("evidence")
    line = reader.line_of(item, "evidence")
    if value is None:
        raise reader.error(
            "missing required field 'evidence'",
            item.line,
            "every fact needs at least one quote copied verbatim from the article",
        )
    if isinstance(value, str):
        value = _single(value, line)
    if not isinstance(value, YamlList) or not value:
        raise reader.error("'evidence' must be a list of quotes", line)
    quotes = []
    for entry, entry_line in zip(value, value.item_lines, strict=True):
        occurrence = 1
        if isinstance(entry, YamlMap):
            reader.check_fields(entry, {"quote", "occurrence"}, "an evidence quote", entry_line)
            text = reader.text(entry, "quote", True)
            raw = entry.get("occurrence", "1")
            if not isinstance(raw, str) or not raw.isdigit() or int(raw) < 1:
                raise reader.error("'occurrence' must be a positive whole number", entry_line)
            occurrence = int(raw)
        else:
            text = entry
        if not isinstance(text, str) or not text.strip():
            raise reader.error("an evidence quote must be a non-empty text", entry_line)
        quotes.append(Quote(text, occurrence, Origin(display, entry_line)))
    return quotes


def _single(value: str, line: int) -> YamlList:
    items = YamlList([value])
    items.line = line
    items.item_lines = [line]
    return items


def _field(
    reader: _Reader,
    item: YamlMap,
    key: str,
    kind: str,
    required: bool,
    registry: Registry,
    article: Article,
) -> Any:
    line = reader.line_of(item, key)
    if kind == "text":
        return reader.text(item, key, required)
    if kind == "texts":
        return reader.texts(item, key, required)
    if kind == "date":
        return reader.date(item, key, required)
    if kind == "bool":
        return reader.boolean(item, key)
    if kind == "number":
        value = reader.text(item, key, required)
        if value is not None and not NUMBER_PATTERN.fullmatch(value):
            raise reader.error(
                f"{value!r} is not a number",
                line,
                "write digits only (268, 3600, 2.5); put 'more than' in "
                "'qualifier' and the unit in 'unit'",
            )
        if value is not None and len(value) > MAX_DIGITS:
            raise reader.error(
                f"a number with too many digits ({len(value)}, at most {MAX_DIGITS})",
                line,
                "write the number as the article gives it",
            )
        return value
    if kind == "role":
        value = reader.text(item, key, required)
        if value is not None and value not in registry.roles:
            raise reader.error(
                f"unknown role '{value}'",
                line,
                did_you_mean(value, list(registry.roles), "add it under 'roles:' in registry.yaml"),
            )
        return value
    table_kind, _, table = kind.partition(":")
    if table_kind == "keyword":
        return _keyword(reader, item, key, KEYWORD_TABLES[table], required)
    if table_kind == "keywords":
        values = reader.texts(item, key, required)
        for value in values:
            if value not in KEYWORD_TABLES[table]:
                raise reader.error(
                    f"unknown {key} value '{value}'",
                    line,
                    allowed_values(value, KEYWORD_TABLES[table]),
                )
        return values
    if table_kind == "entity":
        return _entity_ref(reader, item, key, table, registry, required)
    if table_kind == "entities":
        values = reader.texts(item, key, required)
        for value in values:
            _check_entity(reader, value, table, registry, line)
        return values
    if table_kind == "fact":
        value = reader.text(item, key, required)
        if value is not None:
            target = article.fact_index.get(value)
            kinds = table.split("|")
            if target is None or target.type not in kinds:
                raise reader.error(
                    f"'{value}' is not a {table} fact of this article",
                    line,
                    did_you_mean(value, [f.id for f in article.facts if f.type in kinds]),
                )
        return value
    if kind == "ref":
        value = reader.text(item, key, required)
        if value is not None and value not in article.fact_index and value not in registry.entities:
            raise reader.error(
                f"'{value}' is neither a fact of this article nor a registry id",
                line,
                did_you_mean(value, [*article.fact_index, *registry.entities]),
            )
        return value
    raise AssertionError(f"unknown field kind {kind}")  # pragma: no cover


def _entity_ref(
    reader: _Reader, item: YamlMap, key: str, kinds: str, registry: Registry, required: bool = False
) -> str | None:
    value = reader.text(item, key, required)
    if value is not None:
        _check_entity(reader, value, kinds, registry, reader.line_of(item, key))
    return value


def _check_entity(reader: _Reader, value: str, kinds: str, registry: Registry, line: int) -> None:
    allowed = kinds.split("|")
    entity = registry.entities.get(value)
    if entity is None:
        candidates = [e.id for e in registry.entities.values() if e.kind in allowed]
        raise reader.error(
            f"unknown {' or '.join(allowed)} '{value}'",
            line,
            did_you_mean(value, candidates, f"add it to {REGISTRY_FILE}"),
        )
    if entity.kind not in allowed:
        wanted = " or ".join(allowed)
        article_word = "an" if wanted[0] in "aeiou" else "a"
        raise reader.error(f"'{value}' is a {entity.kind}, not {article_word} {wanted}", line)


def _keyword(reader: _Reader, item: YamlMap, key: str, table: dict, required: bool) -> str | None:
    value = reader.text(item, key, required)
    if value is not None and value not in table:
        raise reader.error(
            f"unknown {key} '{value}'", reader.line_of(item, key), allowed_values(value, table)
        )
    return value


def _items(reader: _Reader, data: YamlMap, section: str) -> list[tuple[Any, int]]:
    value = data.get(section)
    if value is None:
        return []
    if not isinstance(value, YamlList):
        raise reader.error(
            f"'{section}' must be a list (lines starting with '- ')", reader.line_of(data, section)
        )
    return list(zip(value, value.item_lines, strict=True))
