"""The patterns rewritten to open with a character class (suggest/scan.py) match exactly
what their plain forms match: same spans, same groups, on tricky and on ordinary text."""

from __future__ import annotations

import re

import pytest

from annotator.core import sentences
from annotator.core.suggest import claim_text, claims, event_patterns
from annotator.core.suggest.scan import initial_class, initial_words

SAMPLES = [
    "Gold, SILVER and bRoNzE: she won the final, a record, her first second third title.",
    "ſilver ſixth İst ıt Kelvin \u212aelvin goldsmith ungold gold-medal _gold 3gold",
    "The 1500m, 1,500 metres, 10,000m, 10000 m, 5,000-meters, 3000m steeplechase, 400m "
    "hurdles, 110m Hurdles, 800 M, 2,00m, x100m, .400m, ,800m, 100mile, 1,5000m.",
    "Mile MARATHON high jump pole vault long jump triple jump shot put discus hammer "
    "javelin heptathlon decathlon, Hammerfest, milestone, Steeplechase, Shot Put, Ddiscus.",
    "Final final race races Championships championships Trials trials finale Final-ist "
    "re-race, the final. The race-day. Trials\u2019 end.",
    "He ran 3:26.73. Then... \"Yes!\" she said? no. \n\n\nNext?!\u201d Go\u2026 on. .. ...x a.",
]


def _same(old: re.Pattern[str], new: re.Pattern[str], text: str) -> None:
    for pos in range(0, len(text), 7):
        a = [(m.span(), m.groupdict()) for m in old.finditer(text, pos)]
        b = [(m.span(), m.groupdict()) for m in new.finditer(text, pos)]
        assert a == b, (text, pos)


@pytest.mark.parametrize("text", SAMPLES)
def test_trigger_and_event_ends(text: str) -> None:
    _same(re.compile(r"\b(?:gold|silver|bronze|won|captured|final|record|first|second|third|"
                     r"fourth|fifth|sixth)\b", re.IGNORECASE), claims._TRIGGER, text)
    _same(re.compile(r"\b(?:[Ff]inal|race)\b(?!-)"), event_patterns._RACE_END, text)
    _same(re.compile(r"\b(?:[Cc]hampionships|[Tt]rials)\b(?!-)"),
          event_patterns._NATIONAL_END, text)


@pytest.mark.parametrize("text", SAMPLES)
def test_disciplines(text: str) -> None:
    plain = re.compile(
        r"(?<![\w,.])(?P<metres>100|110|200|400|800|1,?500|3,?000|5,?000|10,?000)"
        r"(?:\s?m\b|\s?-?met(?:re|er)s?\b)(?:\s+(?P<kind>hurdles|steeplechase|steeple))?"
        r"|\b(?P<named>mile|marathon|steeplechase|high jump|pole vault|long jump|triple jump|"
        r"shot put|discus|hammer|javelin|heptathlon|decathlon)\b",
        re.IGNORECASE,
    )
    for pos in range(0, len(text), 5):
        a = [(m.span(), m["metres"], m["kind"], m["named"]) for m in plain.finditer(text, pos)]
        b = [(m.span(), m["metres"] and text[m.start()] + m["metres"], m["kind"],
              None if m["metres"] is not None else m.group())
             for m in claim_text._DISCIPLINE.finditer(text, pos)]
        assert a == b, (text, pos)


@pytest.mark.parametrize("text", SAMPLES)
def test_sentence_breaks(text: str) -> None:
    _same(re.compile(r"\n+|[.!?…]+[\"'’”)\]]*(?=\s|$)"), sentences._BREAK, text)


def test_initial_class_spells_out_every_case_ignorecase_pairs() -> None:
    letters = "abcdefghijklmnopqrstuvwxyz"
    cls = re.compile(initial_class(letters, ignorecase=True))
    for cp in range(0x10000):
        ch = chr(cp)
        paired = any(re.fullmatch(c, ch, re.IGNORECASE) for c in letters)
        assert bool(cls.fullmatch(ch)) == paired, hex(cp)


def test_initial_words_order_is_kept() -> None:
    rx = re.compile(initial_words(["ab", "abc"]) + "c?")
    assert rx.match("abc").group() == "abc"  # "ab" first, then the optional c
    assert re.compile(initial_words(["abc", "ab"])).match("abc").group() == "abc"


def test_name_token() -> None:
    from annotator.core.suggest import text_helpers

    plain = re.compile(
        rf"\b{text_helpers._upper_class()}[^\W\d_]*"
        r"(?:['’\-](?!s\b)[^\W\d_]+|[\u0300-\u036f]+[^\W\d_]*)*"
    )
    every = "".join(chr(c) for c in range(0x20, 0x3000) if chr(c) != "\n")
    for text in [*SAMPLES, every, "aⒶ Ⓐx .Ⓐ xA A Kerr’s Sha'Carri O'Neil-Smith Nordå\u030as"]:
        _same(plain, text_helpers.NAME_TOKEN, text)


@pytest.mark.parametrize("text", [*SAMPLES, "İstanbul gold", "ıt won", "GOLD\u212a won",
                                  "ſteeplechase 1,500m 1500 m 10,000m smile mile"])
def test_word_starts_find_what_the_pattern_finds(text: str) -> None:
    from annotator.core.suggest.scan import finditer_at

    for pos in range(0, len(text), 3):
        piece = text[pos:]
        words = claims._WORDS.starts(piece)
        a = [m.span() for m in claims._TRIGGER.finditer(piece)]
        assert [m.span() for m in finditer_at(claims._TRIGGER, piece,
                                              words and words["trigger"])] == a
        d = claim_text.disciplines(piece, 0, len(piece))
        assert claim_text.disciplines(piece, 0, len(piece), words and words["discipline"]) == d


@pytest.mark.parametrize("text", [
    *SAMPLES, "colour colours colour's colour-blind xcolour colourx 1colour colour1 _colour",
    "metres/second, meters. Meters metre’s ’metre color; organize (defence) programme", "",
])
def test_variant_counts_count_the_lower_case_words(text: str) -> None:
    from annotator.core.suggest import spelling_variant as sv

    words = sv._LOWER_WORD.findall(text)
    gb = sum(1 for w in words if w in sv.BRITISH)
    us = sum(1 for w in words if w not in sv.BRITISH and w in sv.AMERICAN)
    assert sv.variant_counts(text) == (gb, us)


@pytest.mark.parametrize("text", [
    *SAMPLES, "On Monday, last year, earlier this month, two weeks ago, out from Sept. 3 "
    "and Aug 5 thisyear Blast yesterday Today tomorrow's tonight without about Mayday",
])
def test_date_openings_find_what_the_patterns_find(text: str) -> None:
    from annotator.core.suggest.dates import patterns as p
    from annotator.core.suggest.scan import finditer_at

    at = p.OPENINGS.starts(text)
    assert at is not None
    for group, rx in (("month", p.MONTH), ("relative", p.RELATIVE), ("day_word", p.DAY_WORD),
                      ("ago", p.AGO), ("weekday", p.WEEKDAY)):
        expected = [(m.span(), m.groupdict()) for m in rx.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in finditer_at(rx, text, at[group])] == expected
