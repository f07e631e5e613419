"""Exporting 1,000,000 spans over 50,000 documents to JSONL, against a bare sqlite3 loop.

Run on demand (pytest does not collect it):

    python tests/benchmarks/bench_export_1m.py [--documents 50000] [--small 10000]
                                               [--repeat 3] [--fresh]

The database is a real annotator database (made by ``open_app``, so by the migrations):
50,000 generated race reports of 1-3 KB (fixed seed) imported with ``import_articles``, and
20 spans per document (athletes, events, dates and errors, the errors with error_type,
correction and often a note; about one in seven pending suggestions) bulk-inserted with
SQLAlchemy Core. Building it is setup, not measured; it is cached in the temp folder
(``annotator-bench/``) and reused while its recorded parameters match; ``--fresh`` rebuilds
it. A second database holding the first ``--small`` documents of the first (copied by SQL)
gives the constant-memory check.

Measured, each in a fresh child process so that peak memory is its own:

* annotator: ``export_dataset(db, out, format="jsonl", include_pending=True)``;
* baseline: one bare ``sqlite3`` query for documents joined with their texts in id order and
  one for their spans (accepted and pending) in (document, start, end, id) order, streamed
  side by side; each document becomes a dict with the dataset's keys (its spans dicts with
  the dataset's span keys) and goes out as ``json.dumps(record, ensure_ascii=False,
  separators=(",", ":"))`` plus a newline. It writes the same records, byte for byte (the
  benchmark checks), but neither fsyncs nor writes through a temporary file as the
  annotator's atomic export does: that durability is counted against the annotator.

The clock runs around the export call (or the baseline loop) only, not the child's start-up,
imports or ``open_app``. Timings are the best of ``--repeat`` runs (alternating sides: the
machine may be shared). Memory: RSS just before the call, and the high-water mark of RSS
during it (the kernel's VmHWM, reset just before the call; ru_maxrss of the whole child
where that cannot be reset). Exporting ``--small`` and then all documents shows whether the
export streams: its peak must not grow with the corpus.

Targets: export throughput >= 0.5x the baseline's; peak RSS growth during the export within
max(10 MB, 10 %) between the small and the full corpus. Exit status 0 when both are met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

TARGET_RATIO = 0.5
#: Allowed growth of the export's peak RSS from the small corpus to the full one.
MEMORY_SLACK_MB = 10.0
MEMORY_SLACK_SHARE = 0.10
#: Bump when the generated data changes, so cached databases are rebuilt.
GENERATOR_VERSION = 1
SEED = 20250914
CHUNK = 5000
META_KEY = "bench_export_1m"

DOCUMENT_KEYS = ("id", "title", "source", "published", "sha256", "text", "spans")
SPAN_KEYS = ("start", "end", "label", "text", "error_type", "correction", "note", "value",
             "entity", "annotator", "origin", "status")  # fmt: skip

# -- generated articles -----------------------------------------------------------------------

ATHLETES = [
    "Jakob Ingebrigtsen", "Josh Kerr", "Niels Laros", "Azeddine Habz", "Yared Nuguse",
    "Faith Kipyegon", "Femke Bol", "Karsten Warholm", "Mondo Duplantis", "Sifan Hassan",
    "Beatrice Chebet", "Cole Hocker", "Narve Gilje Nordås", "Gudaf Tsegay", "Jemma Reekie",
    "Yaroslava Mahuchikh", "Keely Hodgkinson", "Emmanuel Wanyonyi", "Letsile Tebogo",
    "Julien Alfred", "Sydney McLaughlin-Levrone", "Grant Fisher", "Ronald Kwemoi",
]  # fmt: skip
MISSPELT = {
    "Jakob Ingebrigtsen": "Jakob Ingebrigsten", "Faith Kipyegon": "Faith Kipyegeon",
    "Mondo Duplantis": "Mondo Duplantes", "Sifan Hassan": "Sifan Hasan",
    "Femke Bol": "Femke Boll", "Karsten Warholm": "Karsten Warhom",
    "Beatrice Chebet": "Beatrice Chebbet", "Narve Gilje Nordås": "Narve Gilje Nordas",
    "Yaroslava Mahuchikh": "Yaroslava Mahuchik", "Keely Hodgkinson": "Keely Hodgkingson",
}  # fmt: skip
#: Running events with a plausible range of winning times, in seconds.
RACES = {"100m": (9.7, 11.2), "800m": (101, 122), "1500m": (206, 245), "mile": (223, 262),
         "3000m": (445, 520), "5000m": (755, 890), "10,000m": (1580, 1850),
         "400m hurdles": (46, 55), "3000m steeplechase": (483, 560),
         "marathon": (7250, 8500)}  # fmt: skip
EVENTS = [*RACES, "pole vault", "high jump", "long jump", "shot put"]
PLACES = ["Tokyo", "Zürich", "Oslo", "Eugene", "Paris", "Budapest", "Brussels", "Monaco",
          "Rome", "Xiamen", "Doha", "Nairobi", "Silesia", "Stockholm"]  # fmt: skip
VERBS = ["wins", "breaks the meeting record in", "takes silver in", "withdraws from",
         "dominates", "edges", "stuns the field in"]  # fmt: skip
# {a} {b}: athletes; {e}: event; {d}: date; {t}: a time; {p}: a place (not labelled).
TEMPLATES = [
    "{a} has made his feelings known on the rivalry with {b} ahead of the {e} in {p}.",
    "{a} ran a season's best of {t} in the {e} on {d}, finishing ahead of {b} in {p}.",
    "Speaking after the race in {p}, {a} said the {e} had been \u201cbrutal\u201d from the gun.",
    "The {e} final on {d} will see {a} face {b} once more.",
    "{b} stated that while {a} is a very tough opponent, the focus will not be on one rival.",
    "Fans in {p} watched {a} take the lead with 300 metres to go in the {e}.",
    "Coaches expect {a} and {b} to meet again at the Diamond League meeting in {p} on {d}.",
    "{a} clocked {t} in the {e} \u2013 the fastest time in the world this year \u2013 in {p}.",
    "\u201cI felt strong today,\u201d {a} told reporters in {p} after winning the {e} in {t}.",
    "On {d}, {b} finished second to {a} in the {e}, crossing the line in {t}.",
]


def _date_text(rng: random.Random) -> tuple[str, str]:
    day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(730))
    form = rng.randrange(3)
    shown = (day.strftime("%-d %B %Y"), day.strftime("%B %-d, %Y"), day.strftime("%-d %B"))
    return shown[form], day.isoformat()


def _race_time(rng: random.Random, event: str) -> str:
    low, high = RACES[event]
    seconds = round(rng.uniform(low, high), 2)
    if seconds < 60:
        return f"{seconds:.2f}"
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return f"{int(minutes)}:{rest:05.2f}"
    hours, minutes = divmod(int(minutes), 60)
    return f"{hours}:{minutes:02d}:{int(rest):02d}"


def _sentence(rng: random.Random) -> tuple[str, list[tuple]]:
    """A filled template and its span candidates: (start, end, label, error_type, correction,
    note, value, entity), offsets within the sentence."""
    template = rng.choice(TEMPLATES)
    a, b = rng.sample(ATHLETES, 2)
    date_shown, date_value = _date_text(rng)
    event = rng.choice(list(RACES) if "{t}" in template else EVENTS)
    fields = {"a": a, "b": b, "e": event, "p": rng.choice(PLACES), "d": date_shown,
              "t": _race_time(rng, event) if event in RACES else ""}  # fmt: skip
    wrong_name = fields["a"] in MISSPELT and rng.random() < 0.25
    if wrong_name:
        fields["a"] = MISSPELT[a]
    text = template.format(**fields)
    found: list[tuple] = []
    for key in "abedt":
        if "{" + key + "}" not in template:
            continue
        value = fields[key]
        start = text.find(value)
        end = start + len(value)
        if key in "ab":
            name = a if key == "a" else b
            entity = "athlete:" + name.lower().replace(" ", "-") if rng.random() < 0.5 else None
            found.append((start, end, "athlete", None, None, None, None, entity))
            if key == "a" and wrong_name:
                note = f"The name is spelt {a} in the entry lists." if rng.random() < 0.5 else None
                found.append((start, end, "error", "misspelled_name", a, note, None, None))
        elif key == "e":
            found.append((start, end, "event", None, None, None, None, None))
        elif key == "d":
            found.append((start, end, "date", None, None, None, date_value, None))
        elif rng.random() < 0.3:
            note = "Official results give a different time." if rng.random() < 0.5 else None
            found.append(
                (start, end, "error", "wrong_number", _race_time(rng, event), note, None, None)
            )
    return text, found


class ArticleMaker:
    """Deterministic race reports from a pool of pre-filled sentences (fast to assemble)."""

    def __init__(self, seed: int = SEED, pool: int = 6000) -> None:
        self.rng = random.Random(seed)
        self.pool = [_sentence(self.rng) for _ in range(pool)]

    def article(self, n: int, spans_per_document: int):
        """(title, text, published, spans): spans are candidate tuples with absolute offsets,
        sorted, ``spans_per_document`` of them."""
        rng = self.rng
        day = dt.date(2024, 1, 1) + dt.timedelta(days=n % 730)
        title = (f"{rng.choice(ATHLETES)} {rng.choice(VERBS)} the {rng.choice(EVENTS)} "
                 f"in {rng.choice(PLACES)} (report {n + 1})")  # fmt: skip
        parts = [title, "\n\n"]
        length = len(title) + 2
        candidates: list[tuple] = []
        target = rng.randint(1000, 3000)
        while length < target or len(candidates) < spans_per_document * 3 // 2:
            for _ in range(rng.randint(2, 5)):
                sentence, found = self.pool[rng.randrange(len(self.pool))]
                candidates.extend((length + s, length + e, *rest) for s, e, *rest in found)
                parts.append(sentence)
                parts.append(" ")
                length += len(sentence) + 1
            parts[-1] = "\n\n"
            length += 1
        parts.append(f"Report {n + 1}, filed {day:%-d %B %Y}.\n")
        text = "".join(parts)
        chosen = sorted(rng.sample(candidates, spans_per_document))
        return title, text, (day if n % 10 else None), chosen


def span_rows(rng: random.Random, document_id: int, text: str, chosen: list[tuple]):
    rows = []
    for start, end, label, error_type, correction, note, value, entity in chosen:
        pending = rng.random() < 0.15
        suggested = pending or rng.random() < 0.2
        rows.append({
            "document_id": document_id, "start": start, "end": end, "label": label,
            "text": text[start:end], "error_type": error_type, "correction": correction,
            "note": note, "value": value, "entity": entity,
            "annotator": None if pending else rng.choice(("alice", "bob", "chidi")),
            "origin": "suggested" if suggested else "manual",
            "status": "pending" if pending else "accepted",
            "confidence": round(rng.uniform(0.5, 1.0), 3) if suggested else None,
            "rule": rng.choice(("kb-alias", "date-explicit", "fuzzy-kb-athlete"))
            if suggested else None,
        })  # fmt: skip
    return rows


# -- the cached databases ---------------------------------------------------------------------


def _meta(path: Path) -> dict | None:
    if not path.exists():
        return None
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (META_KEY,)).fetchone()
    except sqlite3.Error:
        return None
    return json.loads(row[0]) if row else None


def _remove(path: Path) -> None:
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()


def _finish(path: Path, meta: dict) -> None:
    with closing(sqlite3.connect(path)) as conn:
        with conn:
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                (META_KEY, json.dumps(meta)),
            )
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def build_full(path: Path, documents: int, spans_per_document: int) -> None:
    from sqlalchemy import insert

    from annotator.core.textload import LoadedArticle
    from annotator.services.app import open_app
    from annotator.services.importing import import_articles
    from annotator.store.models import AnnotationRow

    _remove(path)
    started = time.perf_counter()
    maker = ArticleMaker()
    span_rng = random.Random(SEED + 1)
    app = open_app(path, annotator="bench")
    try:
        for first in range(0, documents, CHUNK):
            batch, chosen = [], []
            for n in range(first, min(first + CHUNK, documents)):
                title, text, published, spans = maker.article(n, spans_per_document)
                data = text.encode("utf-8")
                batch.append(LoadedArticle(
                    title=title, text=text, published=published,
                    sha256=hashlib.sha256(data).hexdigest(),
                    source=f"/bench/reports/{n // 1000:02d}/report_{n + 1:06d}.txt",
                    encoding="utf-8",
                ))  # fmt: skip
                chosen.append(spans)
            report = import_articles(app.db, batch)
            assert len(report.imported) == len(batch), report.summary()
            rows = []
            for (doc_id, _source), article, spans in zip(
                report.imported, batch, chosen, strict=True
            ):
                rows.extend(span_rows(span_rng, doc_id, article.text, spans))
            with app.db.engine.begin() as conn:
                conn.execute(insert(AnnotationRow.__table__), rows)
            done = first + len(batch)
            print(
                f"\r  built {done:,} documents, {done * spans_per_document:,} spans",
                end="",
                flush=True,
            )
    finally:
        app.close()
    _finish(path, {"documents": documents, "spans_per_document": spans_per_document,
                   "generator": GENERATOR_VERSION})  # fmt: skip
    print(f"\ncreated {path} in {time.perf_counter() - started:.1f} s")


def build_small(path: Path, full: Path, documents: int) -> None:
    """The first ``documents`` documents of ``full``, with their spans, in a database made
    by the migrations."""
    from annotator.services.app import open_app

    _remove(path)
    open_app(path, annotator="bench").close()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("ATTACH DATABASE ? AS full", (str(full),))
        with conn:
            conn.execute(
                "INSERT INTO documents SELECT * FROM full.documents WHERE id <= ?", (documents,)
            )
            conn.execute(
                "INSERT INTO document_texts SELECT * FROM full.document_texts "
                "WHERE document_id <= ?",
                (documents,),
            )
            conn.execute(
                "INSERT INTO annotations SELECT * FROM full.annotations WHERE document_id <= ?",
                (documents,),
            )
        conn.execute("DETACH DATABASE full")
    _finish(path, {**_meta(full), "documents": documents, "copied_from": full.name})
    print(f"created {path} (first {documents:,} documents)")


def ensure_databases(
    folder: Path, documents: int, small: int, spans_per_document: int, *, fresh: bool
) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    full = folder / f"export-{documents}x{spans_per_document}.sqlite3"
    want = {"documents": documents, "spans_per_document": spans_per_document,
            "generator": GENERATOR_VERSION}  # fmt: skip
    rebuilt = fresh or _meta(full) != want
    if rebuilt:
        build_full(full, documents, spans_per_document)
    else:
        print(f"reusing {full}")
    part = folder / f"export-{documents}x{spans_per_document}-first{small}.sqlite3"
    if rebuilt or _meta(part) != {**want, "documents": small, "copied_from": full.name}:
        build_small(part, full, small)
    else:
        print(f"reusing {part}")
    return full, part


# -- what runs in the measured child ----------------------------------------------------------


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> bool:
    """Reset the kernel's RSS high-water mark (VmHWM) to the current RSS (Linux >= 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        return False
    return True


def baseline_export(db: Path, out: Path) -> tuple[int, int]:
    """The bare loop: two streamed queries, dicts with the dataset's keys, json.dumps."""
    doc_keys, span_keys, dumps = DOCUMENT_KEYS[:-1], SPAN_KEYS, json.dumps
    documents = spans = 0
    with closing(sqlite3.connect(db)) as conn, out.open("w", encoding="utf-8", newline="") as fh:
        span_rows_ = conn.execute(
            f"SELECT document_id, {', '.join(f'[{k}]' for k in span_keys)} FROM annotations "
            "WHERE status IN ('accepted', 'pending') "
            'ORDER BY document_id, start, "end", id'
        )
        pending = next(span_rows_, None)
        for doc in conn.execute(
            "SELECT d.id, d.title, d.source, d.published, d.sha256, t.text "
            "FROM documents d JOIN document_texts t ON t.document_id = d.id ORDER BY d.id"
        ):
            doc_id = doc[0]
            # Spans of documents without a text row (none here) would be skipped, as the
            # export's inner join skips the document.
            while pending is not None and pending[0] < doc_id:
                pending = next(span_rows_, None)
            doc_spans = []
            while pending is not None and pending[0] == doc_id:
                doc_spans.append(dict(zip(span_keys, pending[1:], strict=True)))
                pending = next(span_rows_, None)
            record = dict(zip(doc_keys, doc, strict=True))
            record["spans"] = doc_spans
            fh.write(dumps(record, ensure_ascii=False, separators=(",", ":")))
            fh.write("\n")
            documents += 1
            spans += len(doc_spans)
    return documents, spans


def child(side: str, db: Path, out: Path) -> None:
    if side == "export":
        from annotator.services.app import open_app
        from annotator.services.exporting import export_dataset

        app = open_app(db, annotator="bench")
        run = lambda: export_dataset(  # noqa: E731
            app.db,
            out,
            format="jsonl",
            include_pending=True,
        )
    else:
        app = None
        run = lambda: baseline_export(db, out)  # noqa: E731
    rss_before = _status_mb("VmRSS")
    reset = _reset_peak()
    started = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - started
    peak = _status_mb("VmHWM") if reset else float("nan")
    process_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if app is not None:
        app.close()
        documents, spans = result.documents, result.spans
    else:
        documents, spans = result
    print(json.dumps({
        "side": side, "seconds": seconds, "documents": documents, "spans": spans,
        "bytes": out.stat().st_size, "rss_before_mb": rss_before,
        "peak_mb": peak if reset else process_peak, "process_peak_mb": process_peak,
        "peak_reset": reset,
    }))  # fmt: skip


# -- the driver -------------------------------------------------------------------------------


def measure(side: str, db: Path, out: Path) -> dict:
    command = [sys.executable, __file__, "--child", side, "--db", str(db), "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{side} run failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def warm_page_cache(*paths: Path) -> None:
    """Read the database files once, so that neither side pays for the first disk read."""
    for path in paths:
        with path.open("rb") as fh:
            while fh.read(1 << 24):
                pass


def verify(ours: Path, base: Path, db: Path) -> tuple[int, int, bool]:
    """Same lines and spans in both files, every span of ours consistent with its text.
    Returns (documents, spans, byte-identical)."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        want_docs = conn.execute("SELECT count(*) FROM document_texts").fetchone()[0]
        want_spans = conn.execute(
            "SELECT count(*) FROM annotations WHERE status IN ('accepted', 'pending')"
        ).fetchone()[0]

    def count(path: Path, check: bool) -> tuple[int, int]:
        documents = spans = 0
        last_id = 0
        with path.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                record = json.loads(line)
                if check:
                    assert tuple(record) == DOCUMENT_KEYS, (number, tuple(record))
                    assert record["id"] > last_id, f"line {number}: ids out of order"
                    last_id = record["id"]
                    text = record["text"]
                    for span in record["spans"]:
                        assert tuple(span) == SPAN_KEYS, (number, tuple(span))
                        assert text[span["start"] : span["end"]] == span["text"], (number, span)
                documents += 1
                spans += len(record["spans"])
        return documents, spans

    ours_counts, base_counts = count(ours, check=True), count(base, check=False)
    if not ours_counts == base_counts == (want_docs, want_spans):
        raise SystemExit(
            f"outputs differ: annotator {ours_counts}, baseline {base_counts}, "
            f"database {(want_docs, want_spans)}"
        )

    def digest(path: Path) -> str:
        h = hashlib.sha256()
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 24):
                h.update(chunk)
        return h.hexdigest()

    return want_docs, want_spans, digest(ours) == digest(base)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--spans-per-document", type=int, default=20)
    parser.add_argument(
        "--small",
        type=int,
        default=10_000,
        help="documents in the corpus for the constant-memory comparison",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per side (best kept)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the cached databases")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "annotator-bench"
    )
    parser.add_argument("--child", choices=("export", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.db, args.out)
        return 0

    full, small = ensure_databases(
        args.cache, args.documents, args.small, args.spans_per_document, fresh=args.fresh
    )
    print(
        f"database: {full.stat().st_size / 1e6:.0f} MB; {os.cpu_count()} CPUs, "
        f"best of {args.repeat} runs per side, each in a fresh process"
    )
    with tempfile.TemporaryDirectory(prefix="annotator-bench-export-", dir=args.cache) as tmp:
        ours_out, base_out = Path(tmp) / "annotator.jsonl", Path(tmp) / "baseline.jsonl"
        warm_page_cache(full, small)
        runs: dict[str, list[dict]] = {"baseline": [], "export": []}
        for n in range(args.repeat):
            for side in ("baseline", "export"):
                result = measure(side, full, base_out if side == "baseline" else ours_out)
                runs[side].append(result)
                print(
                    f"  run {n + 1} {side:8} {result['seconds']:6.2f} s, "
                    f"peak RSS {result['peak_mb']:6.1f} MB",
                    flush=True,
                )
        documents, spans, identical = verify(ours_out, base_out, full)
        small_runs = {
            side: measure(side, small, Path(tmp) / f"{side}-small.jsonl")
            for side in ("baseline", "export")
        }

    best = {side: min(r["seconds"] for r in rs) for side, rs in runs.items()}
    peak = {side: max(r["peak_mb"] for r in rs) for side, rs in runs.items()}
    before = {side: max(r["rss_before_mb"] for r in rs) for side, rs in runs.items()}
    size = {side: rs[-1]["bytes"] / 1e6 for side, rs in runs.items()}
    print(
        f"\n{documents:,} documents, {spans:,} spans; outputs: same lines and spans, "
        f"{'byte-identical' if identical else 'NOT byte-identical'}; every exported span "
        "matches text[start:end]"
    )
    header = (
        f"{'':10}{'seconds':>9}{'docs/s':>10}{'spans/s':>11}{'MB written':>12}"
        f"{'RSS before':>12}{'peak RSS':>10}{'growth':>8}"
    )
    print(header)
    print("-" * len(header))
    for side, name in (("export", "annotator"), ("baseline", "baseline")):
        s = best[side]
        print(
            f"{name:10}{s:9.2f}{documents / s:10,.0f}{spans / s:11,.0f}{size[side]:12.1f}"
            f"{before[side]:10.1f}MB{peak[side]:8.1f}MB{peak[side] - before[side]:6.1f}MB"
        )
    print("-" * len(header))
    every = {side: ", ".join(f"{r['seconds']:.2f}" for r in rs) for side, rs in runs.items()}
    print(f"each run (s): annotator {every['export']}; baseline {every['baseline']}")
    ratio = best["baseline"] / best["export"]
    print(f"throughput ratio annotator/baseline: {ratio:.2f}x")

    print(
        f"\npeak RSS during the export, {args.small:,} vs {documents:,} documents "
        "(MB, growth over RSS before the call in brackets):"
    )
    growth = {}
    for side, name in (("export", "annotator"), ("baseline", "baseline")):
        small_r = small_runs[side]
        small_growth = small_r["peak_mb"] - small_r["rss_before_mb"]
        full_growth = peak[side] - before[side]
        growth[side] = (small_growth, full_growth)
        print(
            f"  {name:10}{small_r['peak_mb']:8.1f} ({small_growth:+.1f}){peak[side]:10.1f} "
            f"({full_growth:+.1f})"
        )
    if not runs["export"][0]["peak_reset"]:
        print("  (VmHWM could not be reset: figures are the whole child's ru_maxrss)")
    small_growth, full_growth = growth["export"]
    allowed = max(MEMORY_SLACK_MB, MEMORY_SLACK_SHARE * small_growth)
    constant = full_growth - small_growth <= allowed

    ratio_ok = ratio >= TARGET_RATIO
    print(f"\ntarget \u2265 {TARGET_RATIO}\u00d7: {'met' if ratio_ok else 'MISSED'} ({ratio:.2f}x)")
    print(
        f"constant memory (peak growth {full_growth - small_growth:+.1f} MB for "
        f"{documents / args.small:.0f}x the documents, allowed {allowed:.0f} MB): "
        f"{'met' if constant else 'MISSED'}"
    )
    return 0 if ratio_ok and constant else 1


if __name__ == "__main__":
    sys.exit(main())
