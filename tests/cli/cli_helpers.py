"""Running the command line as a user does, and checking its errors.

``run_cli`` calls ``annotator.cli.main.main(argv)`` in this process, with the environment,
working folder, standard output and error and the logging set up as a fresh process would
have them, and returns what a subprocess would (exit status, stdout, stderr). Starting Python
and importing the program for every command cost two seconds a test; the few tests about
the process itself (start-up, exit on a closed pipe, what gets imported) pass
``process=True`` for a real ``python -m annotator``.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path


def run_cli(
    *args: str, db: Path, cwd: Path | None = None, process: bool = False
) -> subprocess.CompletedProcess:
    # In this process QT_QPA_PLATFORM stays the suite's (conftest: offscreen with a desktop-
    # sized screen): a Qt application a command makes (the PDF report) outlives the command,
    # and the window tests after it need that screen.
    env = {"ANNOTATOR_DB": str(db)}
    if process:
        return subprocess.run(
            [sys.executable, "-m", "annotator", *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**os.environ, **env, "QT_QPA_PLATFORM": "offscreen"},
            cwd=cwd,
            timeout=120,
        )
    from annotator.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with _environment(env), _folder(cwd), _fresh_logging(), warnings.catch_warnings():
        # A process starts with Python's default warning filters, not the suite's "error".
        warnings.resetwarnings()
        warnings.simplefilter("default")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main(list(args))
            except SystemExit as exc:  # argparse's usage errors
                status = exc.code if isinstance(exc.code, int) else 1
    return subprocess.CompletedProcess(list(args), status, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    before = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def _folder(cwd: Path | None) -> Iterator[None]:
    if cwd is None:
        yield
        return
    before = Path.cwd()
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(before)


@contextlib.contextmanager
def _fresh_logging() -> Iterator[None]:
    """The root logger as a new process has it (no handlers), so the command's own set-up
    writes to the redirected stderr; the suite's handlers come back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    root.handlers = []
    try:
        yield
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers = handlers
        root.setLevel(level)
        logging.captureWarnings(False)


def new_database(path: Path) -> Path:
    """An empty annotator database at ``path``: the commands that only read refuse a path
    where none exists."""
    from annotator.services.app import open_app

    open_app(path).close()
    return path


def assert_one_line_error(result: subprocess.CompletedProcess, *needles: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("annotator: error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]
