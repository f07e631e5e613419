"""Word tables and compiled regexes for the date rules (the package's modules say what each
rule reads).

Every pattern here runs once over the whole text with ``finditer``; the context checks that
are cheaper in Python than in a regex (the word before a candidate, the clause's tense) run
only on the few candidates the patterns return.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
# Month names that are also everyday words or given names ("Theresa May", "they march",
# "April Ross", "June Carter", "an august body"): without a day or a year they need a
# preposition, and a capitalised name before them vetoes a day-number reading.
AMBIGUOUS_MONTHS = frozenset({"april", "may", "march", "june", "august"})

WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

NUMBER_WORDS: dict[str, int] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
}

# --- words before a candidate (compared lower-cased) ------------------------------------
# A bare month name ("in May") counts only after one of these.
MONTH_PREPS = frozenset(
    {
        "in",
        "since",
        "until",
        "till",
        "by",
        "from",
        "during",
        "through",
        "throughout",
        "before",
        "after",
        "early",
        "late",
    }
)
MONTH_PREPS_AMBIGUOUS = frozenset(
    {
        "in",
        "since",
        "until",
        "till",
        "during",
        "through",
        "throughout",
        "early",
        "late",
    }
)
# "the end of May", "the summer of 2024": "of" counts only after one of these.
OF_HEADS = frozenset(
    {
        "end",
        "start",
        "beginning",
        "middle",
        "rest",
        "half",
        "part",
        "month",
        "summer",
        "winter",
        "spring",
        "autumn",
        "season",
        "class",
        "edition",
        "months",
    }
) | frozenset(k for k in MONTHS if len(k) > 3)
# A year counts after one of these ("in 2024", "since 2019", "between 2019 and 2021").
YEAR_PREPS = frozenset(
    {
        "in",
        "since",
        "until",
        "till",
        "by",
        "from",
        "during",
        "before",
        "after",
        "through",
        "throughout",
        "circa",
        "between",
        "early",
        "late",
    }
)
# Capitalised words that may stand before "May 5" / a weekday without making it a name.
CAPITALISED_FUNCTION_WORDS = frozenset(
    {
        "on",
        "in",
        "by",
        "since",
        "until",
        "till",
        "from",
        "before",
        "after",
        "through",
        "last",
        "next",
        "this",
        "and",
        "but",
        "or",
        "then",
        "only",
        "even",
        "as",
        "so",
        "early",
        "late",
        "that",
        "at",
        "of",
        "the",
        "to",
        "for",
        "between",
        "during",
        "around",
        "about",
        "yet",
        "now",
        "also",
        "still",
        "again",
        "here",
        "there",
        "when",
        "while",
    }
    | WEEKDAYS.keys()
)
# Before a weekday these make it generic or anchored elsewhere ("every Saturday", "that
# Friday", "the following Sunday"): no suggestion.
WEEKDAY_VETO = frozenset(
    {
        "every",
        "each",
        "a",
        "an",
        "most",
        "other",
        "any",
        "some",
        "all",
        "one",
        "that",
        "following",
        "previous",
        "same",
        "the",
        "preceding",
        "of",
        "good",
        "black",
        "super",
        "holy",
        "easter",
        "ash",
        "man",
        "girl",
    }
)
# Before "last/next year" these make it a duration ("over the last year", "his last season").
LAST_NEXT_VETO = frozenset(
    {
        "the",
        "his",
        "her",
        "their",
        "its",
        "my",
        "our",
        "your",
        "a",
        "whose",
        "this",
        "that",
    }
)

# Patterns that scan the whole text start with a literal alternation and nothing else (no
# \b, no lookbehind, no optional group, no [Aa] class): CPython's re then skips to the
# possible first characters instead of trying the pattern at every position, which makes each
# pass ~10 ms per MB instead of ~100. Word boundaries before an anchor are checked in Python.
_ABBR = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec")
_FULL_MONTH_RE = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
FULL_MONTH_NAMES = frozenset(_FULL_MONTH_RE.split("|"))
_MONTH_ALT = _FULL_MONTH_RE + "|" + "|".join(f"{a}\\.|{a}" for a in _ABBR)
_WEEKDAY_RE = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_DAY_RE = r"(?:3[01]|[12]\d|0?[1-9])(?!\d)"
_ORD_RE = r"(?:st|nd|rd|th)?"
_YEAR_RE = r"(?:19\d\d|20\d\d|2100)"
# After a year: not part of a longer number, decimal, time, range or code.
_YEAR_END = r"(?![\w%]|[.,:/\-–‐]\d)"
# Between the two days of an interval: "13-21", "13–21", "13 to 21".
_TO = r"(?:\s*[-–]\s*|\s+to\s+)"

# Anchored at a month name: "August 6, 2024", "Aug. 6", "September 13-21", "August the 6th"
# (day), "August 2024", "May of 2019" (myear), "February's" (poss), or the name alone.
MONTH = re.compile(
    rf"(?P<month>{_MONTH_ALT})(?![A-Za-z])"
    r"(?:"
    rf"\s+(?:the\s+)?(?P<day>{_DAY_RE}){_ORD_RE}"
    rf"(?:{_TO}(?P<day2>{_DAY_RE}){_ORD_RE})?"
    rf"(?:,?\s+(?P<year>{_YEAR_RE}){_YEAR_END})?"
    r"(?![\w:]|[.,:/]\d)"
    rf"|(?:,?\s+|\s+of\s+)(?P<myear>{_YEAR_RE}){_YEAR_END}"
    r"|(?P<poss>['’]s\b)"
    r")?"
)
# Looked for right before a month name (search with endpos = the month's start):
# "Tuesday, " in "Tuesday, August 6th"; "13 ", "the 13th of ", "Tuesday 13-21 " before it.
WEEKDAY_BEFORE = re.compile(rf"(?P<wd>{_WEEKDAY_RE})(?:,\s*|\s+)\Z")
DAY_BEFORE = re.compile(
    rf"(?:(?P<wd>{_WEEKDAY_RE})(?:,\s*|\s+)(?:the\s+)?)?"
    rf"(?<![\w.,:/\-–+])(?P<day>{_DAY_RE}){_ORD_RE}"
    rf"(?:{_TO}(?P<day2>{_DAY_RE}){_ORD_RE})?"
    r"\s+(?:of\s+)?\Z"
)
DIGIT_AFTER = re.compile(r"\s*\d")
# Right after "13 September": an optional year.
YEAR_AFTER_DAY_MONTH = re.compile(rf",?\s+(?P<year>{_YEAR_RE}){_YEAR_END}")

# Anchored at a four-digit number 1900–2100: a year, or the end/start of a numeric date.
YEAR = re.compile(r"(?:19|20|21)\d\d")
# Right after the year of "2024-08-06" / "2024/08/06" (year first: never ambiguous).
ISO_TAIL = re.compile(
    r"(?P<s>[-/.])(?P<m>1[0-2]|0?[1-9])(?P=s)(?P<d>3[01]|[12]\d|0?[1-9])"
    r"(?!\d|[/:\-]|\.\d|[A-SU-Za-z_])"
)
# Right before the year of "06/08/2024", "13.09.2025" (read only when the order is certain).
NUMERIC_HEAD = re.compile(
    r"(?<![\w./:\-])(?P<a>3[01]|[12]\d|0?[1-9])(?P<s>[/.])(?P<b>3[01]|[12]\d|0?[1-9])(?P=s)\Z"
)
NUMERIC_END = re.compile(r"[\w/:\-]|[.,]\d")
# A year token's neighbours that make it something else (a longer number, a decimal, a range).
YEAR_BAD_BEFORE = frozenset(".,:/£$€#+-–_")
YEAR_BAD_AFTER = re.compile(r"[\w%]|[.,:/\-–‐]\d")

# Words after a year that make it temporal: "2023 season", "2022 world champion",
# "2025 World Championships", "2023 Prefontaine Classic".
YEAR_AFTER = re.compile(
    r"[ \t\xa0]+(?:"
    r"(?:indoor|outdoor|track|road|cross[- ]country|summer|winter|Olympic|Paralympic)\s+"
    r"(?:seasons?|campaign|Games|[Cc]hampionships?|[Tt]rials|final|title)|"
    r"seasons?|campaign|edition|Olympics|Olympic|Paralympics|Games|[Cc]hampionships?|"
    r"[Ww]orlds|[Ww]orld|Diamond\s+League|Commonwealth|European|Euros|[Tt]rials|[Nn]ationals|"
    r"[Ff]inals?|[Tt]itles?|[Oo]lympian|[Cc]hampions?|[Mm]edal(?:s|list|ist)?|"
    r"(?:gold|silver|bronze)\s+medal\w*|"
    r"(?:[A-Z][A-Za-z]+\s+){1,3}(?:Marathon|Games|Championships?|Classic|Grand\s+Prix|"
    r"Invitational|Relays|Trials|Olympics|League|Meeting|Open)"
    r")\b"
)
# After a number: a unit or a counted noun, so it is a quantity ("2000 metres", "12 athletes").
QUANTITY_AFTER = re.compile(
    r"\s*(?:m|km|k|mi|metres?|meters?|miles?|yards?|kg|g|lbs?|points?|pts|seconds?|secs?|s|"
    r"minutes?|mins?|hours?|hrs?|h|times|votes|words|feet|ft|per\s*cent|percent|euros?|"
    r"dollars?|pounds?|people|%|x)\b"
    r"|\s+(?!(?:always|perhaps|thus|this|was|has|his|is|as|its|unless|whereas|besides|"
    r"towards|afterwards|nevertheless|across|plus|less|yes|does|goes|says)\b)[a-z]{2,}s\b"
    r"|%"
)

# "last October", "earlier this year", "next month", "this weekend", "last summer", "last night".
RELATIVE = re.compile(
    r"(?P<mod>this|This|last|Last|next|Next|earlier|Earlier|later|Later)\s+"
    r"(?:(?P<this>this)\s+)?"
    rf"(?P<unit>year|month|weekend|week|season|summer|winter|spring|autumn|night|{_FULL_MONTH_RE})"
    r"\b(?!-\w)"
)
# "yesterday", "today", "tomorrow", "tonight".
DAY_WORD = re.compile(r"(?:yesterday|Yesterday|today|Today|tomorrow|Tomorrow|tonight|Tonight)\b")
# "in today's game": nowadays, not a date.
TODAY_GENERIC = re.compile(
    r"['’]s\s+(?:world|game|sport|athletics|era|generation|standards|society|climate|times)\b"
)
# Anchor "ago" / "out from", then look back for "nine months", "a couple of weeks".
AGO = re.compile(r"ago\b|out(?=\s+(?:from|before|ahead\s+of)\b)")
_N_RE = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
COUNT_BEFORE = re.compile(
    rf"(?<![\w.,:\-–])(?i:(?P<n>(?:a\s+)?couple\s+of|a\s+few|{_N_RE}|\d{{1,2}}))\s+"
    r"(?P<unit>days?|weeks?|months?|years?)\s+\Z"
)
# "Saturday", "Friday morning"; "last"/"next"/"this" before it is read in Python.
WEEKDAY = re.compile(
    rf"(?P<wd>{_WEEKDAY_RE})\b"
    r"(?:\s+(?P<tod>morning|afternoon|evening|night|lunchtime)\b)?"
)

# Tense of the clause around a bare weekday: the nearest marker wins; no marker = future.
FUTURE_MARKERS = re.compile(
    r"\b(?:will|won['’]t|shall|going\s+to|set\s+to|due\s+to|expected\s+to|scheduled|"
    r"ahead\s+of|upcoming|hopes?\s+to|plans?\s+to|aims?\s+to|tomorrow|next)\b|['’]ll\b"
)
PAST_MARKERS = re.compile(
    r"\b(?:said|told|was|were|had|did|won|ran|beat|broke|came|went|took|made|led|got|"
    r"yesterday|ago|[a-z]{3,}ed)\b"
)
SENTENCE_BREAK = re.compile(r"[.!?\n•]")

# MONTH, RELATIVE, DAY_WORD, AGO and WEEKDAY each open with one of a few words, some with
# common letters ("this", "last", "out"): the engine finds where they start in its one
# automaton pass (suggest/openings.py) and each pattern is tried only there.
OPENING_WORDS: dict[str, list[str]] = {
    "month": [*FULL_MONTH_NAMES, *_ABBR],
    "relative": "this This last Last next Next earlier Earlier later Later".split(),
    "day_word": "yesterday Yesterday today Today tomorrow Tomorrow tonight Tonight".split(),
    "ago": ["ago", "out"],
    "weekday": list(WEEKDAY_NAMES),
}
#: Where OPENING_WORDS' groups start in a text (scan.WordStarts.starts), as the rules take it.
Openings = Mapping[str, Sequence[int]]
