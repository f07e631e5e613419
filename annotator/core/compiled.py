"""Whether the suggestion engine (``annotator.core.suggest`` and the sentence splitter,
``annotator.core.sentences``) runs compiled (mypyc, built by ``hatch_build.py`` at install time)
or from its Python sources.

The compiled modules sit in ``_annotator_compiled/`` beside the package, with the SHA-256 of the
sources they were built from. ``install_finder`` (called by ``annotator/core/__init__.py``) puts
a finder first on ``sys.meta_path`` that loads them in place of the sources, only when every one
of those sources is unchanged: mypyc's modules call each other directly in C, so one edited
source means none of them may load, or the edit would silently not run. This module imports the
standard library alone: ``hatch_build.py`` reads ``engine_sources`` from it at build time.

``ANNOTATOR_PURE_PYTHON=1`` runs the sources even when compiled modules match (profiling with
cProfile, comparing the two).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

log = logging.getLogger(__name__)
_CORE = Path(__file__).resolve().parent
PREFIX = "annotator.core."


def engine_sources() -> set[str]:
    """The sources hatch_build.py compiles, relative to annotator/core. Package __init__ files
    stay Python: annotator.core's installs the finder before anything else loads."""
    engine = {p.relative_to(_CORE).as_posix() for p in (_CORE / "suggest").rglob("*.py")}
    return {p for p in engine if not p.endswith("__init__.py")} | {"sentences.py"}


@functools.cache
def compiled_modules() -> dict[str, Path]:
    """Module name → its compiled file, when the installed build matches every source; empty
    when there is none, it is stale, or ANNOTATOR_PURE_PYTHON=1."""
    if os.environ.get("ANNOTATOR_PURE_PYTHON") == "1":
        return {}
    try:
        import _annotator_compiled  # type: ignore[import-not-found]
    except ImportError:
        return {}
    root = Path(_annotator_compiled.__file__).parent
    expected: dict[str, str] = _annotator_compiled.SOURCES
    if engine_sources() != expected.keys():
        log.info("engine modules added or removed since compiled: running the sources")
        return {}
    for rel, digest in expected.items():
        if hashlib.sha256((_CORE / rel).read_bytes()).hexdigest() != digest:
            log.info("%s changed since compiled: running the engine's sources", rel)
            return {}
    found = {}
    for rel in expected:
        stem = root / rel.removesuffix(".py")
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            if (so := stem.with_name(stem.name + suffix)).is_file():
                found[PREFIX + rel.removesuffix(".py").replace("/", ".")] = so
                break
    if len(found) != len(expected):
        log.info("the compiled build is incomplete: running the engine's sources")
        return {}
    return found


class _CompiledFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if not name.startswith(PREFIX):
            return None
        so = compiled_modules().get(name)
        return importlib.util.spec_from_file_location(name, so) if so is not None else None


def engine_is_compiled() -> bool:
    return bool(compiled_modules())


def install_finder() -> None:
    """Called by annotator/core/__init__.py, before any module the finder serves can load: a
    module loaded from its source first (sentences, say) would stay so in sys.modules while the
    compiled ones call its compiled twin, whose globals nothing initialised."""
    if not any(isinstance(f, _CompiledFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _CompiledFinder())
