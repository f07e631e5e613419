"""Build hook: compiles the suggestion engine (``annotator/core/suggest``, and the sentence
splitter it cuts every text with, ``annotator/core/sentences.py``) with mypyc.

The engine is plain typed Python spread over many small rules, so no single hot loop is worth a
C extension of its own; mypyc compiles the same sources, as they are, to C (about 1.2 times
faster on ``tests/benchmarks/bench_suggest.py``).

The compiled modules never go into the source tree, where they would shadow later edits: they
are built in a temporary directory and installed as ``_annotator_compiled/`` beside the package,
with the SHA-256 of every source they were built from. The finder of
``annotator/core/compiled.py`` loads them only while every source still matches, so an editable
checkout that has been edited runs its edits (pure Python, until the next ``pip install``).

``ANNOTATOR_PURE_PYTHON=1`` at install time skips the compilation.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

CORE = "annotator/core"
TARGET = "_annotator_compiled"
# Runs in a child process: setuptools keeps global state, and its build_ext is what mypyc
# drives. No package discovery: the project's own metadata is hatchling's, not setuptools'.
_SETUP = """
import sys
from mypyc.build import mypycify
from setuptools import setup
work, *paths = sys.argv[1:]
modules = mypycify(
    [f"--cache-dir={work}/mypy-cache", *paths],
    opt_level="3",
    group_name="annotator",
    target_dir=f"{work}/c",
)
setup(
    name="annotator-compiled",
    packages=[],
    py_modules=[],
    ext_modules=modules,
    script_args=["build_ext", "--build-lib", f"{work}/lib", "--build-temp", f"{work}/tmp"],
)
"""


def engine_sources(root: Path) -> list[Path]:
    """The files to compile, as the finder that loads them counts them: read from
    annotator/core/compiled.py itself (standard library only), not from an installed
    annotator, which the build environment does not have."""
    spec = importlib.util.spec_from_file_location("_annotator_build_compiled",
                                                  root / CORE / "compiled.py")  # fmt: skip
    assert spec is not None and spec.loader is not None
    compiled = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(compiled)
    return sorted(root / CORE / rel for rel in compiled.engine_sources())


class CompileEngine(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or os.environ.get("ANNOTATOR_PURE_PYTHON") == "1":
            return
        root = Path(self.root)
        sources = engine_sources(root)
        self._work = Path(tempfile.mkdtemp(prefix="annotator-mypyc-"))
        work = self._work
        done = subprocess.run(
            [sys.executable, "-c", _SETUP, str(work), *(str(p.relative_to(root)) for p in sources)],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        if done.returncode:
            shutil.rmtree(work, ignore_errors=True)  # finalize is not called after a failure
            raise RuntimeError(
                "mypyc could not compile the suggestion engine (a C compiler and the Python "
                "headers are needed: scripts/system-deps.sh installs them; "
                "ANNOTATOR_PURE_PYTHON=1 installs without compiling):\n" + done.stdout[-6000:]
            )
        lib = work / "lib"
        built = lib / CORE
        digests = {
            p.relative_to(root / CORE).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sources
        }
        manifest = work / "__init__.py"
        manifest.write_text(
            '"""The suggestion engine compiled by mypyc (hatch_build.py), and the SHA-256 of '
            'each source it was built from."""\n\nSOURCES = ' + repr(digests) + "\n",
            encoding="utf-8",
        )
        files = {str(manifest): f"{TARGET}/__init__.py"}
        for so in built.rglob("*.so"):
            files[str(so)] = f"{TARGET}/{so.relative_to(built).as_posix()}"
        for so in lib.glob("*__mypyc*.so"):  # the shared library the modules above load
            files[str(so)] = so.name
        if version == "editable":
            build_data["force_include_editable"] = {
                **self.build_config.get_force_include(),
                **files,
            }
        else:
            build_data["force_include"].update(files)
            build_data["pure_python"] = False
            build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        work = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
