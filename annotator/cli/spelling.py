"""`annotator spelling [--variant auto|en_GB|en_US]`: show or set which English is checked."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from annotator.core.suggest.spelling import SpellChecker
from annotator.core.suggest.spelling_variant import SETTINGS
from annotator.services.app import App
from annotator.services.spelling import SpellingSettings

Opener = Callable[[argparse.Namespace], AbstractContextManager[App]]

_MEANING = {
    "auto": "each article's own spellings decide, metres or meters, colour or color; "
    "British English when they do not",
    "en_GB": "British English",
    "en_US": "American English",
}


def add_spelling_command(commands: Any, *, opened: Opener) -> None:
    cmd = commands.add_parser(
        "spelling",
        help="show or set the English the spelling suggester checks against",
        description="The spelling suggester flags misspelled ordinary words against Hunspell's "
        "British or American dictionary. The setting is kept in the database, so everyone "
        "sharing it checks the same way; it applies from the next `annotator suggest`.",
    )
    cmd.add_argument(
        "--variant", choices=SETTINGS, help="auto (default: per article), en_GB or en_US"
    )
    cmd.set_defaults(handler=lambda args: _cmd_spelling(args, opened))


def _cmd_spelling(args: argparse.Namespace, opened: Opener) -> int:
    with opened(args) as app:
        settings = SpellingSettings(app.db, actor=app.annotations.annotator)
        if args.variant is not None:
            settings.set_variant(args.variant)
        variant = settings.variant()
    print(f"spelling: {variant} ({_MEANING[variant]})")
    missing = SpellChecker().unavailable()
    if missing is not None:
        print(f"spelling is not checked here: {missing}")
    return 0
