"""Which commands only read the database, so that a mistyped --db path is refused with
"no annotator database at PATH" instead of leaving a new, empty database behind."""

from __future__ import annotations

import argparse

#: Commands that never write, whatever their options.
_READING = frozenset({"stats", "export", "log", "agreement", "search", "evaluate"})


def only_reads(args: argparse.Namespace) -> bool:
    command = getattr(args, "command", None)
    if command in _READING:
        return True
    if command == "kb":
        return args.kb_command in ("export", "stats")
    # Without a value these show the setting; with one they change it.
    if command == "mode":
        return args.mode is None
    if command == "role":
        return args.role is None
    if command == "spelling":
        return args.variant is None
    return False
