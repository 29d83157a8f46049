"""kg: a knowledge graph of health counterpart assistance, built from annotated news articles.

The library API mirrors the CLI: ``kg.build(seeds_dir, out_dir)`` runs the whole pipeline
and returns a :class:`kg.pipeline.BuildResult`. Heavy libraries are imported lazily so that
``import kg`` and ``kg --help`` stay instant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.errors import KgError

if TYPE_CHECKING:
    from kg.pipeline import BuildResult

__all__ = ["BuildResult", "KgError", "build"]
__version__ = "0.1.0"


def build(seeds_dir: Any = "seeds", out_dir: Any = "build") -> BuildResult:
    """Run the whole pipeline (see :func:`kg.pipeline.build`)."""
    from kg.pipeline import build as _build

    return _build(seeds_dir, out_dir)
