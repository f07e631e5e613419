"""`annotator train [--out DIR] [--name NAME]`: fit a named-entity model on the accepted
athlete, event and date spans, print how it does on held-out documents, and register it as a
suggester (rule "model.<name>") that `annotator suggest` runs from then on.

Needs spaCy, and only spaCy: the model starts from a blank English pipeline, so nothing is
downloaded. Without spaCy the command says so in one line.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from annotator.core.suggest.ner_model import spacy_available
from annotator.services.app import App
from annotator.services.learning import train_model

Opener = Callable[[argparse.Namespace], contextlib.AbstractContextManager[App]]


def add_train_command(commands: Any, *, opened: Opener, user_error: type[Exception]) -> None:
    cmd = commands.add_parser(
        "train",
        help="train a model on the accepted spans and use it as a suggester",
        description="Fit a spaCy named-entity model (blank English pipeline, labels athlete, "
        "event, date) on every accepted span, holding out a share of the documents to "
        "measure it. Prints precision, recall and F1 on the held-out documents, stores them "
        "with the model's path in the database, and from then on `annotator suggest` adds "
        "the model's spans (rule model.NAME). Requires spaCy; nothing is downloaded.",
    )
    cmd.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="where to save the model (default: a folder next to a SQLite "
        "database, DB.models/NAME; required for a server database)",
    )
    cmd.add_argument("--name", default="ner", help="the model's name (default: ner)")
    cmd.add_argument(
        "--holdout",
        type=_share,
        default=0.2,
        metavar="SHARE",
        help="share of documents held out for measuring (default: 0.2)",
    )
    cmd.add_argument(
        "--epochs",
        type=_epochs,
        default=10,
        metavar="N",
        help="passes over the training documents (default: 10)",
    )
    cmd.set_defaults(handler=lambda args: _cmd_train(args, opened, user_error))


def _cmd_train(args: argparse.Namespace, opened: Opener, user_error: type[Exception]) -> int:
    if not spacy_available():
        raise user_error("annotator train needs spaCy, which is not installed here")
    if not all(c.isalnum() or c in "-_" for c in args.name) or not args.name:
        raise user_error(f"--name takes letters, digits, - and _, not {args.name!r}")
    with opened(args) as app:
        try:
            path, scores = train_model(
                app.db, name=args.name, out_dir=args.out, heldout_share=args.holdout,
                epochs=args.epochs, actor=app.annotations.annotator,
            )  # fmt: skip
        except ValueError as exc:
            raise user_error(str(exc)) from None
    print(
        f"trained model.{args.name} on {scores.train_docs} documents, "
        f"held out {scores.heldout_docs}"
    )
    print(
        f"held-out precision {scores.precision:.3f}  recall {scores.recall:.3f}  F1 {scores.f1:.3f}"
    )
    print(f"saved to {path}; `annotator suggest` now uses it")
    return 0


def _share(value: str) -> float:
    try:
        share = float(value)
    except ValueError:
        share = -1.0
    if not 0 <= share < 1:
        raise argparse.ArgumentTypeError(f"expected a share from 0 up to 1, got {value!r}")
    return share


def _epochs(value: str) -> int:
    n = int(value) if value.isdigit() else 0
    if not 1 <= n <= 100:
        raise argparse.ArgumentTypeError(f"expected 1 to 100 epochs, got {value!r}")
    return n
