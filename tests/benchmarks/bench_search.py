"""Corpus search (``app.search``) over 100,000 documents, against a bare ``LIKE`` scan.

Run on demand (pytest does not collect it):

    python tests/benchmarks/bench_search.py [--documents 100000] [--repeat 7] [--fresh]
                                            [--pg-documents 20000]

The SQLite database is a real annotator database (made by ``open_app``, so by the
migrations, full-text index and triggers included), filled with generated race reports of
1-3 KB (bench_export_1m.ArticleMaker, fixed seed) and five spans each, inserted straight
through ``sqlite3`` in one transaction: the index is filled by the triggers, as for any
import, and the benchmark checks that it holds every document. A rare name is planted in a
few documents. The database is cached in the temp folder (``annotator-bench/``), reused while
its recorded parameters match, rebuilt by ``--fresh``.

Measured, as the median of ``--repeat`` runs after one warm-up: the searches the window's
search panel runs (``limit=500``) — a rare word, a common word, a phrase, substrings,
regular expressions, spans by filter — and the baseline, a bare ``sqlite3`` scan
``SELECT document_id FROM document_texts WHERE text LIKE '%word%'`` for the rare word.
Searches that cannot use the index (a two-letter query) and span searches (plain SQL on the
annotations; a note's text is a scan of them) are printed but not judged.

Target: each indexed text search < 200 ms. Exit status 0 when met, else 1.

With ANNOTATOR_TEST_PG_URL set (see tests/conftest.py), the same searches also run on a
PostgreSQL database of ``--pg-documents`` documents, created and dropped by the benchmark.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
for folder in (REPO, HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from bench_export_1m import ArticleMaker, span_rows  # noqa: E402

from annotator.services.app import App, open_app  # noqa: E402
from annotator.services.search import SpanQuery, TextQuery  # noqa: E402
from annotator.services.search_text import trigram_match  # noqa: E402

GENERATOR_VERSION = 1
SEED = 20261206
META_KEY = "bench_search"
TARGET_MS = 200.0
RARE = "Vorhultsen"
PLANTED_EVERY = 9_973  # a prime: ~10 documents in 100,000
SPANS_PER_DOCUMENT = 5
SPAN_COLUMNS = ("document_id", "start", "end", "label", "text", "error_type", "correction",
                "note", "value", "entity", "annotator", "layer", "origin", "status",
                "confidence", "rule")  # fmt: skip
QUOTED = ", ".join(f'"{c}"' for c in SPAN_COLUMNS)

#: (name, query, judged against the target)
TEXT_SEARCHES: list[tuple[str, TextQuery, bool]] = [
    ("rare word", TextQuery(RARE), True),
    ("rare word, whole words", TextQuery(RARE, mode="words"), True),
    ("common word, whole words", TextQuery("final", mode="words"), True),
    ("phrase", TextQuery("fastest time in the world", mode="words"), True),
    ("substring (common)", TextQuery("ebrigts"), True),
    ("substring (rare)", TextQuery("rhultse"), True),
    ("regex with a literal", TextQuery(RARE[:6] + r"\w+", mode="regex"), True),
    (
        "regex, case-sensitive",
        TextQuery(r"\d:\d\d\.\d\d in the 3000m", mode="regex", case=True),
        True,
    ),
    ("two letters, no index", TextQuery("Zq"), False),
]
SPAN_SEARCHES: list[tuple[str, SpanQuery]] = [
    ("spans: label + status + rule", SpanQuery(label="athlete", status="pending", rule="kb-alias")),
    ("spans: note text", SpanQuery(note="zzz-not-there")),
]


def _text(maker: ArticleMaker, n: int) -> tuple[str, str, list]:
    title, text, _published, chosen = maker.article(n, SPANS_PER_DOCUMENT)
    if n % PLANTED_EVERY == 0:
        cut = text.index("\n\n") + 2
        text = f"{text[:cut]}Tsegaye {RARE} was the surprise of the day. {text[cut:]}"
        shift = len(f"Tsegaye {RARE} was the surprise of the day. ")
        chosen = [(s + shift, e + shift, *rest) if s >= cut else (s, e, *rest)
                  for s, e, *rest in chosen]  # fmt: skip
    return title, text, chosen


def build_sqlite(path: Path, documents: int) -> None:
    params = {"version": GENERATOR_VERSION, "documents": documents, "seed": SEED}
    if path.exists():
        with closing(sqlite3.connect(path)) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (META_KEY,)).fetchone()
        if row and json.loads(row[0]) == params:
            return
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    open_app(path, annotator="bench").close()  # the migrations: schema, index, triggers
    maker = ArticleMaker(SEED)
    rng = random.Random(SEED)
    started = time.perf_counter()
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("BEGIN")
        for first in range(0, documents, 5000):
            docs, texts, spans = [], [], []
            for n in range(first, min(first + 5000, documents)):
                title, text, chosen = _text(maker, n)
                docs.append((n + 1, title, hashlib.sha256(text.encode()).hexdigest()))
                texts.append((n + 1, text))
                for row in span_rows(rng, n + 1, text, chosen):
                    row["layer"] = row["annotator"] or ""
                    spans.append(tuple(row[c] for c in SPAN_COLUMNS))
            conn.executemany(
                "INSERT INTO documents (id, title, sha256, status, created_at, "
                "updated_at) VALUES (?, ?, ?, 'new', CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP)",
                docs,
            )
            conn.executemany("INSERT INTO document_texts (document_id, text) VALUES (?, ?)", texts)
            conn.executemany(
                f"INSERT OR IGNORE INTO annotations ({QUOTED}) "
                f"VALUES ({', '.join('?' * len(SPAN_COLUMNS))})",
                spans,
            )
            print(f"\r  building: {first + len(docs):,} documents", end="", file=sys.stderr)
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (META_KEY, json.dumps(params)))
        conn.execute("COMMIT")
        # What users get: the triggers indexed every text as it arrived.
        indexed = conn.execute("SELECT COUNT(*) FROM document_search_docsize").fetchone()[0]
        planted = conn.execute(
            "SELECT COUNT(*) FROM document_search WHERE document_search MATCH ?",
            (trigram_match(RARE),),
        ).fetchone()[0]
    print(
        f"\r  built {documents:,} documents in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    assert indexed == documents, (indexed, documents)
    assert planted == len(range(0, documents, PLANTED_EVERY)), planted


def median_ms(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    result = fn()  # warm-up: page cache, statement cache
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def run_searches(app: App, repeat: int, baseline_ms: float | None) -> bool:
    ok = True
    print(f"  {'search':34} {'median':>9} {'hits':>5} {'docs':>6} {'ratio':>7}  target")
    for name, query, judged in TEXT_SEARCHES:
        ms, result = median_ms(lambda q=query: app.search.text(q), repeat)
        ok &= _line(name, ms, result, baseline_ms, judged)
    for name, span_query in SPAN_SEARCHES:
        ms, result = median_ms(lambda q=span_query: app.search.spans(q), repeat)
        _line(name, ms, result, baseline_ms, judged=False)
    return ok


def _line(name: str, ms: float, result, baseline_ms: float | None, judged: bool) -> bool:
    met = ms < TARGET_MS
    ratio = f"{ms / baseline_ms:6.2f}x" if baseline_ms else "      -"
    verdict = ("ok" if met else "SLOW") if judged else "(not judged)"
    more = "+" if result.truncated else " "
    print(
        f"  {name:34} {ms:7.1f}ms {len(result.hits):>4}{more} {result.documents:>6} "
        f"{ratio}  {verdict}"
    )
    return met or not judged


def bench_sqlite(args: argparse.Namespace) -> bool:
    path = Path(tempfile.gettempdir()) / "annotator-bench" / f"search-{args.documents}.sqlite3"
    if args.fresh and path.exists():
        path.unlink()
    build_sqlite(path, args.documents)
    size = path.stat().st_size / 1e6
    with closing(sqlite3.connect(path)) as conn:
        text_mb = (
            conn.execute("SELECT SUM(LENGTH(CAST(text AS BLOB))) FROM document_texts").fetchone()[0]
            / 1e6
        )
        index_mb = (
            conn.execute(
                "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'document_search%'"
            ).fetchone()[0]
            / 1e6
            if _has_dbstat(conn)
            else float("nan")
        )
        baseline_ms, rows = median_ms(
            lambda: conn.execute(
                "SELECT document_id FROM document_texts WHERE text LIKE ?", (f"%{RARE.lower()}%",)
            ).fetchall(),
            args.repeat,
        )
    print(
        f"SQLite {sqlite3.sqlite_version}: {args.documents:,} documents, {text_mb:.0f} MB of "
        f"text, full-text index {index_mb:.0f} MB, file {size:.0f} MB"
    )
    print(
        f"  baseline: bare LIKE scan for the rare word: {baseline_ms:.1f} ms "
        f"({len(rows)} documents)"
    )
    app = open_app(path, annotator="bench")
    try:
        return run_searches(app, args.repeat, baseline_ms)
    finally:
        app.close()


def _has_dbstat(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute("SELECT 1 FROM dbstat LIMIT 1")
        return True
    except sqlite3.OperationalError:
        return False


def bench_postgres(args: argparse.Namespace, admin_url: str) -> bool:
    from pg_server import PgAdmin
    from sqlalchemy import text

    admin = PgAdmin(admin_url)
    name = admin.create_database("bench_search")
    url = admin.url_for(name)
    try:
        open_app(url, annotator="bench").close()
        app = open_app(url, annotator="bench")
        maker, rng = ArticleMaker(SEED), random.Random(SEED)
        started = time.perf_counter()
        with app.db.transaction() as conn:
            for first in range(0, args.pg_documents, 5000):
                docs, texts, spans = [], [], []
                for n in range(first, min(first + 5000, args.pg_documents)):
                    title, body, chosen = _text(maker, n)
                    docs.append(
                        {
                            "id": n + 1,
                            "title": title,
                            "sha": hashlib.sha256(body.encode()).hexdigest(),
                        }
                    )
                    texts.append({"id": n + 1, "text": body})
                    for row in span_rows(rng, n + 1, body, chosen):
                        row["layer"] = row["annotator"] or ""
                        spans.append({c: row[c] for c in SPAN_COLUMNS})
                conn.execute(
                    text("INSERT INTO documents (id, title, sha256) VALUES (:id, :title, :sha)"),
                    docs,
                )
                conn.execute(text("INSERT INTO document_texts VALUES (:id, :text)"), texts)
                conn.execute(
                    text(
                        f"INSERT INTO annotations ({QUOTED}) VALUES "
                        f"({', '.join(':' + c for c in SPAN_COLUMNS)}) "
                        "ON CONFLICT DO NOTHING"
                    ),
                    spans,
                )
            conn.execute(text("ANALYZE"))
        print(
            f"\nPostgreSQL: {args.pg_documents:,} documents (loaded in "
            f"{time.perf_counter() - started:.0f} s)"
        )
        try:
            with app.db.engine.connect() as conn:
                baseline_ms, _ = median_ms(
                    lambda: conn.execute(
                        text("SELECT document_id FROM document_texts WHERE text LIKE :p"),
                        {"p": f"%{RARE}%"},
                    ).all(),
                    args.repeat,
                )
            print(f"  baseline: bare LIKE for the rare word: {baseline_ms:.1f} ms")
            return run_searches(app, args.repeat, baseline_ms)
        finally:
            app.close()
    finally:
        admin.drop_database(name)
        admin.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--pg-documents", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    ok = bench_sqlite(args)
    admin_url = os.environ.get("ANNOTATOR_TEST_PG_URL")
    if admin_url and args.pg_documents:
        sys.path.insert(0, str(REPO / "tests"))
        ok &= bench_postgres(args, admin_url)
    print("all targets met" if ok else "some targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
