"""`annotator stats --by annotator`: the desk's counts (the dashboard's figures) as tables.

Kept apart from cli.py, which registers the option; plain `annotator stats` stays its own.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Sequence
from typing import Any

from annotator.services.annotations import CURATED
from annotator.services.app import App
from annotator.services.desk_stats import DeskStats, desk_stats
from annotator.services.stats import CorpusStats

Opener = Callable[[argparse.Namespace], contextlib.AbstractContextManager[App]]
Handler = Callable[[argparse.Namespace], int]

BY_CHOICES = ("annotator",)


def add_stats_options(stats: Any, *, opened: Opener, plain: Handler) -> None:
    """Add ``--by`` to the ``stats`` parser; without it, ``plain`` (the corpus counts) runs."""
    stats.add_argument(
        "--by", choices=BY_CHOICES,
        help="annotator: per person, documents assigned and done, accepted spans per label, "
             "error types; then each suggester rule's acceptance rate",
    )  # fmt: skip

    def handler(args: argparse.Namespace) -> int:
        if args.by == "annotator":
            return _cmd_stats_by_annotator(args, opened)
        return plain(args)

    stats.set_defaults(handler=handler)


def _cmd_stats_by_annotator(args: argparse.Namespace, opened: Opener) -> int:
    with opened(args) as app:
        errors = [label.key for label in app.tagset.labels if label.error_types]
        stats = desk_stats(app.db, error_labels=errors or ("error",))
        where = app.db.description
    print(f"database: {where}")
    print(format_desk_stats(stats))
    return 0


def format_desk_stats(stats: DeskStats) -> str:
    people = [name for name in stats.annotators if name != CURATED]
    lines = [f"annotators: {len(people)}" + (f" ({', '.join(people)})" if people else "")]
    lines += ["", "documents per annotator"]
    if stats.progress:
        rows = []
        for name in people:
            if name not in stats.progress:
                continue  # spans without a progress row (imported ones): no documents to show
            mine = stats.progress[name]
            days = list(stats.done_per_day.get(name, {}))
            rows.append([name, mine.assigned, mine.in_progress, mine.done,
                         days[-1].isoformat() if days else "—"])  # fmt: skip
        lines += table(["annotator", "assigned", "in progress", "done", "last done"], rows)
    else:
        lines.append("  nobody has started or been assigned a document yet")

    layers = [*people, *([CURATED] if CURATED in stats.annotators else [])]
    lines += ["", "accepted spans per label"]
    lines += _crosstab("label", stats.labels, layers, stats.spans) or ["  no accepted spans yet"]
    lines += ["", "error spans per error type"]
    lines += _crosstab("error type", stats.error_types, layers, stats.errors) or [
        "  no error spans yet"
    ]

    lines += ["", "suggestions per rule"]
    if stats.rules:
        rows = [[r.rule, r.accepted, r.rejected, r.pending, percent(r.acceptance_rate)]
                for r in stats.rules]  # fmt: skip
        total = [sum(getattr(r, f) for r in stats.rules)
                 for f in ("accepted", "rejected", "pending")]  # fmt: skip
        decided = total[0] + total[1]
        rows.append(["total", *total, percent(total[0] / decided if decided else None)])
        lines += table(["rule", "accepted", "rejected", "pending", "acceptance"], rows)
        lines.append("  acceptance = accepted / (accepted + rejected); pending ones are not "
                     "judged yet")  # fmt: skip
    else:
        lines.append("  no suggestions yet (annotator suggest)")
    return "\n".join(lines)


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _crosstab(
    first: str, keys: Sequence[str], layers: Sequence[str], counts: dict[tuple[str, str], int]
) -> list[str]:
    """Rows ``keys``, a column per layer and a total: a desk has a handful of people and
    labels or error types, so this stays narrow both ways."""
    if not keys:
        return []
    shown = [layer for layer in layers if any((layer, key) in counts for key in keys)]
    rows: list[list[object]] = []
    for key in keys:
        values = [counts.get((layer, key), 0) for layer in shown]
        rows.append([key, *values, sum(values)])
    column_totals = [sum(counts.get((layer, key), 0) for key in keys) for layer in shown]
    rows.append(["total", *column_totals, sum(column_totals)])
    return table([first, *shown, "total"], rows)


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """Aligned columns, indented two spaces: the first left-aligned, the others right."""
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    out = []
    for row in cells:
        parts = [row[0].ljust(widths[0])]
        parts += [cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)]
        out.append("  " + "  ".join(parts).rstrip())
    return out


def format_stats(stats: CorpusStats) -> str:
    """Two aligned tables: documents by status, spans by label (rows) and status (columns)."""
    lines = [f"documents: {stats.documents}"]
    width = max(len(status) for status in stats.documents_by_status)
    count_width = max(len(str(n)) for n in stats.documents_by_status.values())
    for status, count in stats.documents_by_status.items():
        lines.append(f"  {status:<{width}}  {count:>{count_width}}")
    lines.append("")
    lines.append(f"spans: {stats.spans}")
    if not stats.spans_by_label_status:
        return "\n".join(lines)
    statuses = ["accepted", "pending", "rejected"]
    statuses += sorted({s for _, s in stats.spans_by_label_status} - set(statuses))
    labels = sorted({label for label, _ in stats.spans_by_label_status})
    header = ["label", *statuses, "total"]
    rows = []
    for label in labels:
        counts = [stats.spans_by_label_status.get((label, s), 0) for s in statuses]
        rows.append([label, *map(str, counts), str(sum(counts))])
    totals = [sum(stats.spans_by_label_status.get((lb, s), 0) for lb in labels) for s in statuses]
    rows.append(["total", *map(str, totals), str(stats.spans)])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  " + "  ".join(cells).rstrip())
    return "\n".join(lines)
