"""``annotator agreement`` over 10,000 documents x 3 annotators x 20 spans, against bare SQL.

Run on demand (pytest does not collect it):

    python tests/benchmarks/bench_agreement.py [--documents 10000] [--small 2500]
                                               [--repeat 3] [--fresh]

The database is a real annotator database (made by ``open_app``, so by the migrations):
generated race reports of 1-3.5 KB (bench_export_1m.ArticleMaker, fixed seed) imported with
``import_articles``, and on every document the layers of three annotators ("alice", "bob",
"carol"), 20 accepted manual spans each, bulk-inserted with SQLAlchemy Core. The layers
agree as annotators do: most spans are shared; now and then one is missing, has a boundary
moved (a word more or less, a character off), a different label, or an error type or
correction (drawn from the default tagset) of its own. Every document also has a few pending
suggestions in the pool (layer "") and every tenth a curated layer: both are read past, not
measured. Building is setup; the database is cached in the temp folder
(``annotator-bench/``), reused while its recorded parameters match, rebuilt by ``--fresh``.
A second database holding the first ``--small`` documents gives the flat-memory check.

Measured operations (``OPERATIONS``), each in a fresh child process so that its peak memory
is its own, the clock around the operation only (not start-up, imports or ``open_app``):

* baseline: bare ``sqlite3``: the annotators' accepted spans (layer not "" nor "curated")
  and the document texts, each query iterated to the end and every row made a tuple;
* agreement: ``measure(gather_layers(db))``, what ``annotator agreement`` computes (every
  measure, every label, per document too), without formatting the report;
* curation: ``CurationService.auto()``, what ``annotator curate --auto`` does: every layer
  read, agreed spans merged (all annotators agree) and written to the curated layer in one
  transaction per 200 documents, disagreements streamed out; on a copy of the corpus made
  before the clock starts.

Both read the same spans (the benchmark checks the counts). Timings are the best of
``--repeat`` runs, the operations alternating; the child's CPU seconds and the machine's load
average are printed too, as a shared machine stretches the wall-clock seconds. Memory: RSS
just before the call and the kernel's high-water mark during it (VmHWM, reset just before
the call; the child's ru_maxrss where it cannot be reset), for ``--small`` and all documents.

Targets: agreement and curation each < 10 s (wall clock) per 10,000 documents, scaled with
``--documents``; their peak RSS growth during the call within max(10 MB, 10 %) between the
small and the full corpus. The ratio to the baseline is printed, not judged. Exit status 0
when every target is met, else 1.

To measure another operation in the same run (automatic curation, say), add an
``Operation`` to ``OPERATIONS``: a function that opens what it needs and returns the
callable to time, and a target.
"""

from __future__ import annotations

import argparse
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
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
for folder in (REPO, HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from bench_export_1m import ArticleMaker  # noqa: E402

#: Allowed growth of an operation's peak RSS from the small corpus to the full one.
MEMORY_SLACK_MB = 10.0
MEMORY_SLACK_SHARE = 0.10
#: Bump when the generated data changes, so cached databases are rebuilt.
GENERATOR_VERSION = 3
SEED = 20251007
CHUNK = 2000
META_KEY = "bench_agreement"
ANNOTATORS = ("alice", "bob", "carol")
SPANS_PER_LAYER = 20
POOL_PER_DOCUMENT = 4
CURATED_EVERY = 10
LABELS = ("athlete", "event", "date", "error")
CURATOR = "alice"
#: The annotations columns written; after the text, the candidates' own fields.
ROW_KEYS = ("document_id", "start", "end", "label", "text", "error_type", "correction", "note",
            "value", "entity", "annotator", "layer", "origin", "status", "created_by",
            "updated_by")  # fmt: skip

# -- generated layers -------------------------------------------------------------------------


def _error_types() -> tuple[str, ...]:
    from annotator.core.tagset import load_tagset

    return load_tagset()["error"].error_types


def _moved(rng: random.Random, text: str, start: int, end: int) -> tuple[int, int]:
    """The span with one boundary moved: a word dropped or added, or a character off."""
    roll = rng.random()
    inner = text.rfind(" ", start, end)
    if roll < 0.35 and inner > start:  # "Jakob Ingebrigtsen" -> "Ingebrigtsen"
        return inner + 1, end
    if roll < 0.6:  # one word more on the right
        after = text.find(" ", end + 1)
        if after != -1 and after - end < 20 and "\n" not in text[end:after]:
            return start, after
    shift = rng.choice((-2, -1, 1, 2))  # a careless drag
    if rng.random() < 0.5:
        return start, max(start + 1, min(len(text), end + shift))
    return min(end - 1, max(0, start + shift)), end


def _layer(
    rng: random.Random,
    text: str,
    shared: list[tuple],
    extra: list[tuple],
    error_types: tuple[str, ...],
) -> list[tuple]:
    """One annotator's SPANS_PER_LAYER spans (start, end, label, error_type, correction,
    note, value, entity): the shared candidates, each kept, moved, relabelled or missed."""
    out: dict[tuple[int, int, str], tuple] = {}
    for start, end, label, error_type, correction, note, value, entity in shared:
        roll = rng.random()
        if roll < 0.05:  # missed
            continue
        if roll < 0.13:
            start, end = _moved(rng, text, start, end)
        elif roll < 0.17:
            label = rng.choice([x for x in LABELS if x != label])
        if label == "error":
            if error_type is None or rng.random() < 0.1:
                error_type = rng.choice(error_types)
            if correction is None or rng.random() < 0.1:
                correction = text[start:end].upper() if rng.random() < 0.5 else None
            elif rng.random() < 0.1:
                correction = f" {correction} "  # the same correction, typed with spaces
        else:
            error_type = correction = None
        out.setdefault(
            (start, end, label), (start, end, label, error_type, correction, note, value, entity)
        )
    spare = [c for c in extra if c[:3] not in out]
    rng.shuffle(spare)
    while len(out) < SPANS_PER_LAYER and spare:
        span = spare.pop()
        out[span[:3]] = span
    while len(out) < SPANS_PER_LAYER:  # seldom: a span of their own, moved from a shared one
        start, end, label, *rest = rng.choice(shared)
        start, end = _moved(rng, text, start, end)
        out.setdefault((start, end, label), (start, end, label, *rest))
    chosen = list(out.values())
    rng.shuffle(chosen)
    return sorted(chosen[:SPANS_PER_LAYER])


def document_rows(
    rng: random.Random,
    document_id: int,
    text: str,
    candidates: list[tuple],
    error_types: tuple[str, ...],
) -> list[dict]:
    """Every annotator's layer, the pool's pending suggestions and (now and then) a curated
    layer on one document, as rows for the annotations table."""
    rng.shuffle(candidates)
    shared = candidates[: SPANS_PER_LAYER + 2]
    extra = candidates[SPANS_PER_LAYER + 2 :]
    rows = []

    def add(spans: list[tuple], layer: str, origin: str, status: str) -> None:
        person = CURATOR if layer == "curated" else layer or None
        for start, end, label, *fields in spans:
            values = (document_id, start, end, label, text[start:end], *fields, person, layer,
                      origin, status, person, person)  # fmt: skip
            rows.append(dict(zip(ROW_KEYS, values, strict=True)))

    for name in ANNOTATORS:
        add(_layer(rng, text, shared, extra, error_types), name, "manual", "accepted")
    add(sorted(rng.sample(candidates, POOL_PER_DOCUMENT)), "", "suggested", "pending")
    if document_id % CURATED_EVERY == 0:
        add(sorted(set(shared[:SPANS_PER_LAYER])), "curated", "manual", "accepted")
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


def build_full(path: Path, documents: int) -> None:
    from sqlalchemy import insert

    from annotator.core.textload import LoadedArticle
    from annotator.services.app import open_app
    from annotator.services.importing import import_articles
    from annotator.store.models import AnnotationRow

    _remove(path)
    started = time.perf_counter()
    maker = ArticleMaker(seed=SEED)
    rng = random.Random(SEED + 1)
    error_types = _error_types()
    app = open_app(path, annotator="bench")
    try:
        for name in ANNOTATORS:
            app.people.register(name)
        for first in range(0, documents, CHUNK):
            batch, chosen = [], []
            for n in range(first, min(first + CHUNK, documents)):
                # 30 candidates: 22 the annotators share, 8 spare for whoever adds a span.
                title, text, published, spans = maker.article(n, SPANS_PER_LAYER + 10)
                data = text.encode("utf-8")
                batch.append(
                    LoadedArticle(
                        title=title,
                        text=text,
                        published=published,
                        sha256=hashlib.sha256(data).hexdigest(),
                        source=f"/bench/agreement/{n // 1000:02d}/report_{n + 1:06d}.txt",
                        encoding="utf-8",
                    )
                )
                chosen.append(spans)
            report = import_articles(app.db, batch)
            assert len(report.imported) == len(batch), report.summary()
            rows = []
            for (doc_id, _source), article, spans in zip(
                report.imported, batch, chosen, strict=True
            ):
                rows.extend(document_rows(rng, doc_id, article.text, spans, error_types))
            with app.db.engine.begin() as conn:
                conn.execute(insert(AnnotationRow.__table__), rows)
            done = first + len(batch)
            print(f"\r  built {done:,} documents", end="", flush=True)
    finally:
        app.close()
    _finish(path, {"documents": documents, "generator": GENERATOR_VERSION})
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
            for table in ("annotators", "documents"):
                conn.execute(
                    f"INSERT OR IGNORE INTO {table} SELECT * FROM full.{table}"
                    + (" WHERE id <= ?" if table == "documents" else ""),
                    (documents,) if table == "documents" else (),
                )
            for table in ("document_texts", "annotations"):
                conn.execute(
                    f"INSERT INTO {table} SELECT * FROM full.{table} WHERE document_id <= ?",
                    (documents,),
                )
        conn.execute("DETACH DATABASE full")
    _finish(path, {**_meta(full), "documents": documents, "copied_from": full.name})
    print(f"created {path} (first {documents:,} documents)")


def ensure_databases(folder: Path, documents: int, small: int, *, fresh: bool) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    full = folder / f"agreement-{documents}.sqlite3"
    want = {"documents": documents, "generator": GENERATOR_VERSION}
    rebuilt = fresh or _meta(full) != want
    if rebuilt:
        build_full(full, documents)
    else:
        print(f"reusing {full}")
    part = folder / f"agreement-{documents}-first{small}.sqlite3"
    if rebuilt or _meta(part) != {**want, "documents": small, "copied_from": full.name}:
        build_small(part, full, small)
    else:
        print(f"reusing {part}")
    return full, part


# -- the measured operations ------------------------------------------------------------------

#: What an operation's run returns: at least "documents" and "spans" (what it read), so that
#: the driver can check every operation saw the same data; anything else is printed.
Outcome = dict


@dataclass(frozen=True)
class Operation:
    about: str
    #: Runs in the child before the clock starts: opens what it needs, returns the run.
    prepare: Callable[[Path], Callable[[], Outcome]]
    #: Seconds allowed per 10,000 documents (None: the baseline, measured, not judged).
    target_per_10k: float | None = None


READ_SPANS = (
    'SELECT document_id, layer, start, "end", label, error_type, correction '
    "FROM annotations WHERE status = 'accepted' AND layer NOT IN ('', 'curated')"
)


def prepare_baseline(db: Path) -> Callable[[], Outcome]:
    def run() -> Outcome:
        documents = spans = 0
        with closing(sqlite3.connect(db)) as conn:
            for row in conn.execute(READ_SPANS):
                tuple(row)
                spans += 1
            # Every document has layers here: these are the texts gather_layers reads.
            for row in conn.execute("SELECT document_id, text FROM document_texts"):
                tuple(row)
                documents += 1
        return {"documents": documents, "spans": spans}

    return run


def prepare_agreement(db: Path) -> Callable[[], Outcome]:
    from annotator.core.agreement import measure
    from annotator.services.agreement import gather_layers
    from annotator.services.app import open_app

    app = open_app(db, annotator="bench")

    def run() -> Outcome:
        read = {"documents": 0, "spans": 0}

        def counted():
            for doc in gather_layers(app.db):
                read["documents"] += 1
                read["spans"] += sum(len(marks) for marks in doc.layers.values())
                yield doc

        report = measure(counted())
        overall = report.overall
        return {
            **read,
            "compared": report.documents,
            "alpha": overall.alpha,
            "u_alpha": overall.u_alpha,
            "kappa": [p.kappa for p in overall.pairs],
            "error_type": report.errors.error_type,
        }

    return run


def prepare_curation(db: Path) -> Callable[[], Outcome]:
    """Automatic curation writes the curated layer, so each run works on its own copy of the
    corpus (made before the clock starts)."""
    from annotator.services.app import open_app
    from annotator.services.curation import CurationService

    folder = Path(tempfile.mkdtemp(prefix="annotator-bench-curate-"))
    copy = folder / db.name
    with closing(sqlite3.connect(db)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)
    app = open_app(copy, annotator="curator")
    app.desk.set_role("curator", "curator")

    def run() -> Outcome:
        undecided = 0

        def left(_item: object) -> None:
            nonlocal undecided
            undecided += 1

        try:
            report = CurationService(app.db, actor="curator").auto(undecided=left)
        finally:
            app.close()
            for path in folder.iterdir():
                path.unlink()
            folder.rmdir()
        # Some documents of the corpus come curated already (left alone): all were read.
        seen = report.documents + report.skipped + report.already
        return {
            "documents": seen,
            "spans": report.read,
            "curated_documents": report.documents,
            "curated_spans": report.spans,
            "undecided": undecided,
        }

    return run


OPERATIONS: dict[str, Operation] = {
    "baseline": Operation("bare sqlite3 read of the same spans and texts", prepare_baseline),
    "agreement": Operation("gather_layers + measure, every measure", prepare_agreement, 10.0),
    "curation": Operation(
        "CurationService.auto (all agree): reads every layer, writes the curated layer",
        prepare_curation,
        10.0,
    ),
}


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


def child(name: str, db: Path) -> None:
    run = OPERATIONS[name].prepare(db)
    rss_before = _status_mb("VmRSS")
    reset = _reset_peak()
    cpu = time.process_time()
    started = time.perf_counter()
    outcome = run()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    peak = _status_mb("VmHWM") if reset else float("nan")
    process_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu,
                "rss_before_mb": rss_before,
                "peak_mb": peak if reset else process_peak,
                "peak_reset": reset,
                "outcome": outcome,
            }
        )
    )


# -- the driver -------------------------------------------------------------------------------


def run_child(name: str, db: Path) -> dict:
    command = [sys.executable, __file__, "--child", name, "--db", str(db)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{name} run failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def warm_page_cache(*paths: Path) -> None:
    """Read the database files once, so that no operation pays for the first disk read."""
    for path in paths:
        with path.open("rb") as fh:
            while fh.read(1 << 24):
                pass


def _same_data(results: dict[str, dict], what: str) -> None:
    seen = {name: (r["outcome"]["documents"], r["outcome"]["spans"]) for name, r in results.items()}
    if len(set(seen.values())) != 1:
        raise SystemExit(f"operations read different data ({what}): {seen}")


def _extras(outcome: Outcome) -> str:
    def show(value: object) -> str:
        if isinstance(value, float):
            return f"{value:.3f}"
        if isinstance(value, list):
            return "/".join(show(v) for v in value)
        return str(value)

    return ", ".join(
        f"{k} {show(v)}" for k, v in outcome.items() if k not in ("documents", "spans")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument(
        "--small",
        type=int,
        default=2_500,
        help="documents in the corpus for the flat-memory comparison",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per operation (best kept)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the cached databases")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "annotator-bench"
    )
    parser.add_argument("--child", choices=tuple(OPERATIONS), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.db)
        return 0

    full, small = ensure_databases(args.cache, args.documents, args.small, fresh=args.fresh)
    print(
        f"database: {full.stat().st_size / 1e6:.0f} MB; {os.cpu_count()} CPUs, "
        f"best of {args.repeat} runs per operation, each in a fresh process; operations:"
    )
    for name, operation in OPERATIONS.items():
        print(f"  {name:11} {operation.about}")
    warm_page_cache(full, small)
    load_before = os.getloadavg()[0]
    runs: dict[str, list[dict]] = {name: [] for name in OPERATIONS}
    for n in range(args.repeat):
        for name in OPERATIONS:
            result = run_child(name, full)
            runs[name].append(result)
            print(
                f"  run {n + 1} {name:11} {result['seconds']:6.2f} s "
                f"(CPU {result['cpu_seconds']:5.2f} s), peak RSS {result['peak_mb']:6.1f} MB",
                flush=True,
            )
    small_runs = {name: run_child(name, small) for name in OPERATIONS}
    load_after = os.getloadavg()[0]
    _same_data({name: rs[-1] for name, rs in runs.items()}, "full corpus")
    _same_data(small_runs, "small corpus")

    outcome = runs["baseline"][-1]["outcome"]
    documents, spans = outcome["documents"], outcome["spans"]
    best = {name: min(r["seconds"] for r in rs) for name, rs in runs.items()}
    base = best["baseline"]
    print(
        f"\n{documents:,} documents, {spans:,} annotators' spans read by every operation; "
        f"load average {load_before:.1f} before, {load_after:.1f} after (a busy machine "
        "stretches the seconds, less so the CPU seconds)"
    )
    header = (
        f"{'':11}{'seconds':>9}{'CPU s':>8}{'x baseline':>12}{'docs/s':>9}"
        f"{'RSS before':>12}{'peak RSS, small':>17}{'full':>8}{'growth':>9}"
    )
    print(header)
    print("-" * len(header))
    ok = True
    verdicts = []
    for name, operation in OPERATIONS.items():
        rs, s = runs[name], best[name]
        cpu = min(r["cpu_seconds"] for r in rs)
        before = max(r["rss_before_mb"] for r in rs)
        peak = max(r["peak_mb"] for r in rs)
        small_r = small_runs[name]
        # Growth during the call, small corpus against full: what the corpus size adds.
        small_growth = small_r["peak_mb"] - small_r["rss_before_mb"]
        full_growth = peak - before
        print(
            f"{name:11}{s:9.2f}{cpu:8.2f}{s / base:11.1f}x{documents / s:9,.0f}"
            f"{before:10.1f}MB{small_r['peak_mb']:15.1f}MB{peak:6.1f}MB"
            f"{full_growth - small_growth:+7.1f}MB"
        )
        if operation.target_per_10k is None:
            continue
        limit = operation.target_per_10k * documents / 10_000
        allowed = max(MEMORY_SLACK_MB, MEMORY_SLACK_SHARE * small_growth)
        fast, flat = s < limit, full_growth - small_growth <= allowed
        ok = ok and fast and flat
        verdicts.append(
            f"{name}: {s:.2f} s, target < {limit:.1f} s: {'met' if fast else 'MISSED'}; "
            f"ratio to the baseline {s / base:.1f}x; peak RSS growth during the call "
            f"{small_growth:.1f} MB ({args.small:,} documents) -> {full_growth:.1f} MB "
            f"({documents:,}), allowed +{allowed:.0f} MB: {'flat' if flat else 'NOT FLAT'}"
        )
        verdicts.append(f"  {_extras(rs[-1]['outcome'])}")
    print("-" * len(header))
    for name, rs in runs.items():
        every = ", ".join(f"{r['seconds']:.2f}" for r in rs)
        print(f"each run (s), {name}: {every}")
    if not all(r["peak_reset"] for rs in runs.values() for r in rs):
        print("(VmHWM could not be reset: peaks are the whole child's ru_maxrss)")
    print()
    print("\n".join(verdicts))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
