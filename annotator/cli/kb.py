"""`annotator kb ...`: import, export and count the knowledge base (athletes and events).

Kept apart from cli.py, which registers the group; errors travel as KBError, which the main
command line turns into one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from annotator.core.kb import ATHLETE_DISCIPLINES, EVENT_KINDS, KBError
from annotator.services.app import App
from annotator.services.kb import KBStats

Opener = Callable[[argparse.Namespace], contextlib.AbstractContextManager[App]]


def add_kb_commands(commands: Any, *, opened: Opener) -> None:
    """Add the `kb` group to the main parser's subcommands; ``opened(args)`` opens the app
    as the other commands do (same --db, same error handling)."""
    kb = commands.add_parser(
        "kb",
        help="import, export and count the knowledge base of athletes and events",
        description="The knowledge base the suggestions match against: athletes.csv, "
        "events.csv, results.csv (championship medals) and records.csv (world records) "
        "(see resources/kb/README.md for their columns).",
    )
    sub = kb.add_subparsers(dest="kb_command", metavar="KB_COMMAND", required=True)

    imp = sub.add_parser(
        "import",
        help="add or update athletes and events from CSV files",
        description="Each file's kind (athletes, events, results or records) is told by its "
        "header. Athletes are matched by name, events by name and year, medals by final and "
        "athlete, records by discipline, sex and mark; a row replaces the stored entry, "
        "aliases included. A medal or record naming an athlete or event the knowledge base "
        "does not hold is refused. Entries not in the files stay. Nothing is imported if any "
        "file has an error.",
    )
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE", help="CSV files")
    imp.set_defaults(handler=lambda args: _cmd_import(args, opened))

    exp = sub.add_parser(
        "export", help="write athletes.csv, events.csv, results.csv and records.csv into a folder"
    )
    exp.add_argument("-o", "--output", required=True, type=Path, metavar="FOLDER")
    exp.set_defaults(handler=lambda args: _cmd_export(args, opened))

    stats = sub.add_parser("stats", help="count athletes by discipline and events by kind")
    stats.set_defaults(handler=lambda args: _cmd_stats(args, opened))


def _cmd_import(args: argparse.Namespace, opened: Opener) -> int:
    with opened(args) as app:
        summaries = app.kb.import_csvs(args.files)
    for summary in summaries:
        print(summary)
    return 0


def _cmd_export(args: argparse.Namespace, opened: Opener) -> int:
    with opened(args) as app:
        try:
            paths = app.kb.export_csv(args.output)
        except OSError as exc:
            raise KBError(f"cannot write to {args.output}: {exc.strerror or exc}") from None
        stats = app.kb.stats()
        kb = app.kb.load()
    print(f"exported {stats.athletes} athletes to {paths[0]}")
    print(f"exported {stats.events} events to {paths[1]}")
    print(f"exported {len(kb.results)} medals to {paths[2]}")
    print(f"exported {len(kb.records)} world records to {paths[3]}")
    return 0


def _cmd_stats(args: argparse.Namespace, opened: Opener) -> int:
    with opened(args) as app:
        stats = app.kb.stats()
        where = app.db.description
    print(f"database: {where}")
    print(format_kb_stats(stats))
    return 0


def format_kb_stats(stats: KBStats) -> str:
    """Athletes by discipline and events by kind, every known one listed (zeros too), then
    any the code does not know and the entries without one."""
    lines: list[str] = []
    # Event kinds are never None, but the sections share one type with athlete disciplines.
    event_counts: dict[str | None, int] = {k: n for k, n in stats.events_by_kind.items()}
    sections: list[tuple[str, int, dict[str | None, int], tuple[str, ...]]] = [
        ("athletes", stats.athletes, dict(stats.athletes_by_discipline), ATHLETE_DISCIPLINES),
        ("events", stats.events, event_counts, EVENT_KINDS),
    ]
    for title, total, counts, known in sections:
        rows = [(name, counts.pop(name, 0)) for name in known]
        unknown = counts.pop(None, 0)
        rows += sorted((str(name), n) for name, n in counts.items())
        if unknown:
            rows.append(("(none)", unknown))
        width = max(len(name) for name, _ in rows)
        count_width = max(len(str(n)) for _, n in rows)
        if lines:
            lines.append("")
        lines.append(f"{title}: {total}")
        lines += [f"  {name:<{width}}  {n:>{count_width}}" for name, n in rows]
    return "\n".join(lines)
