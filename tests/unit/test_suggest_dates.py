"""The date suggester: explicit, numeric, year, relative and weekday rules, and the seeds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from needs import missing

from annotator.core.suggest.dates import suggest_dates, value_bounds
from annotator.core.suggest.model import Suggestion

D = dt.date
RULES = {"date-explicit", "date-numeric", "date-year", "date-relative", "date-weekday"}
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def found(text: str, published: dt.date | None = None) -> list[tuple[str, str | None]]:
    return [(s.text, s.value) for s in suggest_dates(text, published=published)]


def one(text: str, published: dt.date | None = None) -> Suggestion:
    out = suggest_dates(text, published=published)
    assert len(out) == 1, [(s.text, s.value) for s in out]
    return out[0]


def check_invariants(text: str, out: list[Suggestion]) -> None:
    prev_end = -1
    for s in out:
        assert text[s.start : s.end] == s.text
        assert s.label == "date" and s.rule in RULES
        assert 0 < s.confidence <= 1
        assert s.start >= prev_end, "date suggestions overlap or are unsorted"
        prev_end = s.end
        if s.value is not None:
            first, last = value_bounds(s.value)
            assert first <= last


# --- explicit dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("It starts on September 13th.", "September 13th", "2025-09-13"),
        ("It starts on 13 September.", "13 September", "2025-09-13"),
        ("the final on the 13th of September", "13th of September", "2025-09-13"),
        ("He won on 6 August 2024 in Paris.", "6 August 2024", "2024-08-06"),
        ("He won on August 6, 2024 in Paris.", "August 6, 2024", "2024-08-06"),
        ("He won on Aug. 6, 2024.", "Aug. 6, 2024", "2024-08-06"),
        ("The heats are on Sept 14.", "Sept 14", "2025-09-14"),
        ("the Worlds run 13-21 September 2025", "13-21 September 2025", "2025-09-13/2025-09-21"),
        ("the Worlds run September 13–21", "September 13–21", "2025-09-13/2025-09-21"),
        ("it ran from 13 to 21 September", "13 to 21 September", "2025-09-13/2025-09-21"),
        ("from September 13 to 21 it rained", "September 13 to 21", "2025-09-13/2025-09-21"),
        ("on 8th to 9th August 2024", "8th to 9th August 2024", "2024-08-08/2024-08-09"),
        ("He turned pro in August 2023.", "August 2023", "2023-08"),
        ("He married in May of 2019.", "May of 2019", "2019-05"),
    ],
)
def test_explicit_dates(text: str, span: str, value: str) -> None:
    s = one(text, D(2025, 9, 12))
    assert (s.text, s.value, s.rule) == (span, value, "date-explicit")
    assert text[s.start : s.end] == span


def test_weekday_belongs_to_the_explicit_span() -> None:
    text = "inside the Stade de France on Tuesday August 6th."
    s = one(text, D(2024, 3, 1))
    assert (s.text, s.value, s.confidence) == ("Tuesday August 6th", "2024-08-06", 0.85)
    s = one("on Tuesday, 6 August 2024", None)
    assert (s.text, s.value, s.confidence) == ("Tuesday, 6 August 2024", "2024-08-06", 0.95)


def test_weekday_that_contradicts_the_date_lowers_confidence_and_says_why() -> None:
    s = one("on Wednesday August 6, 2024")
    assert s.value == "2024-08-06" and s.confidence == 0.8
    assert s.note is not None and "Tuesday" in s.note


def test_weekday_picks_the_year_of_a_date_without_one() -> None:
    # 13 September is a Saturday in 2025, a Friday in 2024: the weekday decides.
    assert one("on Friday September 13", D(2025, 3, 1)).value == "2024-09-13"
    assert one("on Saturday September 13", D(2025, 3, 1)).value == "2025-09-13"


def test_a_newspaper_called_sun_is_not_a_weekday() -> None:
    assert found("Sun 13 September", D(2025, 9, 12)) == [("13 September", "2025-09-13")]


def test_confidences() -> None:
    assert one("on 6 August 2024").confidence == 0.95
    assert one("on 6 August", D(2024, 3, 1)).confidence == 0.85
    assert one("in August 2024").confidence == 0.9
    assert one("in August", D(2024, 3, 1)).confidence == 0.75


@pytest.mark.parametrize(
    ("published", "value"),
    [
        (D(2025, 9, 12), "2025-09-13"),  # a day later
        (D(2025, 1, 10), "2024-09-13"),  # last season's September is closer
        (D(2025, 5, 1), "2025-09-13"),
    ],
)
def test_date_without_year_takes_the_occurrence_closest_to_published(
    published: dt.date, value: str
) -> None:
    assert one("on September 13", published).value == value


def test_date_without_year_or_published_has_no_value_and_low_confidence() -> None:
    s = one("on September 13th")
    assert s.value is None and s.confidence < 0.85 and s.text == "September 13th"
    s = one("in June")
    assert s.value is None and s.text == "June"


def test_impossible_day_is_not_given_a_value() -> None:
    s = one("on 31 September 2025")
    assert s.value is None and s.note == "not a calendar date"


def test_month_with_preposition() -> None:
    pub = D(2024, 8, 1)
    assert found("the meeting in Eugene in May for a record", pub) == [("May", "2024-05")]
    assert found("since March", pub) == [("March", "2024-03")]
    assert found("in mid-July", pub) == [("July", "2024-07")]
    assert found("by the end of October", pub) == [("October", "2024-10")]
    assert found("by the end of October", D(2025, 1, 20)) == [("October", "2024-10")]
    assert found("February's Millrose Games", pub) == [("February", "2024-02")]


@pytest.mark.parametrize(
    "text",
    [
        "Theresa May said the race was fine.",
        "Theresa May 12 times said no.",
        "Theresa May 2019 memoirs",
        "they march on the capital",
        "They March on.",
        "April Ross won the beach volleyball.",
        "June Carter sang.",
        "an August occasion",
        "Jan Zelezny threw further.",
        "The Sun reported it.",
        "He may run.",
        "In May 12 athletes tested positive.",
        "In August 14 nations entered.",
        "March's World Indoor Championships",
        "He won 2 May titles.",
        "March 2 times",
    ],
)
def test_month_words_that_are_not_dates(text: str) -> None:
    assert found(text, D(2024, 5, 24)) == []


# --- numeric dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "confidence"),
    [
        ("Birthday: 1993-05-13", "1993-05-13", 0.95),
        ("on 2024/08/06", "2024-08-06", 0.95),
        ("at 2024-08-06T19:30", "2024-08-06", 0.95),
        ("on 13/09/2025", "2025-09-13", 0.9),
        ("on 09/13/2025", "2025-09-13", 0.9),
        ("on 13.09.2025", "2025-09-13", 0.9),
        ("on 06/06/2024", "2024-06-06", 0.9),
    ],
)
def test_numeric_dates(text: str, value: str, confidence: float) -> None:
    s = one(text)
    assert (s.value, s.rule, s.confidence) == (value, "date-numeric", confidence)


@pytest.mark.parametrize(
    "text",
    [
        "on 06/08/2024",
        "2024-02-30",
        "v1.2.2024",
        "3:26.73",
        "Phone: +25815234346805",
        "CT 66893-2169",
        "12/31/24",
    ],
)
def test_ambiguous_or_invalid_numbers_are_not_dates(text: str) -> None:
    assert found(text) == []


# --- years -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("at the Paris Olympics in 2024, where", ["2024"]),
        ("which had stood since 2015.", ["2015"]),
        ("Reflecting on the 2023 season, he", ["2023"]),
        ("Britain's 2022 world champion Jake Wightman", ["2022"]),
        ("at the 2025 World Championships in Tokyo", ["2025"]),
        ("their 2025 seasons", ["2025"]),
        ("the 2023 Prefontaine Classic", ["2023"]),
        ("Josh Kerr opens up on his rivalry (2024)", ["2024"]),
        ("he did it in 1980 and 1984.", ["1980", "1984"]),
        ("between 2019 and 2021", ["2019", "2021"]),
        ("in early 2024", ["2024"]),
        ("by mid-2026", ["2026"]),
        ("the class of 2024", ["2024"]),
        ("until 2100", ["2100"]),
    ],
)
def test_years_in_temporal_use(text: str, years: list[str]) -> None:
    out = suggest_dates(text)
    assert [(s.text, s.value, s.rule, s.confidence) for s in out] == [
        (y, y, "date-year", 0.6) for y in years
    ]


@pytest.mark.parametrize(
    "text",
    [
        "He won the 1500m.",
        "the 3000m steeplechase",
        "in 1500m races",
        "lowering the record to 3:26.73",
        "the 10,000m",
        "over 2,000 metres",
        "a 1:41.11 run",
        "in 1 hour 59",
        "No. 2024 on the list",
        "the 2000 metres",
        "in 2000 metres",
        "won by 2000 votes",
        "the 200m and the 4x400m",
        "2024 runners entered",
        "a total of 2024",
        "in 1899",
        "in 2101",
        "the 2023-24 season",
        "Kerr and Ingebrigsten at Paris 2024",
        "the 1990s",
        "he scored 2024 points",
    ],
)
def test_numbers_that_are_not_years(text: str) -> None:
    assert found(text) == []


# --- relative dates --------------------------------------------------------------------------

PUB = D(2024, 3, 1)  # a Friday


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("the injury he sustained last October, shortly", "last October", "2023-10-01/2023-10-31"),
        ("in Budapest last August", "last August", "2023-08-01/2023-08-31"),
        ("since last March", "last March", "2023-03-01/2023-03-31"),  # strictly before
        ("next March", "next March", "2025-03-01/2025-03-31"),
        ("this October", "this October", "2024-10-01/2024-10-31"),
        ("in great shape earlier this year, when", "earlier this year", "2024-01-01/2024-03-01"),
        ("later this year", "later this year", "2024-03-01/2024-12-31"),
        ("the final last year", "last year", "2023"),
        ("at last year's World Championship", "last year", "2023"),
        ("the Worlds this year", "this year", "2024"),
        ("next year", "next year", "2025"),
        ("this season", "this season", "2024"),
        ("last month.", "last month", "2024-02-01/2024-02-29"),
        ("Last month, he said", "Last month", "2024-02-01/2024-02-29"),
        ("next month", "next month", "2024-04-01/2024-04-30"),
        ("earlier this month", "earlier this month", "2024-03-01/2024-03-01"),
        ("last week", "last week", "2024-02-19/2024-02-25"),
        ("earlier this week", "earlier this week", "2024-02-26/2024-03-01"),
        ("absent from Glasgow this weekend.", "this weekend", "2024-03-02/2024-03-03"),
        ("last weekend", "last weekend", "2024-02-24/2024-02-25"),
        ("who last summer ran", "last summer", "2023-06-01/2023-08-31"),
        ("this summer", "this summer", "2024-06-01/2024-08-31"),
        ("last winter", "last winter", "2023-12-01/2024-02-29"),
        ("yesterday", "yesterday", "2024-02-29"),
        ("Today he runs", "Today", "2024-03-01"),
        ("tomorrow", "tomorrow", "2024-03-02"),
        ("last night", "last night", "2024-02-29"),
        ("the final nine months ago, when", "nine months ago", "2023-06-01/2023-06-30"),
        ("3 weeks ago", "3 weeks ago", "2024-02-05/2024-02-11"),
        ("three days ago", "three days ago", "2024-02-27"),
        ("a year ago", "a year ago", "2023"),
        ("only a couple of weeks ago, moving", "a couple of weeks ago", "2024-02-09/2024-02-23"),
        ("two months out from the Paris Olympics", "two months out", "2024-05-01/2024-05-31"),
    ],
)
def test_relative_dates(text: str, span: str, value: str) -> None:
    s = one(text, PUB)
    assert (s.text, s.value) == (span, value)
    assert s.rule == "date-relative"
    assert s.confidence in (0.6, 0.7)


def test_last_summer_after_august_is_the_summer_just_past() -> None:
    assert one("last summer", D(2024, 9, 15)).value == "2024-06-01/2024-08-31"
    assert one("last summer", D(2024, 8, 15)).value == "2023-06-01/2023-08-31"


def test_this_weekend_on_a_sunday_is_the_weekend_under_way() -> None:
    assert one("this weekend", D(2024, 3, 3)).value == "2024-03-02/2024-03-03"


def test_relative_without_published_has_no_value() -> None:
    out = suggest_dates("last October and nine months ago and this year and on Saturday")
    assert [s.text for s in out] == ["last October", "nine months ago", "this year", "Saturday"]
    assert all(s.value is None and s.confidence == 0.5 for s in out)


@pytest.mark.parametrize(
    "text",
    [
        "over the last year",
        "in his last season",
        "for the next month",
        "next weekend",
        "He was two months out injured.",
        "every Saturday",
        "Good Friday",
        "that Friday",
        "USA Today reported",
        "the Today programme",
        "in today's game",
        "at the last minute",
        "an earlier season",
        "three weeks later",
    ],
)
def test_relative_words_that_are_not_dates(text: str) -> None:
    assert found(text, PUB) == []


# --- weekdays --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Kerr will race on Saturday.", "Saturday", "2024-03-02"),
        ("Kerr races on Tuesday.", "Tuesday", "2024-03-05"),  # no tense marker: future
        ("Kerr said on Tuesday that", "Tuesday", "2024-02-27"),
        (
            "At the media conference on Thursday evening, Kerr was asked",
            "Thursday evening",
            "2024-02-29",
        ),
        ("He starts with Friday morning's heats", "Friday morning", "2024-03-01"),
        ("last Saturday", "last Saturday", "2024-02-24"),
        ("last Friday", "last Friday", "2024-02-23"),  # strictly before published
        ("next Friday", "next Friday", "2024-03-08"),
        ("this Sunday", "this Sunday", "2024-03-03"),
        ("Saturday's final", "Saturday", "2024-03-02"),
        # The clause is cut where the shared splitter ends a sentence: not at the decimal
        # point of a mark or after "Mr.", but at a full stop before a capital.
        ("Kerr ran 3:26.73 on Saturday in Eugene.", "Saturday", "2024-02-24"),
        ("Mr. Kerr won on Saturday.", "Saturday", "2024-02-24"),
        ("Kerr won in 3:47.40. On Saturday he races.", "Saturday", "2024-03-02"),
    ],
)
def test_weekdays(text: str, span: str, value: str) -> None:
    s = one(text, PUB)
    assert (s.text, s.value, s.rule, s.confidence) == (span, value, "date-weekday", 0.7)


# --- overlaps, offsets, scale ----------------------------------------------------------------


def test_no_overlaps_longest_wins() -> None:
    text = "On Tuesday August 6th, 2024 and in August 2024 and last October 2023 he ran."
    out = suggest_dates(text, published=PUB)
    check_invariants(text, out)
    assert [s.text for s in out] == ["Tuesday August 6th, 2024", "August 2024", "October 2023"]


def test_offsets_are_code_points() -> None:
    text = "“Kerr” 🏃‍♂️ — café — won on 13 September 2025 (2024) ✓ last year"
    out = suggest_dates(text, published=D(2025, 9, 12))
    check_invariants(text, out)
    assert [(s.text, s.value) for s in out] == [
        ("13 September 2025", "2025-09-13"),
        ("2024", "2024"),
        ("last year", "2024"),
    ]


def test_accepts_a_datetime_as_published() -> None:
    assert one("yesterday", dt.datetime(2024, 3, 1, 23, 59)).value == "2024-02-29"


def test_value_bounds() -> None:
    assert value_bounds("2024") == (D(2024, 1, 1), D(2024, 12, 31))
    assert value_bounds("2024-02") == (D(2024, 2, 1), D(2024, 2, 29))
    assert value_bounds("2024-08-06") == (D(2024, 8, 6), D(2024, 8, 6))
    assert value_bounds("2023-10-01/2023-10-31") == (D(2023, 10, 1), D(2023, 10, 31))


INLINE = """\
Josh Kerr will resume his rivalry with Jakob Ingebrigtsen on Saturday, nine months ago they \
met in Budapest. The final is on Tuesday August 6th, two months out from the Paris Olympics.
He won in 2022 and 2023, set a record of 3:26.73 over 1500m, and ran the 3000m steeplechase \
last October. Theresa May watched them march; the 4x400m and the 10,000m came later.
Earlier this year (2024) he said on Thursday that a couple of weeks ago the 2023 season ended.
Results: 13/09/2025, 2024-08-06, 06/08/2024, No. 2024, in 2000 metres.
"""


def test_inline_article() -> None:
    out = suggest_dates(INLINE, published=D(2024, 5, 24))
    check_invariants(INLINE, out)
    assert [(s.text, s.value) for s in out] == [
        ("Saturday", "2024-05-25"),
        ("nine months ago", "2023-08-01/2023-08-31"),
        ("Tuesday August 6th", "2024-08-06"),
        ("two months out", "2024-07-01/2024-07-31"),
        ("2022", "2022"),
        ("2023", "2023"),
        ("last October", "2023-10-01/2023-10-31"),
        ("Earlier this year", "2024-01-01/2024-05-24"),
        ("2024", "2024"),
        ("Thursday", "2024-05-23"),
        ("a couple of weeks ago", "2024-05-03/2024-05-17"),
        ("2023", "2023"),
        ("13/09/2025", "2025-09-13"),
        ("2024-08-06", "2024-08-06"),
    ]


def _corpus() -> str:
    parts = [INLINE]
    if SEEDS.is_dir():
        parts += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    return "\n\n".join(parts)


def test_large_text_offsets_are_consistent() -> None:
    """~200 KB of copies: same suggestions in each copy, shifted by the copy's offset."""
    unit = _corpus() + "\n\n"
    copies = 200_000 // len(unit) + 1
    big = unit * copies
    pub = D(2024, 5, 24)
    single = suggest_dates(unit, published=pub)
    out = suggest_dates(big, published=pub)
    check_invariants(big, out)
    assert len(out) == copies * len(single)
    for k in range(copies):
        shift = k * len(unit)
        chunk = out[k * len(single) : (k + 1) * len(single)]
        assert [(s.start - shift, s.end - shift, s.value) for s in chunk] == [
            (s.start, s.end, s.value) for s in single
        ]


# --- the seed articles -----------------------------------------------------------------------


def _seed(prefix: str) -> str:
    if not SEEDS.is_dir():
        missing("seed articles are not present")
    paths = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not paths:
        missing(f"seed {prefix} is not present")
    return paths[0].read_text(encoding="utf-8")


def _values(text: str, published: dt.date | None) -> list[tuple[str, str | None]]:
    out = suggest_dates(text, published=published)
    check_invariants(text, out)
    return [(s.text, s.value) for s in out]


def test_seed_000() -> None:
    text = _seed("000")
    got = _values(text, D(2025, 9, 12))
    assert ("September 13th", "2025-09-13") in got
    assert ("September 14th", "2025-09-14") in got
    assert ("this year", "2025") in got
    i = text.index("at the Paris Olympics in 2024") + len("at the Paris Olympics in ")
    year = [s for s in suggest_dates(text, published=D(2025, 9, 12)) if s.start == i]
    assert [(s.text, s.rule) for s in year] == [("2024", "date-year")]
    assert not any(s.text == "2024" and text[s.start - 6 : s.start] == "Paris " for s in year)
    assert all("1500" not in t for t, _ in got)


def test_seed_001() -> None:
    got = _values(_seed("001"), D(2024, 5, 24))
    for item in [
        ("Saturday", "2024-05-25"),
        ("Saturday night", "2024-05-25"),
        ("nine months ago", "2023-08-01/2023-08-31"),
        ("two months out", "2024-07-01/2024-07-31"),
        ("last year", "2023"),
        ("2022", "2022"),
        ("earlier this year", "2024-01-01/2024-05-24"),
        ("last September", "2023-09-01/2023-09-30"),
        ("last summer", "2023-06-01/2023-08-31"),
        ("2024", "2024"),
    ]:
        assert item in got
    assert not any(t in ("1500", "3,000", "800") for t, _ in got)


def test_seed_004() -> None:
    text = _seed("004")
    got = _values(text, D(2024, 3, 1))
    assert ("Tuesday August 6th", "2024-08-06") in got
    assert ("last October", "2023-10-01/2023-10-31") in got
    assert ("this weekend", "2024-03-02/2024-03-03") in got
    assert ("last August", "2023-08-01/2023-08-31") in got
    assert ("Thursday evening", "2024-02-29") in got
    # without a publication date the spans remain, unresolved
    bare = suggest_dates(text)
    tuesday = [s for s in bare if s.text == "Tuesday August 6th"]
    assert len(tuesday) == 1 and tuesday[0].value is None


def test_seeds_have_no_dates_in_results_or_distances() -> None:
    if not SEEDS.is_dir():
        missing("seed articles are not present")
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for s in suggest_dates(text, published=D(2024, 6, 1)):
            after = text[s.end : s.end + 2]
            assert not after[:1].isalnum(), (path.name, s.text)
            assert not (after[:1] in ":.," and after[1:].isdigit()), (path.name, s.text)
            assert not text[s.start : s.end + 3].endswith(" metres"), (path.name, s.text)


def test_add_months_is_relativedeltas_month():
    from dateutil.relativedelta import relativedelta

    from annotator.core.suggest.dates.common import add_months

    days = [dt.date(2023, 1, 1) + dt.timedelta(days=n) for n in range(0, 800, 7)]
    days += [dt.date(2024, 1, 31), dt.date(2024, 12, 31), dt.date(2023, 3, 31)]
    for d in days:
        for k in range(-27, 28):
            assert add_months(d, k) == (d + relativedelta(months=k)).replace(day=1), (d, k)
