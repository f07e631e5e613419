"""Event spans as the annotation guide draws them: races named by discipline, bare series
names, national championships and trials, a leading year and a trailing "in <City>"; and
what the guide says is not an event."""

from __future__ import annotations

import datetime as dt

import pytest

from annotator.core.kb import Athlete, Event, KnowledgeBase
from annotator.core.suggest.engine import SuggestionEngine

D = dt.date
KB = KnowledgeBase(
    athletes=(Athlete("Josh Kerr"), Athlete("Cole Hocker"), Athlete("Faith Kipyegon")),
    events=(
        Event(
            "Paris Olympics",
            "olympics",
            2024,
            ("Paris 2024",),
            "Paris",
            "FRA",
            D(2024, 8, 1),
            D(2024, 8, 11),
        ),
        Event(
            "World Championships",
            "world_championships",
            2023,
            (),
            "Budapest",
            "HUN",
            D(2023, 8, 19),
            D(2023, 8, 27),
        ),
        Event(
            "World Championships",
            "world_championships",
            2025,
            (),
            "Tokyo",
            "JPN",
            D(2025, 9, 13),
            D(2025, 9, 21),
        ),
        Event(
            "Bislett Games",
            "diamond_league",
            2025,
            (),
            "Oslo",
            "NOR",
            D(2025, 6, 12),
            D(2025, 6, 12),
        ),
    ),
)
ENGINE = SuggestionEngine(KB, use_spacy=False)
PUBLISHED = D(2025, 10, 1)


def events(text: str) -> list[str]:
    out = ENGINE.suggest(text, published=PUBLISHED)
    for s in out:
        assert text[s.start : s.end] == s.text
    return [s.text for s in out if s.label == "event"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hocker kicked hardest in the Olympic 1500m final.", ["Olympic 1500m final"]),
        ("Only two Britons reached the 5000m final this time.", ["5000m final"]),
        ("She led the world 800m final from the gun.", ["world 800m final"]),
        ("Kerr lowered his best in the Diamond League 1500m last night.", ["Diamond League 1500m"]),
        ("The women's 10,000m final was slow until the bell.", ["women's 10,000m final"]),
        ("The 2023 world 1500m final still haunts him.", ["2023 world 1500m final"]),
        (
            "They met again in the European 3000m steeplechase final.",
            ["European 3000m steeplechase final"],
        ),
        ("She was third in the Olympic 10,000m race.", ["Olympic 10,000m race"]),
    ],
)
def test_a_race_named_by_discipline_and_final_is_one_event(text, expected):
    assert events(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Every sprinter dreams of the Olympics.", ["Olympics"]),
        ("He peaked too early for the Worlds.", ["Worlds"]),
        ("She has not lost in the Diamond League since May.", ["Diamond League"]),
        (
            "The Diamond League meeting in Oslo drew a full house.",
            ["Diamond League meeting in Oslo"],
        ),
    ],
)
def test_bare_series_names_are_events(text, expected):
    assert events(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He needs a top-three place at the British Championships.", ["British Championships"]),
        ("Nobody expected her to win the Kenyan trials.", ["Kenyan trials"]),
        (
            "Three of them made the team at the US Olympic Trials in Eugene.",
            ["US Olympic Trials in Eugene"],
        ),
        (
            "He was fourth at the 2024 Ethiopian trials in Addis Ababa.",
            ["2024 Ethiopian trials in Addis Ababa"],
        ),
    ],
)
def test_national_championships_and_trials(text, expected):
    assert events(text) == expected


def test_invitationals_and_relays_are_meetings_not_people():
    text = "Orla Brennock won the mile at the Eastbrook Invitational and ran at the Penn Relays."
    out = ENGINE.suggest(text, published=PUBLISHED)
    assert [(s.label, s.text) for s in out if s.label in ("event", "athlete")] == [
        ("athlete", "Orla Brennock"),
        ("event", "Eastbrook Invitational"),
        ("event", "Penn Relays"),
    ]


def test_a_leading_year_and_a_trailing_city_belong_to_the_span():
    assert events("He won silver at the 2023 World Championships in Budapest.") == [
        "2023 World Championships in Budapest"
    ]
    assert events("The 800m final in Rome was run in a downpour.") == ["800m final in Rome"]
    # A month or a weekday after "in" is not a place.
    assert events("The 1500m final in August was tactical.") == ["1500m final"]
    # A named event followed by one of its races is one span.
    assert events("Hocker won the Paris Olympics 1500m final.") == ["Paris Olympics 1500m final"]


@pytest.mark.parametrize(
    "text",
    [
        "The Olympic champion took Olympic gold with an Olympic record.",
        "She retired as the Olympic 1500m champion and the Olympic 1500m record holder.",
        "Winning the world title mattered more than the world championship crown.",
        "He has not lost a race since Budapest.",
        "She doubled up in the 1500m and the marathon.",
        "On the final lap of the 800m she moved wide.",
        "She lifted another Diamond League trophy in Brussels.",
        "The 1500m final lap was covered in 53 seconds.",
    ],
)
def test_what_the_guide_says_is_not_an_event(text):
    assert events(text) == []


def _edition(name, kind, year, city, start, end=None, aliases=()):
    return Event(name, kind, year, aliases, city, None, start, end or start)


EDITIONS = SuggestionEngine(
    KnowledgeBase(
        events=(
            _edition(
                "World Championships", "world_championships", 2023, "Budapest", D(2023, 8, 19)
            ),
            _edition("World Championships", "world_championships", 2025, "Tokyo", D(2025, 9, 13)),
            _edition(
                "World Indoor Championships", "world_indoors", 2025, "Nanjing", D(2025, 3, 21)
            ),
            _edition(
                "European Indoor Championships",
                "continental_championships",
                2021,
                "Toruń",
                D(2021, 3, 4),
            ),  # fmt: skip
            _edition("Weltklasse Zürich", "diamond_league_final", 2025, "Zürich", D(2025, 8, 28)),
            _edition("London Marathon", "marathon_major", 2025, "London", D(2025, 4, 27)),
            _edition("London Marathon", "marathon_major", 2026, "London", D(2026, 4, 26)),
            _edition("Berlin Marathon", "marathon_major", 2025, "Berlin", D(2025, 9, 21)),
        )
    ),
    use_spacy=False,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "World Indoors" is the short name, as "Worlds" is.
        (
            "The World Indoors in Nanjing were in March.",
            [("World Indoors in Nanjing", "event:World Indoor Championships 2025")],
        ),
        # A host city written without its accents is still the host city.
        (
            "She won at the European Indoors in Torun in 2021.",
            [("European Indoors in Torun", "event:European Indoor Championships 2021")],
        ),
        (
            "The Diamond League final in Zurich will decide the title.",
            [("Diamond League final in Zurich", "event:Weltklasse Zürich 2025")],
        ),
        # "Ahead of" opening the sentence looks forward: the coming Worlds, not the last.
        (
            "Ahead of the World Championships, she rested.",
            [("World Championships", "event:World Championships 2025")],
        ),
        # "Will" before a capital is a name, not the future.
        (
            "Will Claye jumped at the World Championships.",
            [("World Championships", "event:World Championships 2023")],
        ),
        # The "will" of a later clause is not the first mention's: London was in April.
        (
            "He ran 2:02:16 at the London Marathon in April and will run the Berlin Marathon.",
            [
                ("London Marathon", "event:London Marathon 2025"),
                ("Berlin Marathon", "event:Berlin Marathon 2025"),
            ],
        ),
        (
            "He will run the London Marathon and the Berlin Marathon.",
            [
                ("London Marathon", "event:London Marathon 2026"),
                ("Berlin Marathon", "event:Berlin Marathon 2025"),
            ],
        ),
    ],
)
def test_the_edition_a_mention_means(text, expected):
    out = EDITIONS.suggest(text, published=D(2025, 6, 15))
    assert [(s.text, s.entity) for s in out if s.label == "event"] == expected
