"""`annotator suggest` over a corpus on every core against one. Run on demand:
``python tests/benchmarks/bench_suggest_pool.py [--mb 4] [--jobs 2] [--repeat 2]``.

Imports the varied corpus of bench_suggest.py (about ``--mb`` MB of articles) into new SQLite
files, then runs ``suggest_documents`` as the command line does (knowledge base and
corpus names loaded, every suggestion stored) with one process
on the first file and ``--jobs`` worker processes on the second, timing each whole run,
starting the workers included. Checks that both stored the same spans and prints both
times and the ratio; target: >= 1.7x with 2 jobs (exit status 1 below it, or when the run
cannot have two cores). Not collected by pytest.

The files go to ``--dir`` (default: /dev/shm, memory, where there is one), so the ratio
measures what the pool changes, the suggesters on every core. The workers count the corpus's
names and store what they find themselves, a group of documents per transaction
(suggest_store), queuing on the database's one write lock: ``--dir /tmp`` shows the figure
on disk.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
for where in (REPO, HERE):
    if str(where) not in sys.path:
        sys.path.insert(0, str(where))

from bench_suggest import build_corpus, load_kb  # noqa: E402
from sqlalchemy import select  # noqa: E402

from annotator.core.textload import LoadedArticle  # noqa: E402
from annotator.services.app import App, open_app  # noqa: E402
from annotator.services.importing import import_articles  # noqa: E402
from annotator.services.suggesting import suggest_documents  # noqa: E402
from annotator.store.models import AnnotationRow  # noqa: E402

TARGET_RATIO = 1.7


def new_app(path: Path, docs: list) -> App:
    app = open_app(path, annotator="bench")
    articles = []
    for n, (text, published) in enumerate(docs):
        articles.append(LoadedArticle(
            title=f"article {n}", text=text, published=published, source=f"bench/{n}.txt",
            sha256=hashlib.sha256(f"{n}\n{text}".encode()).hexdigest(), encoding="utf-8",
        ))  # fmt: skip
    import_articles(app.db, articles)
    return app


def stored(app: App) -> list[tuple]:
    with app.db.sessions() as session:
        return [tuple(r) for r in session.execute(select(
            AnnotationRow.document_id, AnnotationRow.start, AnnotationRow.end,
            AnnotationRow.label, AnnotationRow.error_type, AnnotationRow.correction,
            AnnotationRow.value, AnnotationRow.entity, AnnotationRow.rule,
        ).order_by(AnnotationRow.document_id, AnnotationRow.start, AnnotationRow.end,
                   AnnotationRow.label))]  # fmt: skip


def timed_run(app: App, jobs: int) -> float:
    t0 = time.perf_counter()
    suggest_documents(app.db, app.kb, tagset=app.tagset, use_spacy=False, jobs=jobs)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=4.0, help="corpus size in MB (10^6 bytes)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes to compare")
    parser.add_argument("--repeat", type=int, default=2, help="rounds; the best one counts")
    shm = Path("/dev/shm")
    parser.add_argument(
        "--dir",
        type=Path,
        default=shm if shm.is_dir() else None,
        help="where the database files go (default: /dev/shm when present)",
    )
    args = parser.parse_args(argv)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"cores available: {cores}; load average {os.getloadavg()[0]:.2f} (other processes "
        "on these cores take the pool's share)"
    )

    docs, size = build_corpus(load_kb(), int(args.mb * 1_000_000))
    print(f"corpus: {len(docs)} documents, {size / 1e6:.2f} MB UTF-8")
    best = {1: float("inf"), args.jobs: float("inf")}
    results: dict[int, list[tuple]] = {}
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        print(f"databases in {tmp}")
        for round_ in range(args.repeat):
            for jobs in best:
                app = new_app(Path(tmp) / f"j{jobs}-r{round_}.sqlite3", docs)
                try:
                    best[jobs] = min(best[jobs], timed_run(app, jobs))
                    results[jobs] = stored(app)
                finally:
                    app.close()
    same = results[1] == results[args.jobs]
    one, many = best[1], best[args.jobs]
    ratio = one / many
    print(
        f"1 process          {one:7.2f} s   {size / 1e6 / one:5.2f} MB/s  "
        f"({len(results[1]):,} spans stored)"
    )
    print(
        f"{args.jobs} worker processes {many:7.2f} s   {size / 1e6 / many:5.2f} MB/s  "
        f"(same spans: {'yes' if same else 'NO'})"
    )
    print(f"ratio              {ratio:7.2f}x  (load average now {os.getloadavg()[0]:.2f})")
    ok = same and ratio >= TARGET_RATIO and (cores or 1) >= args.jobs
    print(f"target >= {TARGET_RATIO:g}x with {args.jobs} jobs: {'met' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
