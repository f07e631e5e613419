"""What the claim checks read in a sentence: disciplines, marks, medal and title phrases,
margins, years and the link between a phrase and the athlete it is about.

Every pattern errs towards not matching: a claim the checks cannot read for certain is left
alone (a false accusation costs the fact-checker more than a missed error).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..kb import Event
from ..kb_results import mark_value
from .model import Suggestion
from .scan import finditer_at, initial_alternatives, initial_class

CONFIDENCE = 0.8
Mention = tuple[int, int, str]  # start, end, KB athlete name

# Longer forms first: "400m hurdles" must not be read as "400m". Written to open with the
# class of its first characters (scan.py; 2.5x faster over an article): the digits of a
# distance, checked against what may not precede them, then the rest of the number (group
# "metres" holds that rest), or the first letter of a named discipline, then the rest.
_NAMED_DISCIPLINES = ("mile", "marathon", "steeplechase", "high jump", "pole vault", "long jump",
                      "triple jump", "shot put", "discus", "hammer", "javelin", "heptathlon",
                      "decathlon", "pentathlon")  # fmt: skip
_DISCIPLINE = re.compile(
    initial_class("1234568" + "".join(w[0] for w in _NAMED_DISCIPLINES), ignorecase=True)
    + r"(?:(?<=[1-68])(?<![\w,.].)"
    # "20km race walk", "35 km walk", "50-kilometre walk": group "walk" holds the rest.
    r"(?:(?P<walk>(?<=2)0|(?<=3)5|(?<=5)0)"
    r"(?i:\s?(?:km|-?kilomet(?:re|er)s?)\s+(?:race\s+)?walk\b)"
    r"|(?P<metres>(?<=1)(?:00|10|,?500|0,?000)|(?<=[248])00|(?<=6)0|(?<=[35]),?000)"
    r"(?i:\s?m\b|\s?-?met(?:re|er)s?\b)(?i:\s+(?P<kind>hurdles|steeplechase|steeple))?)"
    r"|(?<!\w.)(?i:" + "|".join(f"(?<={w[0]}){w[1:]}" for w in _NAMED_DISCIPLINES) + r")\b)"
)
#: The words every claim the checks read has (claims._TRIGGER): a medal, a win, a final, a
#: title ordinal or a record.
TRIGGER_WORDS = (
    "gold silver bronze won wins winning captured final record title retained defended first "
    "second third fourth fifth sixth".split()
)
#: What every _DISCIPLINE match opens with, for scan.WordStarts.
DISCIPLINE_OPENINGS = (
    *_NAMED_DISCIPLINES,
    "20",
    "35",
    "50",
    "60",
    "100",
    "110",
    "200",
    "400",
    "800",
    "1500",
    "1,500",
    "3000",
    "3,000",
    "5000",
    "5,000",
    "10000",
    "10,000",
)
_NAMED = {"steeplechase": "3000m steeplechase", "discus": "discus throw", "hammer": "hammer throw",
          "javelin": "javelin throw"}  # fmt: skip

# The sentence-level patterns below open with the class of their first characters, the
# rest of each alternative behind a lookbehind (scan.py): `re` then skips to those characters
# in C instead of trying \b or a lookbehind at every position of every claiming sentence.
# tests/unit/test_suggest_scan.py checks each against its plain form.

#: 3:27.65, 2:00:35, 9.79, 6.25m, 8.95 m (a bare integer is never a mark here).
MARK = re.compile(r"\d(?<![\w.:].)(?:\d?:\d{2}(?::\d{2})?(?:\.\d{1,2})?|\d?\.\d{2})(?:\s?m\b)?"
                  r"(?![\w.:]?\d)")  # fmt: skip

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
_PAST = (r"won|took|claimed|clinched|earned|grabbed|collected|picked up|secured|bagged|"
         r"landed|captured|snatched|took home|struck")  # fmt: skip
MEDAL_VERB = re.compile(
    initial_alternatives(
        _PAST.split("|"),
        ignorecase=True,
        tail=r"\s+(?:(?:an?|the|her|his|their)\s+)?(?:(?:Olympic|world|world indoor|"
        r"indoor|global)\s+)?(?P<medal>gold|silver|bronze)(?:\s+medal)?\b",
    )
)
#: "finished third", "came in second": a placing in a final, read where the KB has the
#: athlete's medal in it.
PLACING = re.compile(
    initial_alternatives(
        ["finished", "came", "placed"],
        ignorecase=True,
        tail=r"\s+(?:in\s+|home\s+)?(?P<place>" + "|".join(ORDINALS) + r")\b",
    )
)
MEDALLIST = re.compile(
    initial_alternatives(
        ["gold", "silver", "bronze"], tail=r"[- ]medall?ist\b", ignorecase=True, group="medal"
    )
)
WON_THE = re.compile(
    initial_alternatives(
        ["won", "captured", "claimed"],
        ignorecase=True,
        group="verb",
        tail=r"\s+the\s+(?:(?:Olympic|world|women's|men's)\s+)*"
        r"(?=[\w,. -]{0,20}?\b(?:title|final|crown|race)\b)",
    )
)
WON_BY = re.compile(r"\b(?:was|were|is)?\s*won\s+by\s+$", re.IGNORECASE)
FIRSTS = re.compile(
    initial_alternatives(
        ["her", "his", "a"],
        ignorecase=True,
        tail=r"\s+(?P<nth>first|second|third|fourth|fifth|sixth)\s+"
        r"(?P<series>Olympic|world indoor|world)\s+(?:(?P<what>[^\W\d_]*\d[^,.;:]{0,24}?|"
        r"[^\W\d_]+(?: [^\W\d_]+)?)\s+)??(?:gold\s+medal|gold|title|crown)\b",
    )
)
SERIES = {"olympic": "olympics", "world": "world_championships", "world indoor": "world_indoors"}

_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9}  # fmt: skip
MARGIN = re.compile(
    initial_alternatives(
        ["by"],
        ignorecase=True,
        tail=r"\s+(?P<margin>(?P<num>\d+\.\d+)\s*(?:s|secs?|seconds?)\b|(?P<cm>\d+)\s*(?:cm|centimet(?:re|er)s)\b|"
        r"(?P<word>a|an|one|two|three|four|five|six|seven|eight|nine)\s+(?P<unit>tenths?|hundredths?)"
        r"(?:\s+of\s+a\s+second)?)",
    )
)
APPROXIMATE = re.compile(
    r"\b(?:less than|more than|almost|nearly|over|under|about|around|"
    r"roughly|some|just|barely|only)\s+$",
    re.IGNORECASE,
)
WORLD_RECORD = re.compile(initial_alternatives(["world"], tail=r"[- ]records?\b", ignorecase=True))
YEAR = re.compile(r"[12](?<![\w:.].)(?:(?<=1)9[5-9]\d|(?<=2)0[0-4]\d)(?![\w:.]?\d)")
#: Words that move a sentence off the final: a heat time is not the final's mark.
NOT_THE_FINAL = re.compile(
    initial_alternatives(
        r"heats?|semi-?finals?|semis|round|qualif\w*|splits?|personal best|PB|SB|"
        r"season'?s? best|last year|previous|the year before|ago|born".split("|"),
        tail=r"\b",
        ignorecase=True,
    )
)
#: An indoor mark is not an outdoor final's (but is the World Indoors' own).
INDOOR = re.compile(initial_alternatives(["indoor"], tail=r"s?\b", ignorecase=True))
_GAP_STOP = frozenset({
    "behind", "ahead", "beat", "beating", "beaten", "and", "or", "but", "after", "before",
    "while", "as", "than", "over", "with", "whom", "whose", "which", "that", "when", "where",
    "not", "never", "nor", "without", "denied", "denying", "if", "could", "would", "will",
    "might", "may", "hoping", "hopes", "hoped", "wants", "chasing", "expected",
})  # fmt: skip
_WHO = re.compile(r"\s*,\s*(who)\s+")
#: Where a clause ends: punctuation, or a full stop that is not a decimal point.
CLAUSE_END = re.compile(r"[,;:!?\n]|\.(?!\d)")
_GAP = re.compile(r"[\w'’-]+|[^\w\s]")


def disciplines(
    text: str, start: int, end: int, starts: Sequence[int] | None = None
) -> list[tuple[int, int, str]]:
    """The disciplines named in text[start:end], as (start, end, kb_results discipline).
    ``starts``: where DISCIPLINE_OPENINGS occur in the whole text, if known (then start and
    end must be the whole text's)."""
    if starts is not None:
        assert start == 0 and end == len(text)
        matches: Iterable[re.Match[str]] = finditer_at(_DISCIPLINE, text, starts)
    else:
        matches = _DISCIPLINE.finditer(text, start, end)
    return [(m.start(), m.end(), _discipline_name(text, m)) for m in matches]


def discipline_at(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    """The discipline named at ``start`` (and ending by ``end``): ``disciplines(text, start,
    end)[0]`` when that starts at ``start``, without reading the rest."""
    m = _DISCIPLINE.match(text, start, end)
    return None if m is None else (m.start(), m.end(), _discipline_name(text, m))


def _discipline_name(text: str, m: re.Match[str]) -> str:
    if m["walk"] is not None:
        return f"{text[m.start()]}{m['walk']}km race walk"
    if m["metres"] is not None:
        metres = (text[m.start()] + m["metres"]).replace(",", "")
        kind = (m["kind"] or "").lower()
        if kind.startswith("steeple"):
            return f"{metres}m steeplechase"
        return f"{metres}m hurdles" if kind else f"{metres}m"
    named = m.group().lower()
    return _NAMED.get(named, named)


def marks(text: str, start: int, end: int) -> list[tuple[int, int, str, float]]:
    out = []
    for m in MARK.finditer(text, start, end):
        raw = m.group().rstrip("m ").strip()
        value = mark_value(raw)
        if value is not None:
            out.append((m.start(), m.start() + len(raw), raw, value))
    return out


def same_shape(a: str, b: str) -> bool:
    """Both times with the same number of colons, or both plain decimals."""
    return a.count(":") == b.count(":")


def tight_gap(gap: str, *, max_words: int = 4) -> bool:
    """True when ``gap`` (the text between an athlete and a phrase) keeps the phrase about that
    athlete: no punctuation, no word that brings in someone else or a condition."""
    tokens = _GAP.findall(gap)
    if len(tokens) > max_words:
        return False
    return all(t[0].isalnum() and t.lower() not in _GAP_STOP for t in tokens)


def subject_before(
    mentions: Sequence[tuple[int, int, str]],
    pos: int,
    sentence_start: int,
    text: str,
    *,
    max_words: int = 4,
    relative: Callable[[int, int], bool] | None = None,
) -> tuple[int, int, str] | None:
    """The athlete mention right before ``pos`` in its sentence, if the text between them
    keeps the phrase at ``pos`` about that athlete. ``relative``: crossing a relative clause
    ("Nuguse, who took bronze") is allowed when it accepts the clause, text[start:end] from
    "who" to the next comma or the end of its sentence (None: never)."""
    before = [m for m in mentions if sentence_start <= m[0] and m[1] <= pos]
    if not before:
        return None
    last = max(before, key=lambda m: m[1])
    gap = text[last[1] : pos]
    if gap.startswith(("'s", "’s")):
        gap = gap[2:]
    # "Nuguse, who took bronze": a relative clause is about the name right before it.
    elif relative is not None and (who := _WHO.match(gap)) is not None:
        end = CLAUSE_END.search(text, pos)
        if not relative(last[1] + who.start(1), end.start() if end else len(text)):
            return None
        gap = gap[who.end() :]
    return last if tight_gap(gap, max_words=max_words) else None


def margin_value(m: re.Match[str]) -> tuple[float, float]:
    """(claimed margin in seconds or metres, how far it may be off and still be right)."""
    if m["num"]:
        return float(m["num"]), 0.005
    if m["cm"]:
        return int(m["cm"]) / 100, 0.005
    count = _WORD_NUMBERS[m["word"].lower()]
    if m["unit"].lower().startswith("tenth"):
        return count / 10, 0.05
    return count / 100, 0.005


def format_margin(m: re.Match[str], actual: float) -> str:
    """The right margin, written the way the article wrote the wrong one."""
    if m["cm"]:
        return f"{round(actual * 100)}cm"
    if m["num"] and not re.search(r"sec", m["margin"], re.IGNORECASE):
        return f"{actual:.2f}s"
    return f"{actual:.2f} seconds"


@dataclass
class Sentence:
    start: int
    end: int
    athletes: list[Mention]
    event: Event | None
    disciplines: list[tuple[int, int, str]]
    dates: list[Suggestion]
    from_context: bool = False  # the championship is the article's, not named here
    occasions: tuple[Event, ...] = ()  # dated meetings named here, editions certain
    carried: bool = False  # the disciplines are the sentence before's, this one names none

    @property
    def discipline(self) -> str | None:
        names = {d for _, _, d in self.disciplines}
        return names.pop() if len(names) == 1 else None

    @property
    def named_discipline(self) -> str | None:
        """The discipline this sentence itself names (a title count or a world record is not
        about the discipline of the sentence before)."""
        return None if self.carried else self.discipline


def error(text: str, start: int, end: int, error_type: str, correction: str | None,
           note: str, rule: str) -> Suggestion:  # fmt: skip
    return Suggestion(start, end, "error", text[start:end], CONFIDENCE, rule,
                      error_type=error_type, correction=correction, note=note)  # fmt: skip


def day_of(s: Suggestion) -> dt.date | None:
    """The day a date span names, if it names one day (not a month, year or range)."""
    if s.value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", s.value):
        return dt.date.fromisoformat(s.value)
    return None


def covers(value: str, day: dt.date) -> bool:
    """Whether a date span's value ("2025", "2025-07", "2025-07-05", "2025-07-01/2025-07-31")
    takes in ``day``."""
    iso = day.isoformat()
    first, _, last = value.partition("/")
    if not last:
        return iso.startswith(first)
    return first <= iso[: len(first)] and iso[: len(last)] <= last


def wrong_day(text: str, d: Suggestion, right: dt.date, note: str, rule: str) -> Suggestion | None:
    """An error on the date span ``d`` when the day and month it names are not ``right``'s
    (the year is read elsewhere), its correction written in the article's style."""
    day = day_of(d)
    if day is None or (day.month, day.day) == (right.month, right.day):
        return None
    return error(text, d.start, d.end, "wrong_date", restyle_date(d.text, right), note, rule)


def recase(model: str, word: str) -> str:
    return word.capitalize() if model[:1].isupper() else word


_MONTH_NAMES = ("January February March April May June July August September October "
                "November December").split()  # fmt: skip


def restyle_date(written: str, right: dt.date) -> str:
    """The KB date written the way the article wrote the wrong one ('August 3' / '3 August',
    with the year if it had one)."""
    month = _MONTH_NAMES[right.month - 1]
    if not re.search(r"[A-Za-z]{3}", written):
        return right.isoformat()
    if re.search(r"\b[A-Z][a-z]{2}\b\.?", written) and not re.search(r"[A-Z][a-z]{3,}", written):
        month = month[:3]
    has_year = bool(re.search(r"\d{4}", written))
    if written.strip()[:1].isdigit():
        return f"{right.day} {month}" + (f" {right.year}" if has_year else "")
    return f"{month} {right.day}" + (f", {right.year}" if has_year else "")
