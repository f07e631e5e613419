"""Which English an article is written in: British (en_GB) or American (en_US) spellings.

Counted from spellings only one side uses ("metres", "colour", "organise", "defence" against
"meters", "color", "organize", "defense"). Words both sides accept ("program", "meter" as an
instrument is rare in athletics news) or that are also names ("Gray") are left out. With no
evidence, or as many of each, an article is British: the default for athletics news.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

EN_GB = "en_GB"
EN_US = "en_US"
AUTO = "auto"
VARIANTS = (EN_GB, EN_US)
SETTINGS = (AUTO, *VARIANTS)
DEFAULT = EN_GB

_OUR_STEMS = (
    "col hon lab neighb behavi fav hum rum vig harb endeav arm flav sav parl od val splend"
).split()
_OUR_SUFFIXES = " s ed ing ite ites itism able ably ful fully er ers less".split(" ")
_ISE_STEMS = (
    "organ real recogn apolog critic minim maxim priorit capital final summar emphas "
    "character special util normal mobil penal sympath scrutin optim revolution "
    "categor stabil visual memor familiar jeopard legal agon"
).split()
_ISE_SUFFIXES = "e ed es ing ation ations er ers".split()
_RE_STEMS = "met kilomet centimet millimet cent theat lit fib calib somb spect lust".split()
_LL_STEMS = "travel cancel model label fuel signal total marshal level channel counsel".split()
_OTHER_GB = (
    "defence defences offence offences analyse analysed analyses analysing paralyse paralysed "
    "paralyses paralysing catalogue catalogues programme programmes jewellery tyre tyres kerb "
    "kerbs aluminium manoeuvre manoeuvres ageing"
).split()
_OTHER_US = (
    "defense defenses offense offenses analyze analyzed analyzes analyzing paralyze paralyzed "
    "paralyzes paralyzing catalog catalogs jewelry aluminum maneuver maneuvers aging"
).split()


def _forms(stems: list[str], middle: str, suffixes: list[str]) -> set[str]:
    return {stem + middle + suffix for stem in stems for suffix in suffixes}


#: Lower-case words only, so that a name ("Lincoln Center") does not count.
BRITISH = frozenset(
    _forms(_OUR_STEMS, "our", _OUR_SUFFIXES)
    | _forms(_ISE_STEMS, "is", _ISE_SUFFIXES)
    | _forms(_RE_STEMS, "re", ["", "s"])
    | _forms(_LL_STEMS, "l", ["ed", "ing", "er", "ers"])
    | set(_OTHER_GB)
)
AMERICAN = frozenset(
    _forms(_OUR_STEMS, "or", _OUR_SUFFIXES)
    | _forms(_ISE_STEMS, "iz", _ISE_SUFFIXES)
    | _forms(_RE_STEMS, "er", ["", "s"])
    | _forms(_LL_STEMS, "", ["ed", "ing", "er", "ers"])
    | set(_OTHER_US)
)
#: A counted word: lower-case letters only, not joined to other letters, digits, apostrophes
#: or hyphens on either side.
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]{3,}(?![\w'’-])")
_JOINED = re.compile(r"[\w'’-]")
_AUTOMATON: Any = None


def _automaton() -> Any:
    # Finding the few variant words costs half of listing every lower-case word (the scan
    # _LOWER_WORD would make) and looking each one up.
    global _AUTOMATON
    if _AUTOMATON is None:
        from .automaton import Automaton

        _AUTOMATON = Automaton({w: w in BRITISH for w in sorted(BRITISH | AMERICAN)})
    return _AUTOMATON


def variant_counts(text: str, starts: Iterable[int] | None = None) -> tuple[int, int]:
    """(British spellings, American spellings) in ``text``: the words ``_LOWER_WORD`` finds
    that are in BRITISH (first) or AMERICAN. ``starts``: where the words of BRITISH and
    AMERICAN start in the lower-cased text (suggest/openings.py), when known."""
    gb = us = 0
    if starts is not None:
        # Each word _LOWER_WORD finds that is a variant word starts at one of these.
        for s in starts:
            if m := _LOWER_WORD.match(text, s):
                if m.group() in BRITISH:
                    gb += 1
                elif m.group() in AMERICAN:
                    us += 1
        return gb, us
    n = len(text)
    for start, end, british in _automaton().iter(text):
        if (start and _JOINED.match(text, start - 1)) or (end < n and _JOINED.match(text, end)):
            continue  # part of a longer word: "colours" holds "colour"
        if british:
            gb += 1
        else:
            us += 1
    return gb, us


def detect_variant(text: str, starts: Iterable[int] | None = None) -> str:
    gb, us = variant_counts(text, starts)
    return EN_US if us > gb else DEFAULT


def resolve_variant(setting: str | None, text: str, starts: Iterable[int] | None = None) -> str:
    """The dictionary for ``text`` under a setting of auto, en_GB or en_US (None: auto).
    ``starts``: as for variant_counts."""
    if setting in VARIANTS:
        return setting
    return detect_variant(text, starts)
