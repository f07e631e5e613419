"""Event spans no KB name covers: one race named by its discipline ("Olympic 1500m final",
"the 5000m final", "Diamond League 1500m"), national championships and trials ("British
Championships", "Kenyan trials", "US Olympic Trials"), and the words a span takes on either
side of its name ("meeting", a discipline, a trailing "in <City>").

What the annotation guide keeps out stays out: "Olympic" before a medal, record, title or
champion, a title ("world title"), a discipline alone ("the 1500m"), a city alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from .scan import finditer_at, initial_words
from .text_helpers import COMMON_WORDS, NATIONALITIES

_YEAR = r"(?:19|20)\d\d"
# A discipline: a distance (with its kind of race), a relay, or a field event by name.
DISCIPLINE = (
    r"(?:(?:\d{1,3},\d{3}|\d{2,5})\s?(?:m|km|metres|meters)(?: (?:hurdles|steeplechase|"
    r"race ?walk|walk))?|4\s?x\s?\d{3}\s?m(?: relay)?|mile|marathon|half marathon|"
    r"steeplechase|high jump|long jump|triple jump|pole vault|shot put|shot|discus|hammer|"
    r"javelin|heptathlon|decathlon|pentathlon)"
)
_SEX = r"(?:(?:men|women)['’]s )"
# Qualifiers naming the meeting a race belongs to; lowercase forms are how news writes them
# ("the world 800m final").
_MEETING = (
    r"(?:Olympic|[Ww]orld(?: [Ii]ndoor)?|European(?: [Ii]ndoor)?|Commonwealth(?: Games)?|"
    r"Diamond League|NCAA|[Nn]ational|[Ii]ndoor)"
)
_FINAL = r"(?:final|Final)(?! (?:lap|straight|bend|stretch|metres|meters|\d))"  # in tails
# "Olympic 1500m final", "world 800m final", "the 5000m final", "2023 world 1500m final";
# with a meeting named, "race" as well as "final": "the Olympic 10,000m race".
# Matched backwards from the word that ends them (see _anchored), hence the \Z.
RACE = re.compile(
    rf"(?<![\w-])(?:{_YEAR} )?(?:{_MEETING} {_SEX}?{DISCIPLINE} (?:[Ff]inal|race)"
    rf"|{_SEX}?{DISCIPLINE} [Ff]inal)\Z"
)
_NATIONAL_ADJ = sorted(
    (
        w.capitalize()
        for w in NATIONALITIES
        if not w.endswith(("s", "man", "men", "woman"))
        and w not in ("european", "african", "asian", "scandinavian", "scot")
    ),
    key=len,
    reverse=True,
)
_NATIONAL_QUAL = (
    r"(?: (?:Olympic|World Championships?|Indoor|Outdoor|Athletics|Track and Field|"
    r"Cross[- ]Country|Road|Senior|Junior|U\d\d|Marathon|National|Team))*"
)
# "British Championships", "Kenyan trials", "US Olympic Trials", "2024 NCAA Championships".
NATIONAL = re.compile(
    rf"(?<![\w-])(?:{_YEAR} )?(?:{'|'.join(_NATIONAL_ADJ)}|US|U\.S\.|USA|USATF|UK|NCAA)"
    rf"{_NATIONAL_QUAL} (?:[Cc]hampionships|[Tt]rials)\Z"
)
# After "Diamond League": the race or the meeting it names ("Diamond League 1500m",
# "Diamond League meeting").
DIAMOND_TAIL = re.compile(rf" (?:{_SEX}?{DISCIPLINE}(?: (?:{_FINAL}|race))?|meeting)(?![\w-])")
# After any event name: one race of it ("Paris Olympics 1500m final").
RACE_TAIL = re.compile(rf" {_SEX}?{DISCIPLINE} {_FINAL}(?![\w-])")
# RACE and NATIONAL open with optional qualifiers, which leaves `re` no first character to
# skip ahead by; scanning a whole article with them costs 20x a literal scan. So the word that
# ends them is found first, and they are tried once, in a short window ending at it.
_RACE_END = re.compile(initial_words(["Final", "final", "race"]) + r"\b(?!-)")
_NATIONAL_END = re.compile(
    initial_words(["Championships", "championships", "Trials", "trials"]) + r"\b(?!-)"
)
# The words that end an event name no KB name covers; events.py reads the words before it
# (a host city, a meeting's name) backwards from each hit. No capture groups: they would
# cost the scan its fast first-character filter (25x slower).
ANCHOR = re.compile(
    r"Olympic Games|Olympics|World (?:Athletics )?(?:Indoor )?Championships?"
    r"|European (?:Athletics )?(?:Indoor )?Championships|European Indoors|Commonwealth Games"
    r"|Diamond League(?: [Ff]inals?)?|Half Marathon|Marathon|Classic|Games|Mile"
    r"|World Indoors|Worlds|Invitational|Relays"
)
#: The words each pattern opens with, for the shared automaton pass (openings.py): an "r"
#: or "f" starts a try of _RACE_END at nearly every word, and ANCHOR's capitals are common.
OPENING_WORDS: dict[str, list[str]] = {
    "race_end": ["final", "race"],
    "national_end": ["championships", "trials"],
    "anchor": "olympic world european commonwealth diamond half marathon classic games mile "
    "invitational relays".split(),
}
# "the 1500m final lap", "the final straight": a part of a race, not the race.
_PART_OF_A_RACE = re.compile(r" (?:lap|straight|bend|stretch|metres|meters|\d)")
_WINDOW = 90
# A RACE ends "<discipline> final|race", so the text before its end word ends with one of
# these (how DISCIPLINE's alternatives end, and a space): where it does not ("the final"),
# the window search, tried at each of 90 positions, is skipped.
_DISCIPLINE_ENDS = tuple(
    f"{w} "
    for w in (
        "m metres meters hurdles steeplechase walk relay mile marathon jump vault put shot discus "
        "hammer javelin heptathlon decathlon pentathlon"
    ).split()
)


# Likewise NATIONAL: a nationality, a federation or a qualifier before its end word.
_NATIONAL_ENDS = tuple(
    f"{w} "
    for w in (
        *_NATIONAL_ADJ,
        "US",
        "U.S.",
        "USA",
        "USATF",
        "UK",
        "NCAA",
        "Olympic",
        "Championship",
        "Championships",
        "Indoor",
        "Outdoor",
        "Athletics",
        "Field",
        "Country",
        "Road",
        "Senior",
        "Junior",
        "Marathon",
        "National",
        "Team",
    )
)
_AGE_GROUP = re.compile(r"U\d\d ")  # the qualifier U\d\d: "U20 Championships"


def _race_may_end(text: str, at: int) -> bool:
    return text.endswith(_DISCIPLINE_ENDS, 0, at)


def _national_may_end(text: str, at: int) -> bool:
    return text.endswith(_NATIONAL_ENDS, 0, at) or (
        at >= 4 and _AGE_GROUP.match(text, at - 4, at) is not None
    )


def _anchored(
    text: str,
    ends: re.Pattern[str],
    pattern: re.Pattern[str],
    may_end: Callable[[str, int], bool] | None = None,
    starts: Sequence[int] | None = None,
) -> list[re.Match[str]]:
    out = []
    for hit in finditer_at(ends, text, starts):
        if hit.group() in ("final", "Final") and _PART_OF_A_RACE.match(text, hit.end()):
            continue
        if may_end is not None and not may_end(text, hit.start()):
            continue  # pattern cannot end here
        if m := pattern.search(text, max(0, hit.start() - _WINDOW), hit.end()):
            out.append(m)
    return out


def races(text: str, starts: Sequence[int] | None = None) -> list[re.Match[str]]:
    """RACE's matches; ``starts``: where OPENING_WORDS["race_end"] start, when known."""
    return _anchored(text, _RACE_END, RACE, _race_may_end, starts)


def national_championships(text: str, starts: Sequence[int] | None = None) -> list[re.Match[str]]:
    """NATIONAL's matches; ``starts``: where OPENING_WORDS["national_end"] start, when known."""
    return _anchored(text, _NATIONAL_END, NATIONAL, _national_may_end, starts)


_CITY = r"[A-Z][a-zà-ÿ]+(?:[- ][A-Z][a-zà-ÿ]+)?"
TRAIL_PLACE = re.compile(rf" in (?P<city>{_CITY})(?![\w-])")
_NOT_A_PLACE = COMMON_WORDS | NATIONALITIES


def trailing_place(text: str, end: int, cities: Collection[str]) -> int | None:
    """End of a trailing " in <City>" after ``end``, or None. A KB city always counts; any
    other capitalised word only when it is not a month, weekday, nationality or function
    word ("in August", "in British"), and the next word does not carry on a name."""
    m = TRAIL_PLACE.match(text, end)
    if m is None:
        return None
    city = m["city"]
    if city not in cities:
        first = city.split()[0].split("-")[0]
        if first.lower() in _NOT_A_PLACE:
            return None
        if re.match(r" [A-Z]", text[m.end() : m.end() + 2]):
            return None  # "in Paris Saint-Germain colours": not a place we can be sure of
    if city.split()[-1].lower() in _NOT_A_PLACE:  # "in Eugene On Sunday"
        return m.start("city") + len(city.split()[0])
    return m.end()
