"""Read YAML into plain dicts, lists and strings, keeping line numbers and the text as written.

YAML 1.1 loaders turn ``NO`` into False, ``0777`` into 511 and ``12:30`` into 750; an
annotation must reach the graph exactly as the annotator typed it. So this reader takes
PyYAML's node tree (which keeps every scalar's source text and position) and builds the
values itself: every scalar stays a string, typing is the annotation schema's job.
It also refuses what a hand-written annotation never needs and an attacker would use:
duplicate keys, anchors and aliases (billion-laughs), absurd nesting.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from kg.errors import AnnotationError

MAX_DEPTH = 40


class YamlMap(dict):
    """A mapping that remembers the line it starts on and the line of each key."""

    line: int
    key_lines: dict[str, int]


class YamlList(list):
    """A sequence that remembers its line and the line of each item."""

    line: int
    item_lines: list[int]


def load_yaml(path: Path, display: str | None = None) -> YamlMap:
    """Load one YAML file whose top level is a mapping."""
    from kg.errors import decode_utf8
    from kg.seeds import read_file

    display = display or str(path)
    return parse_yaml(decode_utf8(read_file(path, display), display, AnnotationError), display)


def parse_yaml(text: str, display: str) -> YamlMap:
    """Parse one YAML document whose top level is a mapping; ``display`` names it in errors."""
    if not text.strip():
        raise AnnotationError(
            "file is empty", file=display, line=1, hint="see seeds/README.md for the format"
        )
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise AnnotationError(
            f"malformed YAML: {problem}",
            file=display,
            line=line,
            hint="check indentation, and quote values that contain ': ' or start with a "
            "special character",
        ) from None
    except yaml.YAMLError as exc:
        raise AnnotationError(f"malformed YAML: {exc}", file=display) from None
    except RecursionError:
        raise AnnotationError(
            "YAML nesting is too deep", file=display, hint="annotations need only a few levels"
        ) from None
    if node is None:
        raise AnnotationError(
            "file holds no YAML content", file=display, line=1, hint="see seeds/README.md"
        )
    value = _convert(node, display, depth=0, seen=set())
    if not isinstance(value, YamlMap):
        raise AnnotationError(
            "the top level must be a mapping (key: value lines)",
            file=display,
            line=node.start_mark.line + 1,
            hint="see seeds/README.md for the format",
        )
    return value


def _convert(node: yaml.Node, display: str, depth: int, seen: set[int]) -> object:
    line = node.start_mark.line + 1
    if depth > MAX_DEPTH:
        raise AnnotationError(
            f"YAML nesting is deeper than {MAX_DEPTH} levels",
            file=display,
            line=line,
            hint="annotations need only a few levels",
        )
    if id(node) in seen:  # PyYAML hands out the anchored node again for every alias
        raise AnnotationError(
            "YAML anchors and aliases (&name / *name) are not supported",
            file=display,
            line=line,
            hint="write the value out in full",
        )
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        if node.tag.startswith("tag:yaml.org,2002:") or node.tag == "!":
            if (
                node.tag == "tag:yaml.org,2002:null"
                and node.style is None
                and node.value
                in (
                    "",
                    "~",
                    "null",
                    "Null",
                    "NULL",
                )
            ):
                return None
            return node.value
        raise AnnotationError(
            f"YAML tag {node.tag} is not supported", file=display, line=line, hint="remove the tag"
        )
    if isinstance(node, yaml.SequenceNode):
        items = YamlList()
        items.line = line
        items.item_lines = []
        for child in node.value:
            items.append(_convert(child, display, depth + 1, seen))
            items.item_lines.append(child.start_mark.line + 1)
        return items
    if isinstance(node, yaml.MappingNode):
        mapping = YamlMap()
        mapping.line = line
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise AnnotationError(
                    "mapping keys must be plain words",
                    file=display,
                    line=key_node.start_mark.line + 1,
                )
            key = key_node.value
            key_line = key_node.start_mark.line + 1
            if key == "<<":
                raise AnnotationError(
                    "YAML merge keys (<<) are not supported",
                    file=display,
                    line=key_line,
                    hint="write the fields out in full",
                )
            if key in mapping:
                raise AnnotationError(
                    f"duplicate key '{key}' (first on line {mapping.key_lines[key]})",
                    file=display,
                    line=key_line,
                    hint="each key may appear once in a mapping; merge or rename one",
                )
            mapping[key] = _convert(value_node, display, depth + 1, seen)
            mapping.key_lines[key] = key_line
        return mapping
    raise AnnotationError("unsupported YAML node", file=display, line=line)  # pragma: no cover
