"""Where kg's data files live: the ontology, the shapes and the query catalog.

They sit in top-level folders of the source tree; a wheel carries copies under
``kg/_data/``. This module is the only code that knows either location.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def ontology_file() -> Path:
    """The OWL ontology (Turtle)."""
    return _data_dir("ontology") / "kg.ttl"


def shapes_file() -> Path:
    """The SHACL shapes (Turtle)."""
    return _data_dir("ontology") / "shapes.ttl"


def queries_dir() -> Path:
    """The folder of canned ``.rq`` queries."""
    return _data_dir("queries")
