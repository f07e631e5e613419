"""`annotator search`: find text (substrings, whole words, regular expressions) or spans (by
label, status, error type, annotator, rule, note) across the corpus, one line per hit.

Kept apart from main.py, which registers the command and turns a user's mistake (a bad
regular expression, an unknown label) into one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable
from typing import Any

from annotator.core.model import SpanStatus
from annotator.services.app import App
from annotator.services.progress import Reporter
from annotator.services.search import (
    CONTEXT,
    Hit,
    SearchError,
    SearchMode,
    SpanQuery,
    TextQuery,
)

Opener = Callable[[argparse.Namespace], contextlib.AbstractContextManager[App]]
Progress = Callable[[str, str], contextlib.AbstractContextManager[Reporter]]

_SPAN_FILTERS = ("label", "error_type", "status", "annotator", "rule", "note")


def add_search_command(
    commands: Any, *, opened: Opener, progress: Progress, user_error: type[Exception]
) -> None:
    cmd = commands.add_parser(
        "search",
        help="find text or spans across every document",
        description="Find QUERY in the articles' text (case-insensitive substrings by "
        "default), or, with span filters instead of a query, the spans matching all of them. "
        "Prints one line per hit: document id, title, start-end (character offsets) and the "
        "hit in [brackets] with its context; the count goes to stderr. Span search shows "
        "only the spans you may see (in blind mode: yours and pending suggestions).",
    )
    cmd.add_argument("query", nargs="?", metavar="QUERY", help="text to find")
    how = cmd.add_mutually_exclusive_group()
    how.add_argument("--words", action="store_true", help="whole words only")
    how.add_argument("--regex", action="store_true", help="QUERY is a Python regular expression")
    cmd.add_argument("--case", action="store_true", help="match case")
    cmd.add_argument(
        "--limit", type=int, default=500, metavar="N", help="stop after N hits (default 500)"
    )
    spans = cmd.add_argument_group("span filters (all given must match)")
    spans.add_argument("--label", metavar="KEY")
    spans.add_argument("--error-type", metavar="TYPE")
    spans.add_argument("--status", choices=[s.value for s in SpanStatus])
    spans.add_argument("--annotator", metavar="NAME", help="the span's layer or annotator")
    spans.add_argument("--rule", metavar="RULE", help="the suggester rule that proposed it")
    spans.add_argument("--note", metavar="TEXT", help="text in the note (any case)")
    cmd.set_defaults(handler=lambda args: _cmd_search(args, opened, progress, user_error))


def _cmd_search(
    args: argparse.Namespace, opened: Opener, progress: Progress, user_error: type[Exception]
) -> int:
    filters = {name: getattr(args, name) for name in _SPAN_FILTERS
               if getattr(args, name) is not None}  # fmt: skip
    if args.limit < 1:
        raise user_error("--limit must be at least 1")
    if filters and args.query is not None:
        raise user_error("give a text QUERY or span filters (--label, --status, ...), not both")
    if not filters and not args.query:
        raise user_error("nothing to search for: give a QUERY or span filters such as --label")
    if filters and (args.words or args.regex or args.case):
        raise user_error("--words, --regex and --case apply to a text QUERY only")
    with opened(args) as app:
        if "label" in filters and app.tagset.get(filters["label"]) is None:
            raise user_error(
                f"unknown label {filters['label']!r} (the labels: {', '.join(app.tagset.keys)})"
            )
        if filters:
            result = app.search.spans(SpanQuery(**filters), limit=args.limit)
        else:
            mode: SearchMode = "regex" if args.regex else "words" if args.words else "text"
            query = TextQuery(args.query, mode=mode, case=args.case)
            try:
                with progress("searching", "doc") as reporter:
                    result = app.search.text(query, limit=args.limit, reporter=reporter)
            except SearchError as exc:
                raise user_error(str(exc)) from None
    for hit in result.hits:
        print(format_hit(hit))
    hits = f"{len(result.hits)} hit{'s' if len(result.hits) != 1 else ''}"
    docs = f"{result.documents} document{'s' if result.documents != 1 else ''}"
    if result.truncated:
        print(
            f"first {hits} shown, in {docs} (--limit {args.limit}); there are more", file=sys.stderr
        )
    else:
        print(f"{hits} in {docs}", file=sys.stderr)
    return 0


def _flat(s: str) -> str:
    return s.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def format_hit(hit: Hit) -> str:
    lead = "…" if len(hit.before) >= CONTEXT else ""
    tail = "…" if len(hit.after) >= CONTEXT else ""
    line = (
        f"{hit.document_id}\t{_flat(hit.title)}\t{hit.start}-{hit.end}\t"
        f"{lead}{_flat(hit.before)}[{_flat(hit.match)}]{_flat(hit.after)}{tail}"
    )
    if hit.span_id is not None:
        line += f"\t{hit.label} (span {hit.span_id})"
    return line
