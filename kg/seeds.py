"""The seeds folder, read once: which files a build reads, their bytes, and the input digest.

A build parses exactly the bytes read here, and its input digest is taken from the same bytes,
so an edit saved during a build can never be recorded as built. The staleness check reads the
folder the same way, so a file is either read by the build and in the digest, or neither:
hidden files (names starting with '.', such as editors' backups) are neither, and so is
anything that is not an annotation (``annotations/*.yaml`` or ``*.yml``) or an article
(``articles/*.txt``); those are listed in ``ignored`` so the build can say so.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from kg import resources
from kg.errors import AnnotationError, decode_utf8

REGISTRY_FILE = "registry.yaml"
ANNOTATIONS_DIR = "annotations"
ARTICLES_DIR = "articles"
ANNOTATION_SUFFIXES = (".yaml", ".yml")
ARTICLE_SUFFIX = ".txt"
MAX_BYTES = 2_000_000  # an annotation file or an article; both are small texts


@dataclass(frozen=True)
class SeedFiles:
    """The bytes of every file a build reads, keyed by their path inside the seeds folder."""

    root: Path
    files: dict[str, bytes]
    ignored: tuple[str, ...]

    @property
    def annotations(self) -> list[str]:
        """The annotation files, in a stable order."""
        return sorted(name for name in self.files if name.startswith(ANNOTATIONS_DIR + "/"))

    @property
    def articles(self) -> list[str]:
        """The article file names (without the folder), in a stable order."""
        prefix = ARTICLES_DIR + "/"
        return sorted(name[len(prefix) :] for name in self.files if name.startswith(prefix))

    def display(self, name: str) -> str:
        """A path as the user knows it: relative to the folder above seeds/ when possible."""
        path = self.root / name
        try:
            return str(path.resolve().relative_to(self.root.resolve().parent))
        except ValueError:
            return str(path)

    def text(self, name: str) -> str:
        """A file's text, decoded strictly as UTF-8 with no newline translation, so character
        offsets into it match the bytes on disk."""
        return decode_utf8(self.files[name], self.display(name), AnnotationError)

    def digest(self) -> str:
        """A digest of everything the build read, and of the ontology and shapes it used."""
        digest = hashlib.sha256()
        for name, data in sorted(self.files.items()):
            digest.update(name.encode() + b"\0" + data + b"\0")
        for path in (resources.ontology_file(), resources.shapes_file()):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.hexdigest()


def read_seeds(seeds_dir: str | Path) -> SeedFiles:
    """Read the registry, the annotation files and the articles of a seeds folder."""
    root = Path(seeds_dir)
    if not root.is_dir():
        raise AnnotationError(
            f"seeds folder '{root}' not found",
            hint="run kg in a folder that holds seeds/, or pass --seeds DIR",
        )
    if not (root / ANNOTATIONS_DIR).is_dir():
        raise AnnotationError(
            f"no {ANNOTATIONS_DIR}/ folder", file=str(root), hint="see seeds/README.md"
        )
    files: dict[str, bytes] = {}
    ignored: list[str] = []
    seeds = SeedFiles(root, files, ())
    wanted = [REGISTRY_FILE] if (root / REGISTRY_FILE).exists() else []
    for folder, suffixes in (
        (ANNOTATIONS_DIR, ANNOTATION_SUFFIXES),
        (ARTICLES_DIR, (ARTICLE_SUFFIX,)),
    ):
        if not (root / folder).is_dir():
            continue
        for entry in sorted(os.listdir(root / folder)):
            name = f"{folder}/{entry}"
            if entry.startswith(".") or not entry.endswith(suffixes):
                ignored.append(name)
            else:
                wanted.append(name)
    for name in wanted:
        files[name] = read_file(root / name, seeds.display(name))
    return SeedFiles(root, files, tuple(ignored))


def read_file(path: Path, display: str, limit: int = MAX_BYTES) -> bytes:
    """A seed file's bytes: a regular file of at most ``limit`` bytes, or an error."""
    return resources.read_regular_file(
        path,
        display,
        limit,
        AnnotationError,
        "seeds/ holds small plain-text files: annotations and articles",
    )
