"""`annotator log` (who changed what, from the change log every client writes) and
`annotator agreement` (how far the annotators' layers agree).

Kept apart from cli.py, which registers the commands.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from annotator.core.agreement import (
    AgreementReport,
    LabelAgreement,
    measure,
    report_json,
)
from annotator.core.agreement_csv import write_agreement_csv
from annotator.services.agreement import gather_layers
from annotator.services.app import App
from annotator.services.changes import Change

Opener = Callable[[argparse.Namespace], contextlib.AbstractContextManager[App]]


def add_team_commands(commands: Any, *, opened: Opener) -> None:
    log = commands.add_parser(
        "log",
        help="print the change log: who created, edited, accepted or deleted which span",
        description="Oldest first, one change a line: time (UTC), person, document, span, "
        "what changed.",
    )
    log.add_argument(
        "--document",
        action="append",
        dest="log_documents",
        type=int,
        metavar="ID",
        help="only this document (repeat for several)",
    )
    log.add_argument(
        "--user",
        action="append",
        dest="log_users",
        metavar="NAME",
        help="only this person's changes (repeat for several)",
    )
    log.add_argument(
        "--span", dest="log_span", type=int, metavar="ID", help="only this span's history"
    )
    log.add_argument("--limit", type=int, metavar="N", help="at most N lines (the newest)")
    log.set_defaults(handler=lambda args: _cmd_log(args, opened))

    agree = commands.add_parser(
        "agreement",
        help="agreement between annotators' layers: span F1, Cohen's kappa, Krippendorff's "
        "alpha and unitizing alpha, per label and per document",
        description="Each annotator's layer is the accepted spans credited to them. Measures "
        "are defined in the README (Double annotation ▸ Agreement).",
    )
    agree.add_argument(
        "--label",
        action="append",
        dest="agree_labels",
        metavar="L",
        help="only this label (repeat for several)",
    )
    agree.add_argument(
        "--annotators", metavar="A,B,…", help="only these annotators (comma-separated)"
    )
    agree.add_argument(
        "--document",
        action="append",
        dest="agree_documents",
        type=int,
        metavar="ID",
        help="only this document (repeat for several)",
    )
    agree.add_argument("--json", action="store_true", help="print one JSON object")
    agree.add_argument(
        "-o", "--output", type=Path, metavar="FILE.csv", help="also write every figure as CSV rows"
    )
    agree.set_defaults(handler=lambda args: _cmd_agreement(args, opened))


def _cmd_log(args: argparse.Namespace, opened: Opener) -> int:
    with opened(args) as app:
        entries = app.changes.entries(
            document_ids=args.log_documents or (), users=args.log_users or (),
            span_id=args.log_span,
        )  # fmt: skip
    if args.limit is not None:
        entries = entries[-args.limit :] if args.limit > 0 else []
    for change in entries:
        print(format_change(change))
    return 0


def format_change(change: Change) -> str:
    at = change.at.replace(tzinfo=dt.UTC) if change.at.tzinfo is None else change.at
    where = f"doc {change.document_id}" if change.document_id is not None else "-"
    span = f"span {change.span_id}" if change.span_id is not None else "-"
    return f"{at:%Y-%m-%d %H:%M:%S}  {change.actor}  {where}  {span}  {change.describe()}"


def _cmd_agreement(args: argparse.Namespace, opened: Opener) -> int:
    names = [n.strip() for n in (args.annotators or "").split(",") if n.strip()] or None
    with opened(args) as app:
        report = measure(
            gather_layers(app.db, document_ids=args.agree_documents, annotators=names),
            labels=args.agree_labels, annotators=names,
        )  # fmt: skip
    if args.output is not None:
        write_agreement_csv(report, args.output)  # the window's "Export CSV…" writes the same
    if args.json:
        json.dump(report_json(report), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(format_agreement(report))
    return 0


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def format_agreement(report: AgreementReport) -> str:
    lines = [f"annotators: {', '.join(report.annotators) or '(none)'}",
             f"documents: {report.documents}"]  # fmt: skip
    sections: list[tuple[str, LabelAgreement]] = [("all labels", report.overall)]
    sections += sorted(report.labels.items())
    for name, figures in sections:
        lines += ["", f"{name}: alpha {_figure(figures.alpha)}, "
                      f"u-alpha {_figure(figures.u_alpha)}"]  # fmt: skip
        for pair in figures.pairs:
            lines.append(f"  {pair.a} / {pair.b}: exact F1 {_figure(pair.exact_f1)}, "
                         f"overlap F1 {_figure(pair.overlap_f1)}, "
                         f"kappa {_figure(pair.kappa)}")  # fmt: skip
    errors = report.errors
    lines += ["", f"error spans matched exactly: {errors.matched}, error type agrees "
                  f"{_figure(errors.error_type)}, correction agrees "
                  f"{_figure(errors.correction)}"]  # fmt: skip
    return "\n".join(lines)
