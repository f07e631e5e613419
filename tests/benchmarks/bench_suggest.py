"""Throughput of the whole suggestion engine. Run on demand:
``python tests/benchmarks/bench_suggest.py [--mb 1.0] [--repeat 3]``.

Builds about 1 MB of article text from the evaluation set (tests/data/eval/gold.jsonl) and the
seed articles (../shared/seeds, when present), each copy with its athletes swapped for other
KB athletes, its invented people renamed and now and then a surname misspelled, so the
automata, fuzzy caches and corpus counts see a varied corpus and not the same 20 articles.
Then, on one core and in the same run:

- engine: ``SuggestionEngine.suggest`` on every document with its published date and the
  corpus names (as a suggest run does; a fresh engine per round, so caches start cold), and
  once more on all the text as one document;
- baseline: a bare regular-expression scan over the same text that consumes every match,
  what any "find the capitalised names" pass costs at least.

Prints MB/s (10^6 bytes of UTF-8 per second, best of ``--repeat``) for both and the ratio;
target: engine >= 2 MB/s (exit status 1 below it). Not collected by pytest.

It says which engine ran: the one mypyc compiled at install time (hatch_build.py), or the
Python sources (``ANNOTATOR_PURE_PYTHON=1``, or a source edited since the install).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from annotator.cli.evaluate import kb_from_csv  # noqa: E402
from annotator.core.compiled import engine_is_compiled  # noqa: E402
from annotator.core.formats.jsonl import iter_jsonl_records  # noqa: E402
from annotator.core.kb import KnowledgeBase  # noqa: E402
from annotator.core.suggest.engine import CorpusNames, SuggestionEngine  # noqa: E402
from annotator.core.textload import load_article  # noqa: E402

GOLD = REPO / "tests" / "data" / "eval" / "gold.jsonl"
SEEDS = REPO.parent / "shared" / "seeds"
TARGET_MBPS = 2.0
BASELINE = re.compile(r"\b[A-Z][a-zà-ÿ]+(?:\s+[A-Z][a-zà-ÿ]+)*")
# The eval set's invented people (make_gold.py): renamed in every copy.
INVENTED = [
    "Kiprono Lemayian",
    "Chidera Okonkwo",
    "Sinead Culhane",
    "Aoife Brannigan",
    "Cathal Kerrigan",
    "Cameron Myers",
    "Lukas Björkqvist",
    "Lotte Verbeeck",
    "Sutume Kebede",
    "Harriet Pemberton-Lowe",
    "Winfred Jepkosgei",
    "Almaz Gebretsadik",
    "Adéla Stránská",
    "Ross Drummond",
    "Tanner Whitcombe",
    "Daniel Simiu Ebenyo",
    "Sondre Vikhammar",
    "Eskil Brattvold",
    "Kiptoo Sigei",
    "Dawit Mengesha",
]
_SYLLABLES = "ka ri mo ne la to se vi da lu pe ko an je ru mi sa ol be tu na go".split()


def load_kb() -> KnowledgeBase:
    # The whole bundled KB, results and records included, or the claim checks would idle.
    return kb_from_csv(REPO / "resources" / "kb")


def source_articles() -> list[tuple[str, dt.date | None]]:
    out = []
    for r in iter_jsonl_records(GOLD.read_text(encoding="utf-8").splitlines()):
        pub = dt.date.fromisoformat(r["published"]) if r.get("published") else None
        out.append((r["text"], pub))
    if SEEDS.is_dir():
        for path in sorted(SEEDS.glob("*.txt")):
            art = load_article(path)
            out.append((art.text, art.published))
    return out


def _invented_name(rng: random.Random, words: int) -> str:
    def word() -> str:
        return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()

    return " ".join(word() for _ in range(words))


def _misspell(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swap two letters


def varied_copy(text: str, kb: KnowledgeBase, rng: random.Random) -> str:
    """The text with every KB athlete (full name and surname) swapped for another one,
    invented people renamed, and one surname in ten misspelled."""
    swaps: dict[str, str] = {}
    for a in kb.athletes:
        if a.name in text:
            b = rng.choice(kb.athletes)
            swaps[a.name] = b.name
            if a.surname not in swaps and len(a.surname) > 3:
                surname = b.surname
                if len(surname) > 5 and rng.random() < 0.1:
                    surname = _misspell(rng, surname)
                swaps[a.surname] = surname
    for name in INVENTED:
        if name in text:
            new = _invented_name(rng, len(name.split()))
            swaps[name] = new
            swaps[name.split()[-1]] = new.split()[-1]
    if not swaps:
        return text
    rx = re.compile(
        r"\b(?:" + "|".join(re.escape(k) for k in sorted(swaps, key=len, reverse=True)) + r")\b"
    )
    return rx.sub(lambda m: swaps[m.group()], text)


def build_corpus(kb: KnowledgeBase, target_bytes: int, seed: int = 7):
    rng = random.Random(seed)
    sources = source_articles()
    docs: list[tuple[str, dt.date | None]] = []
    size = 0
    while size < target_bytes:
        text, pub = sources[len(docs) % len(sources)]
        copy = varied_copy(text, kb, rng)
        docs.append((copy, pub))
        size += len(copy.encode("utf-8"))
    return docs, size


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=1.0, help="corpus size in MB (10^6 bytes)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best one counts")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    kb = load_kb()
    docs, size = build_corpus(kb, int(args.mb * 1_000_000))
    whole = "\n\n".join(text for text, _ in docs)
    mb = size / 1e6
    print(
        f"corpus: {len(docs)} documents, {mb:.2f} MB UTF-8, {len(whole):,} code points; "
        f"KB {len(kb.athletes)} athletes, {len(kb.events)} events"
    )

    t0 = time.perf_counter()
    SuggestionEngine(kb, use_spacy=False)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    corpus = CorpusNames()
    for text, _ in docs:
        corpus.add_text(text)
    names = time.perf_counter() - t0

    def baseline() -> int:
        return sum(1 for _ in BASELINE.finditer(whole))

    def engine_docs() -> tuple[float, int]:
        engine = SuggestionEngine(kb, use_spacy=False)  # cold caches, as a new run has
        t = time.perf_counter()
        n = sum(len(engine.suggest(text, published=pub, corpus=corpus)) for text, pub in docs)
        return time.perf_counter() - t, n

    engine = SuggestionEngine(kb, use_spacy=False)
    one_doc = best_of(
        args.repeat, lambda: engine.suggest(whole, published=dt.date(2025, 9, 12), corpus=corpus)
    )
    per_doc, found = min(engine_docs() for _ in range(args.repeat))
    base = best_of(args.repeat, baseline)

    rate_docs, rate_one, rate_base = mb / per_doc, mb / one_doc, mb / base
    print(
        "engine: "
        + ("compiled by mypyc" if engine_is_compiled() else "Python sources (not compiled)")
    )
    print(f"engine build (once per KB)        {build * 1000:8.1f} ms")
    print(f"corpus names over all documents   {names * 1000:8.1f} ms  ({mb / names:.1f} MB/s)")
    print(
        f"engine, per document              {per_doc:8.3f} s   {rate_docs:6.2f} MB/s  "
        f"({found:,} suggestions)"
    )
    print(
        f"  with the corpus-names pass      {per_doc + names:8.3f} s   "
        f"{mb / (per_doc + names):6.2f} MB/s"
    )
    print(f"engine, all text as one document  {one_doc:8.3f} s   {rate_one:6.2f} MB/s")
    print(
        f"baseline regex scan               {base:8.3f} s   {rate_base:6.2f} MB/s  "
        f"({baseline():,} matches)"
    )
    print(
        f"ratio baseline/engine             {rate_base / rate_docs:8.1f}x (per document), "
        f"{rate_base / rate_one:.1f}x (one document)"
    )
    ok = min(rate_docs, rate_one) >= TARGET_MBPS
    print(f"target engine >= {TARGET_MBPS:g} MB/s: {'met' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
