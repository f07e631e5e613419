"""Desk commands: `annotator assign`, `mode`, `role` and `curate`."""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from annotator.core.curation import Disagreement, Strategy
from annotator.services.app import App
from annotator.services.curation import CurationService
from annotator.services.desk import LayerMode, Role

Opener = Callable[[argparse.Namespace], AbstractContextManager[App]]


def _names(value: str) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    if not names:
        raise argparse.ArgumentTypeError("name at least one annotator")
    return names


def add_desk_commands(commands: Any, *, opened: Opener, user_error: type[Exception]) -> None:
    assign = commands.add_parser(
        "assign",
        help="spread documents over annotators, evenly and deterministically",
        description="Each document (or each --document) is topped up to --per-document "
        "annotators, each time the least loaded one not yet on it (ties in the order named). "
        "Earlier assignments stay; running it again after an import assigns the new documents.",
    )
    assign.add_argument("--annotators", type=_names, required=True, metavar="A,B,…")
    assign.add_argument(
        "--per-document",
        type=int,
        default=2,
        metavar="N",
        help="annotators per document (default 2)",
    )
    assign.add_argument(
        "--document",
        action="append",
        dest="assign_documents",
        type=int,
        metavar="ID",
        help="only this document (repeat for several)",
    )
    assign.set_defaults(handler=lambda args: _cmd_assign(args, opened, user_error))

    mode = commands.add_parser(
        "mode",
        help="show or set the layer mode: blind (each annotator sees only their own "
        "layer) or shared",
    )
    mode.add_argument("mode", nargs="?", choices=[m.value for m in LayerMode])
    mode.set_defaults(handler=lambda args: _cmd_mode(args, opened))

    role = commands.add_parser(
        "role",
        help="show the people and their roles, or set one person's role",
        description="Once the desk has a curator, only a curator changes roles.",
    )
    role.add_argument("person", nargs="?")
    role.add_argument("role", nargs="?", choices=[r.value for r in Role])
    role.set_defaults(handler=lambda args: _cmd_role(args, opened))

    curate = commands.add_parser(
        "curate",
        help="merge the annotators' agreeing spans into the curated layer",
        description="Spans agree when enough annotators hold the same place, label, error "
        "type and correction: all of them (default), at least --min-agree K, or a --majority. "
        "Prints the disagreements left for the curation view.",
    )
    curate.add_argument(
        "--auto",
        action="store_true",
        required=True,
        help="run the automatic part (the only part the command line does)",
    )
    how = curate.add_mutually_exclusive_group()
    how.add_argument(
        "--min-agree", type=int, metavar="K", help="agreed when at least K annotators hold the span"
    )
    how.add_argument(
        "--majority",
        action="store_true",
        help="agreed when more than half of the document's annotators hold it",
    )
    curate.add_argument(
        "--annotators", type=_names, metavar="A,B,…", help="only these annotators' layers"
    )
    curate.add_argument(
        "--document",
        action="append",
        dest="curate_documents",
        type=int,
        metavar="ID",
        help="only this document (repeat for several)",
    )
    curate.add_argument(
        "--again",
        action="store_true",
        help="also documents merged before (adds agreed spans they lack)",
    )
    curate.set_defaults(handler=lambda args: _cmd_curate(args, opened, user_error))


def _cmd_assign(args: argparse.Namespace, opened: Opener, user_error: type[Exception]) -> int:
    with opened(args) as app:
        try:
            plan = app.desk.assign(args.annotators, args.per_document, args.assign_documents)
        except ValueError as exc:
            raise user_error(str(exc)) from None
        load = Counter(name for people in plan.values() for name in people)
    if not plan:
        print("every document already has its annotators")
        return 0
    spread = ", ".join(f"{name} {load[name]}" for name in args.annotators)
    print(f"assigned {len(plan)} documents: {spread}")
    return 0


def _cmd_mode(args: argparse.Namespace, opened: Opener) -> int:
    with opened(args) as app:
        if args.mode:
            app.desk.set_mode(args.mode)
        print(app.desk.mode().value)
    return 0


def _cmd_role(args: argparse.Namespace, opened: Opener) -> int:
    with opened(args) as app:
        if args.person and not args.role:
            print(app.desk.role(args.person).value)
            return 0
        if args.person:
            app.desk.set_role(args.person, args.role)
        for person in app.people.all():
            print(f"{person.name}\t{person.role}")
    return 0


def _cmd_curate(args: argparse.Namespace, opened: Opener, user_error: type[Exception]) -> int:
    if args.min_agree is not None:
        strategy, k = Strategy.AT_LEAST, args.min_agree
    else:
        strategy, k = (Strategy.MAJORITY if args.majority else Strategy.ALL), None
    with opened(args) as app:
        try:
            report = CurationService(app.db, actor=app.user).auto(
                strategy=strategy,
                min_agree=k,
                annotators=args.annotators,
                document_ids=args.curate_documents,
                again=args.again,
                undecided=lambda item: print(describe(item), flush=True),
            )
        except ValueError as exc:
            raise user_error(str(exc)) from None
    print(
        f"curated {report.documents} documents: {report.spans} agreed spans into the "
        f"curated layer; {report.undecided} disagreements left undecided (listed above)"
    )
    if report.already:
        print(
            f"{report.already} documents were merged before and left alone (--again to add to them)"
        )
    if report.skipped:
        print(f"{report.skipped} documents had fewer than two annotators")
    return 0


def describe(item: Disagreement) -> str:
    """One line: the document, the place, and what each annotator has there."""
    parts = []
    for name, tags in item.options.items():
        shown = "; ".join(
            f"{t.label} “{t.text}”" + (f" → {t.correction}" if t.correction else "") for t in tags
        )
        parts.append(f"{name}: {shown or 'nothing'}")
    return f"document {item.document_id} [{item.start}:{item.end}] " + " | ".join(parts)
