"""A killed process loses nothing it reported as saved: each action commits before returning."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import textwrap
import time
from contextlib import closing

from sqlalchemy import select

from annotator.store.database import open_database
from annotator.store.models import AnnotationRow

TEXT = "Jakob Ingebrigsten beat Josh Kerr in Tokyo on 13 September 2025. 🏃‍♀️ " * 20

# Creates spans one by one through the real services, printing "<n> <id>" after each commit.
WRITER = textwrap.dedent(
    """
    import hashlib, sys
    from annotator.core.textload import LoadedArticle
    from annotator.services.app import open_app
    from annotator.services.importing import import_articles

    text = sys.argv[2]
    app = open_app(sys.argv[1], annotator="crash-test")
    article = LoadedArticle("crash", text, None, hashlib.sha256(text.encode()).hexdigest(),
                            "crash.txt", "utf-8")
    doc = import_articles(app.db, [article]).imported[0][0]
    print("doc", doc, flush=True)
    for n in range(1_000_000):
        start = n % (len(text) - 10)
        span = app.annotations.create(document_id=doc, start=start, end=start + 1 + n % 9,
                                      label="error", error_type="other", note=f"note {n}")
        print(n, span.id, flush=True)
    """
)

WANTED = 40
DEADLINE_SECONDS = 60


def _read_lines(proc: subprocess.Popen, count: int) -> list[str]:
    """Read ``count`` lines from the child's stdout, waiting on the pipe with a deadline."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    buffer = b""
    lines: list[str] = []
    deadline = time.monotonic() + DEADLINE_SECONDS
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while len(lines) < count:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"only {len(lines)} lines from the writer: {lines[-3:]}"
            if not selector.select(remaining):
                continue
            chunk = os.read(fd, 65536)
            assert chunk, f"the writer exited early: {proc.wait()} {proc.stderr.read()!r}"
            buffer += chunk
            *complete, buffer = buffer.split(b"\n")
            lines += [line.decode() for line in complete]
    return lines


def test_every_span_reported_as_saved_survives_a_sigkill(db_path):
    env = {**os.environ, "ANNOTATOR_DB": str(db_path)}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path), TEXT],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        lines = _read_lines(proc, WANTED + 1)
    finally:
        # Killed while it is still creating spans (it would write a million).
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL

    assert lines[0].startswith("doc ")
    doc = int(lines[0].split()[1])
    saved = {int(span_id): int(n) for n, span_id in (line.split() for line in lines[1:])}
    assert len(saved) >= WANTED

    db = open_database(db_path)
    try:
        with db.sessions() as session:
            rows = {
                row.id: row
                for row in session.scalars(
                    select(AnnotationRow).where(AnnotationRow.id.in_(list(saved)))
                )
            }
        with closing(db.engine.raw_connection()) as raw:
            assert raw.cursor().execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.close()
    assert set(rows) == set(saved)
    for span_id, n in saved.items():
        row = rows[span_id]
        start = n % (len(TEXT) - 10)
        assert (row.document_id, row.start, row.end) == (doc, start, start + 1 + n % 9)
        assert row.text == TEXT[row.start : row.end]
        assert (row.label, row.error_type, row.note) == ("error", "other", f"note {n}")
        assert (row.annotator, row.status, row.origin) == ("crash-test", "accepted", "manual")
