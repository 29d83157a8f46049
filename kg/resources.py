"""Where kg's files live (ontology, shapes, query catalog, build outputs) and how they are written.

They sit in top-level folders of the source tree; a wheel carries copies under
``kg/_data/``. This module is the only code that knows either location.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent

# what kg build writes into build/
GRAPH_FILE = "kg.ttl"
REPORT_FILE = "validation-report.txt"
REPORT_GRAPH_FILE = "validation-report.ttl"
MANIFEST_FILE = "manifest.json"  # records input_digest(), so a stale build/ is noticed
CACHE_FILE = "kg.pickle"  # kg.ttl's sorted triples, twice as quick to load for queries


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


def input_digest(seeds: Path) -> str:
    """A digest of everything a build reads, so a stale build/ can be detected."""
    digest = hashlib.sha256()
    files = sorted(p for p in seeds.rglob("*") if p.is_file() and not p.name.startswith("."))
    files += [ontology_file(), shapes_file()]
    for path in files:
        name = str(path.relative_to(seeds)) if path.is_relative_to(seeds) else path.name
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def write_atomically(path: Path, data: bytes) -> None:
    """Write one file via a temporary file in the same folder: never a half-written file."""
    write_files(path.parent if str(path.parent) else Path("."), {path.name: data})


def write_files(out: Path, files: dict[str, bytes]) -> None:
    """Write every file to a temporary name first, then move each into place."""
    out.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, str]] = []
    try:
        for name, data in files.items():
            handle, tmp = tempfile.mkstemp(dir=out, prefix=f".{name}.", suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(tmp, 0o644)  # mkstemp creates 0600; build output is meant to be shared
            staged.append((tmp, name))
        for tmp, name in staged:
            os.replace(tmp, out / name)
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
