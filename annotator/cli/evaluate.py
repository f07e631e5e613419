"""`annotator evaluate GOLD.jsonl`: score the suggestion engine against a gold dataset.

Kept apart from cli.py, which registers the command. The gold file is the dataset JSONL
(DESIGN.md); its spans are the truth, whatever their status. The engine runs on each
document's text with its ``published`` date, after corpus names were gathered from every
document, as a suggest run over a corpus does. A bad gold file is the user's mistake: one line
on stderr and exit status 2, through the ``user_error`` exception the main command line turns
into exactly that.
"""

from __future__ import annotations

import argparse
import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from annotator.core import kbcsv
from annotator.core.evaluation import EvaluationResult, Miss, evaluate_engine, gold_documents
from annotator.core.formats.jsonl import iter_jsonl_records
from annotator.core.kb import KnowledgeBase
from annotator.core.kbcsv_results import read_records, read_results
from annotator.services.app import App

Opener = Callable[[argparse.Namespace], contextlib.AbstractContextManager[App]]


def add_evaluate_command(commands: Any, *, opened: Opener, user_error: type[Exception]) -> None:
    """Add `evaluate` to the main parser's subcommands; ``opened(args)`` opens the app as the
    other commands do, ``user_error`` is the exception reported as one line, exit 2."""
    ev = commands.add_parser(
        "evaluate",
        help="score the suggestions against a gold dataset (JSONL)",
        description="Run the suggestion engine on every document of a gold dataset (the "
        "JSONL that `export --format jsonl` writes) and print precision, recall and F1 per "
        "label (exact start, end and label), misspelling corrections, date values and "
        "knowledge-base links.",
    )
    ev.add_argument("gold", type=Path, metavar="GOLD.jsonl", help="gold dataset")
    source = ev.add_mutually_exclusive_group()
    source.add_argument(
        "--kb-from-db",
        action="store_true",
        help="match against the database's knowledge base (the default)",
    )
    source.add_argument(
        "--kb-csv",
        type=Path,
        metavar="FOLDER",
        help="match against athletes.csv and events.csv in FOLDER instead (with results.csv "
        "and records.csv when present); the database is not opened",
    )
    ev.add_argument(
        "--details",
        action="store_true",
        help="also list every missed, spurious or mismatched span",
    )
    ev.add_argument(
        "--json",
        action="store_true",
        help="print the figures as one JSON object instead of the table: documents, "
        '"figures" ("athlete.precision", "error:misspelling.recall", ...) and '
        '"counts" (gold, predicted and true positives per label and error type)',
    )
    ev.set_defaults(handler=lambda args: _cmd_evaluate(args, opened, user_error))


def _cmd_evaluate(args: argparse.Namespace, opened: Opener, user_error: type[Exception]) -> int:
    documents = _read_gold(args.gold, user_error)
    if args.kb_csv is not None:
        kb = kb_from_csv(args.kb_csv)
        where = str(args.kb_csv)
    else:
        with opened(args) as app:
            kb = app.kb.load()
            where = app.db.description
    result = evaluate_engine(documents, kb)
    if args.json:
        print(json.dumps(figures_json(result), indent=2))
        return 0
    spans = sum(len(d.spans) for d in documents)
    print(f"gold: {args.gold} ({len(documents)} documents, {spans} spans)")
    print(f"knowledge base: {len(kb.athletes)} athletes, {len(kb.events)} events ({where})")
    print()
    print(result.format_table())
    if args.details:
        print()
        print(format_problems(result))
    return 0


def _read_gold(path: Path, user_error: type[Exception]) -> list:
    try:
        with path.open(encoding="utf-8") as fh:
            documents = gold_documents(iter_jsonl_records(fh))
    except FileNotFoundError:
        raise user_error(f"cannot read {path}: no such file") from None
    except UnicodeDecodeError as exc:  # before ValueError, whose subclass it is
        raise user_error(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise user_error(f"cannot read {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise user_error(f"{path}: {exc}") from None
    if not documents:
        raise user_error(f"{path}: no documents")
    return documents


def kb_from_csv(folder: Path) -> KnowledgeBase:
    """athletes.csv and events.csv, and results.csv and records.csv when the folder has them
    (the claim checks need them; without them those checks find nothing)."""
    # KBError (a bad or missing file) reaches the main command line: one line, exit 2.
    athletes = tuple(kbcsv.read_athletes(folder / "athletes.csv"))
    names = {a.name for a in athletes}
    results, records = folder / "results.csv", folder / "records.csv"
    return KnowledgeBase(
        athletes=athletes,
        events=tuple(kbcsv.read_events(folder / "events.csv")),
        results=tuple(read_results(results, athletes=names)) if results.is_file() else (),
        records=tuple(read_records(records, athletes=names)) if records.is_file() else (),
    )


def figures_json(result: EvaluationResult) -> dict[str, Any]:
    """The figures and the counts behind them, for scripts and dashboards."""
    counts = {**result.labels, **{f"error:{t}": c for t, c in result.error_types.items()},
              "micro": result.micro, "correction": result.correction}  # fmt: skip
    return {
        "documents": result.documents,
        "figures": result.figures(),
        "counts": {
            k: {"gold": c.gold, "predicted": c.predicted, "tp": c.tp} for k, c in counts.items()
        },  # fmt: skip
    }


def format_problems(result: EvaluationResult) -> str:
    """One line per difference: document, kind, label, offsets, text, wanted and got."""
    lines = []

    def order(m: Miss) -> tuple:
        doc = m.document
        return (0, doc, "") if isinstance(doc, int) else (1, 0, str(doc)), m.mention.start

    for m in sorted(result.problems, key=order):
        g = m.mention
        line = f"{m.document}\t{m.kind}\t{g.label}\t{g.start}-{g.end}\t{g.text!r}"
        if m.kind in ("value", "entity", "correction", "error_type"):
            want = getattr(g, m.kind)
            got = getattr(m.got, m.kind) if m.got is not None else None
            line += f"\twant {want!r}, got {got!r}"
        lines.append(line)
    return "\n".join(lines) if lines else "no differences"
