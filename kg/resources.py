"""Where kg's files live (ontology, shapes, query catalog, build outputs) and how they are written.

They sit in top-level folders of the source tree; a wheel carries copies under
``kg/_data/``. This module is the only code that knows either location.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from kg.errors import KgError

_PACKAGE = Path(__file__).resolve().parent

# what kg build writes into build/
GRAPH_FILE = "kg.ttl"
REPORT_FILE = "validation-report.txt"
REPORT_GRAPH_FILE = "validation-report.ttl"
MANIFEST_FILE = "manifest.json"  # the input digest and kg.ttl's digest: stale or torn build/
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


def read_regular_file(
    path: Path, display: str, limit: int, error: type[KgError] = KgError, hint: str = ""
) -> bytes:
    """A regular file's bytes, refused unread when it is anything else or larger than
    ``limit``: a FIFO would block, a link to /dev/zero never ends, a huge file fills the
    memory. The file is opened without blocking and checked again before it is read, in
    case it was replaced since the first look."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a FIFO, device or socket"
            raise error(f"not a regular file ({kind})", file=display, hint=hint or None)
        if info.st_size > limit:
            raise error(
                f"file is too large ({info.st_size} bytes, limit {limit})",
                file=display,
                hint=hint or None,
            )
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(descriptor, "rb") as stream:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise error("not a regular file", file=display, hint=hint or None)
            data = stream.read(limit + 1)
    except FileNotFoundError:
        raise error("file not found", file=display, hint=hint or None) from None
    except OSError as exc:
        raise error(f"cannot read file: {exc.strerror}", file=display) from None
    if len(data) > limit:  # it grew since it was checked
        raise error(f"file is too large (limit {limit} bytes)", file=display)
    return data


def write_atomically(path: Path, data: bytes) -> None:
    """Write one file the user named, never destroying what is there.

    A regular file (or a new one) is replaced atomically via a temporary file beside it. A
    symlink is followed and its target written. A device or FIFO (``-o /dev/null``) is written
    into, not replaced: a rename would put a regular file where the device node was.
    """
    target = Path(os.path.realpath(path))
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise _write_error(path, exc) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise KgError(f"{path} is a folder", hint="give the name of a file to write")
    if mode is not None and not stat.S_ISREG(mode):
        try:
            with open(target, "wb") as stream:
                stream.write(data)
        except OSError as exc:
            raise _write_error(path, exc) from None
        return
    if not target.parent.is_dir():
        raise KgError(
            f"cannot write {path}: folder {path.parent} does not exist",
            hint="create the folder first, or write somewhere else",
        )
    write_files(target.parent, {target.name: data})


def write_files(out: Path, files: dict[str, bytes]) -> None:
    """Write every file to a temporary name first, then move each into place; on any error
    (a full disk, a read-only folder) nothing is replaced and no temporary file is left."""
    staged: list[tuple[str, str]] = []
    name = ""
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            handle, tmp = tempfile.mkstemp(dir=out, prefix=f".{name}.", suffix=".tmp")
            staged.append((tmp, name))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(tmp, 0o644)  # mkstemp creates 0600; build output is meant to be shared
        for tmp, name in staged:
            os.replace(tmp, out / name)
    except OSError as exc:
        raise _write_error(out / name, exc) from None
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)


def _write_error(path: Path, exc: OSError) -> KgError:
    hints = {
        errno.ENOSPC: "the disk is full: free some space and run the command again",
        errno.EROFS: "the file system is read-only: write somewhere else",
        errno.EACCES: "you may not write there: check the folder's permissions",
        errno.EPERM: "you may not write there: check the folder's permissions",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.EEXIST: "a part of the path is a file, not a folder",
    }
    return KgError(
        f"cannot write {path}: {exc.strerror or exc}",
        hint=hints.get(exc.errno or 0, "nothing was replaced; fix the cause and run it again"),
    )
