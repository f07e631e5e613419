"""`pip install .` must give a working app: migrations, tagset and samples ship in the wheel, and
the suggestion engine compiled by mypyc (hatch_build.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# What `pip install .` does by default, whatever this test run's environment asks for.
_COMPILING = {k: v for k, v in os.environ.items() if k != "ANNOTATOR_PURE_PYTHON"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        env=_COMPILING,
        check=True,
        capture_output=True,
        timeout=900,  # mypyc type-checks and compiles the engine: minutes on a busy machine
    )
    (found,) = out.glob("annotator-*.whl")
    return found


def test_the_wheel_carries_migrations_tagset_and_samples(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "annotator/_db/env.py" in names
    assert any(n.startswith("annotator/_db/versions/0001") for n in names)
    assert "annotator/_resources/tagsets/default.toml" in names
    assert any(n.startswith("annotator/_resources/samples/") for n in names)
    assert not any(n.startswith("tests/") for n in names)


def test_the_wheel_carries_the_compiled_engine_and_says_it_is_not_pure(wheel):
    archive = zipfile.ZipFile(wheel)
    names = set(archive.namelist())
    core = REPO / "annotator" / "core"
    sources = [p for p in (core / "suggest").rglob("*.py") if p.name != "__init__.py"]
    modules = {p.relative_to(core).with_suffix("").as_posix() for p in sources} | {"sentences"}
    prefix = "_annotator_compiled/"
    built = [n for n in names if n.startswith(prefix) and n.endswith(".so")]
    compiled = {n.removeprefix(prefix).split(".")[0] for n in built}
    assert compiled == modules
    assert any(n.startswith("annotator__mypyc.") and n.endswith(".so") for n in names)
    assert "_annotator_compiled/__init__.py" in names
    assert "-py3-none-any" not in wheel.name  # a platform wheel: it holds compiled code
    wheel_meta = next(n for n in names if n.endswith(".dist-info/WHEEL"))
    assert "Root-Is-Purelib: false" in archive.read(wheel_meta).decode()


def test_the_installed_wheel_creates_a_database_outside_the_checkout(wheel, tmp_path):
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    work = tmp_path / "elsewhere"
    work.mkdir()
    script = (
        "import annotator, sys\n"
        "from annotator.services.app import open_app\n"
        "from annotator.core.resources import resources_dir\n"
        "assert 'site' in annotator.__file__, annotator.__file__\n"
        "import annotator.core.suggest.engine as engine\n"
        "assert engine.__file__.endswith('.so') and 'site' in engine.__file__, engine.__file__\n"
        "app = open_app(sys.argv[1])\n"
        "print(app.tagset.keys, resources_dir().name)\n"
    )
    env = {**_COMPILING, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", script, str(work / "db.sqlite3")],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "('athlete', 'event', 'date', 'error') _resources" in result.stdout


def test_the_installed_wheel_installs_the_menu_entry_with_its_icon(wheel, tmp_path):
    # run-app.sh installs the wheel (not editable) and then runs `annotator install-desktop`.
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    data = tmp_path / "data"
    env = {**os.environ, "PYTHONPATH": str(target), "XDG_DATA_HOME": str(data)}
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "install-desktop"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    icon = data / "icons" / "hicolor" / "scalable" / "apps" / "annotator.svg"
    assert icon.read_bytes() == (REPO / "resources" / "icons" / "annotator.svg").read_bytes()
    assert (data / "applications" / "annotator.desktop").is_file()


def _build(out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        env={**_COMPILING, **env},
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_without_a_compiler_the_build_says_what_is_missing_and_how_to_go_without(tmp_path):
    # CC is what setuptools compiles mypyc's C with: `false` is a compiler that always fails.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    failed = _build(tmp_path / "a", CC="false", TMPDIR=str(scratch))
    assert failed.returncode != 0
    said = failed.stdout + failed.stderr
    assert "mypyc could not compile the suggestion engine" in said
    assert "ANNOTATOR_PURE_PYTHON=1" in said
    assert not list((tmp_path / "a").glob("*.whl"))
    assert not list(scratch.glob("annotator-mypyc-*"))  # the failed build's files removed
    # Asked for, the sources alone install: a pure wheel, no compiler needed.
    pure = _build(tmp_path / "b", CC="false", ANNOTATOR_PURE_PYTHON="1")
    assert pure.returncode == 0, pure.stderr
    (wheel,) = (tmp_path / "b").glob("annotator-*.whl")
    assert wheel.name.endswith("-py3-none-any.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert not any(n.startswith("_annotator_compiled/") or n.endswith(".so") for n in names)
    assert "annotator/core/suggest/claims.py" in names
