"""Whether the suggestion engine runs compiled (mypyc, built by ``hatch_build.py`` at install
time) or from its Python sources.

The compiled modules sit in ``_annotator_compiled/`` beside the package, with the SHA-256 of the
sources they were built from. Importing this module puts a finder first on ``sys.meta_path`` that
loads them in place of the engine's sources, only when every one of those sources is unchanged:
mypyc's modules call each other directly in C, so one edited source means none of them may load,
or the edit would silently not run.

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
ENGINE = "annotator.core.suggest"
_SOURCES = Path(__file__).resolve().parent / "suggest"


@functools.cache
def _compiled_root() -> Path | None:
    if os.environ.get("ANNOTATOR_PURE_PYTHON") == "1":
        return None
    spec = importlib.util.find_spec("_annotator_compiled")
    if spec is None or spec.origin is None:
        return None
    root = Path(spec.origin).parent
    import _annotator_compiled  # type: ignore[import-not-found]

    expected: dict[str, str] = _annotator_compiled.SOURCES
    present = {p.relative_to(_SOURCES).as_posix() for p in _SOURCES.rglob("*.py")}
    present = {p for p in present if not p.endswith("__init__.py")}
    if present != expected.keys():
        log.info("engine modules added or removed since compiled: running the sources")
        return None
    for rel, digest in expected.items():
        if hashlib.sha256((_SOURCES / rel).read_bytes()).hexdigest() != digest:
            log.info("%s changed since compiled: running the engine's sources", rel)
            return None
    return root


class _CompiledFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if not name.startswith(ENGINE + "."):
            return None
        root = _compiled_root()
        if root is None:
            return None
        *packages, module = name.removeprefix(ENGINE + ".").split(".")
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            so = root.joinpath(*packages, module + suffix)
            if so.is_file():
                return importlib.util.spec_from_file_location(name, so)
        return None  # a package (its __init__ stays Python) or a module left uncompiled


def engine_is_compiled() -> bool:
    return _compiled_root() is not None


if not any(isinstance(f, _CompiledFinder) for f in sys.meta_path):
    sys.meta_path.insert(0, _CompiledFinder())
