"""The suggestion engine end to end: events, fact-checks, seeds, offsets, the real KB files."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from needs import missing

from annotator.core.kb import Athlete, Event, KnowledgeBase
from annotator.core.model import ERROR_TYPES
from annotator.core.suggest.engine import SuggestionEngine, dedupe, sentences
from annotator.core.suggest.events import EventMatcher
from annotator.core.suggest.model import Suggestion
from annotator.core.suggest.names import installed_spacy_pipelines

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"
KB_DIR = REPO / "resources" / "kb"
D = dt.date

KB = KnowledgeBase(
    athletes=(
        Athlete("Jakob Ingebrigtsen"),
        Athlete("Henrik Ingebrigtsen"),
        Athlete("Filip Ingebrigtsen"),
        Athlete("Josh Kerr"),
        Athlete("Hamish Kerr"),
        Athlete("Niels Laros"),
        Athlete("Faith Kipyegon"),
        Athlete("Armand Duplantis", aliases=("Mondo Duplantis", "Mondo")),
        Athlete("Sifan Hassan"),
    ),
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
            "Tokyo Olympics",
            "olympics",
            2021,
            ("Tokyo 2020",),
            "Tokyo",
            "JPN",
            D(2021, 7, 30),
            D(2021, 8, 8),
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
            "Prefontaine Classic",
            "diamond_league",
            2024,
            ("Pre Classic",),
            "Eugene",
            "USA",
            D(2024, 5, 25),
            D(2024, 5, 25),
        ),
        Event(
            "Bowerman Mile", "named_race", 2024, (), "Eugene", "USA", D(2024, 5, 25), D(2024, 5, 25)
        ),
    ),
)
ENGINE = SuggestionEngine(KB, use_spacy=False)
WORLDS_2023 = "event:World Championships 2023"
WORLDS_2025 = "event:World Championships 2025"


def suggest(text: str, **kw):
    out = ENGINE.suggest(text, **kw)
    for s in out:
        assert text[s.start : s.end] == s.text, s
    return out


def events(text: str, **kw) -> list[tuple[str, str | None]]:
    return [(s.text, s.entity) for s in suggest(text, **kw) if s.label == "event"]


def errors(text: str, **kw):
    return [s for s in suggest(text, **kw) if s.label == "error"]


# --- events --------------------------------------------------------------------------------


def test_kb_event_names_and_aliases_link_to_their_edition():
    text = "He won at the Paris Olympics, then the Pre Classic, then the Bowerman Mile."
    assert events(text) == [
        ("Paris Olympics", "event:Paris Olympics 2024"),
        ("Pre Classic", "event:Prefontaine Classic 2024"),
        ("Bowerman Mile", "event:Bowerman Mile 2024"),
    ]
    out = [s for s in suggest(text) if s.label == "event"]
    assert {(s.rule, s.confidence) for s in out} == {("kb-event", 0.9)}
    assert out[0].note == "KB: Paris Olympics, 1–11 Aug 2024 (Paris)"


def test_edition_from_year_or_city_next_to_the_name():
    assert events("Kerr won the Budapest World Championships.") == [
        ("Budapest World Championships", WORLDS_2023)
    ]
    assert events("Kerr won the World Championships in Tokyo.") == [
        ("World Championships in Tokyo", WORLDS_2025)
    ]
    assert events("Kerr won the 2025 World Championships.") == [
        ("2025 World Championships", WORLDS_2025)
    ]
    assert events("He was fourth at the 2024 Paris Olympics.") == [
        ("2024 Paris Olympics", "event:Paris Olympics 2024")
    ]
    assert events("Ingebrigtsen, who won gold at Tokyo 2020, is back.") == [
        ("Tokyo 2020", "event:Tokyo Olympics 2021")
    ]


def test_edition_from_the_publication_date():
    text = "Kerr will race at the World Championships."
    assert events(text) == [("World Championships", None)]  # no date: no guess
    assert events(text, published=D(2024, 1, 10)) == [("World Championships", WORLDS_2023)]
    # Days before a championship, an article means the coming edition.
    assert events(text, published=D(2025, 9, 5)) == [("World Championships", WORLDS_2025)]
    ahead = "He is training ahead of the World Championships."
    assert events(ahead, published=D(2025, 3, 1)) == [("World Championships", WORLDS_2025)]
    assert events("Kerr won the World Championships last year.", published=D(2024, 5, 1)) == [
        ("World Championships", WORLDS_2023)
    ]
    assert events(
        "He thinks about the World Championships this year.", published=D(2025, 1, 10)
    ) == [("World Championships", WORLDS_2025)]
    # "last year" rules out every edition when there was none last year.
    assert events("Kerr won last year's World Championships.", published=D(2025, 10, 1)) == [
        ("World Championships", None)
    ]
    assert events(
        "Kerr won the World Championships in Budapest last August.", published=D(2024, 3, 1)
    ) == [("World Championships in Budapest", WORLDS_2023)]


def test_event_patterns_without_a_kb_row_stay_unlinked():
    text = (
        "He raced the Millrose Games, the Bislett Games, the Monaco Diamond League, "
        "the Diamond League final and the World Indoor Championships."
    )
    got = events(text)
    assert got == [
        ("Millrose Games", None),
        ("Bislett Games", None),
        ("Monaco Diamond League", None),
        ("Diamond League final", None),
        ("World Indoor Championships", None),
    ]
    assert {s.rule for s in suggest(text) if s.label == "event"} == {"pattern-event"}


def test_bare_generic_words_are_not_events():
    # The bare "Olympics" is an event (annotation guide); "the Mile" and "the Games" are not.
    assert [t for t, _ in events("At the Olympics he ran the Mile. The Games were great.")] == [
        "Olympics"
    ]


def test_event_matcher_reports_how_the_edition_was_fixed():
    matcher = EventMatcher(KB)
    [m] = matcher.find("the Budapest World Championships in Tokyo")
    assert (m.fixed_by, m.event.year, [q.value for q in m.conflicts]) == (
        "prefix-city",
        2023,
        ["Tokyo"],
    )
    # A year no edition has contradicts nothing: the edition was never pinned.
    [m] = matcher.find("the World Championships in 2021")
    assert (m.fixed_by, m.event, m.conflicts) == (None, None, [])


# --- fact-checks ---------------------------------------------------------------------------


def test_a_year_contradicting_a_uniquely_named_event_is_a_wrong_date():
    text = "Kerr and Ingebrigtsen last faced off at the Paris Olympics in 2021."
    [err] = errors(text)
    assert (err.text, err.error_type, err.correction, err.rule) == (
        "2021",
        "wrong_date",
        "2024",
        "kb-event-year",
    )
    assert err.note == "KB: Paris Olympics, 1–11 Aug 2024 (Paris)"
    assert err.error_type in ERROR_TYPES


def test_a_city_contradicting_the_edition_is_a_wrong_fact():
    [err] = errors("Kerr won the Budapest World Championships in Tokyo.")
    assert (err.text, err.error_type, err.correction, err.rule) == (
        "Tokyo",
        "wrong_fact",
        "Budapest",
        "kb-event-city",
    )
    [err] = errors("Kerr won the World Championships in Eugene in 2023.")
    assert (err.text, err.error_type, err.correction) == ("Eugene", "wrong_fact", "Budapest")


def test_a_city_in_the_events_own_name_is_not_a_contradiction():
    # The 2019 Prefontaine Classic moved to Stanford but kept its "Eugene" alias.
    pre2019 = Event(
        "Prefontaine Classic",
        "diamond_league",
        2019,
        ("Eugene Diamond League",),
        "Stanford",
        "USA",
        D(2019, 6, 30),
        D(2019, 6, 30),
    )
    mile = Event("Bowerman Mile", "named_race", 2024, (), "Eugene", "USA")  # Eugene is a city
    engine = SuggestionEngine(KnowledgeBase(events=(pre2019, mile)), use_spacy=False)
    out = engine.suggest("He won the Eugene Diamond League in 2019.")
    assert [(s.label, s.entity, s.text) for s in out] == [
        ("event", "event:Prefontaine Classic 2019", "Eugene Diamond League"),
        ("date", None, "2019"),
    ]
    assert not [s for s in out if s.label == "error"]


@pytest.mark.parametrize(
    "text",
    [
        "Kerr won a bronze at the Tokyo Olympics in 2021.",
        "Ingebrigtsen won gold at Tokyo 2020.",
        "Kerr and Ingebrigtsen last faced off at the Paris Olympics in 2024.",
        "Nobody won the World Championships in 2021.",  # no KB edition: nothing to contradict
        "He ran at the Paris Olympics. In 2021 he had run in Tokyo.",  # another sentence
        "He ran at the Paris Olympics, and in 2021 he ran in Tokyo.",  # not bound to the name
    ],
)
def test_no_fact_check_without_a_real_contradiction(text):
    assert errors(text) == []


# --- seed 000 (misspells Ingebrigtsen as Ingebrigsten throughout) --------------------------


@pytest.fixture(scope="module")
def seed000() -> str:
    paths = sorted(SEEDS.glob("000_*.txt")) if SEEDS.is_dir() else []
    if not paths:
        missing("../shared/seeds is not present")
    return paths[0].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed000_suggestions(seed000):
    return ENGINE.suggest(seed000, published=D(2025, 9, 12))


def test_seed000_every_misspelling_is_flagged_with_the_kb_spelling(seed000, seed000_suggestions):
    wrong = [m.start() for m in re.finditer("Ingebrigsten", seed000)]
    assert len(wrong) >= 10
    flagged = {s.start: s for s in seed000_suggestions if s.label == "error"}
    for pos in wrong:
        err = flagged[pos]
        assert (err.text, err.correction, err.error_type) == (
            "Ingebrigsten",
            "Ingebrigtsen",
            "misspelled_name",
        )
        assert "Jakob Ingebrigtsen" in err.note


def test_seed000_kerr_is_josh_kerr_and_never_an_error(seed000, seed000_suggestions):
    athletes = {(s.start, s.text): s.entity for s in seed000_suggestions if s.label == "athlete"}
    for m in re.finditer(r"\b(?:Josh )?Kerr\b", seed000):
        if seed000[max(0, m.start() - 5) : m.start()] == "Josh ":
            continue
        assert athletes[(m.start(), m.group())] == "athlete:Josh Kerr"
    errs = [s for s in seed000_suggestions if s.label == "error"]
    for m in re.finditer(r"Kerr", seed000):
        assert not any(e.start < m.end() and m.start() < e.end for e in errs)


def test_seed000_other_athletes_and_events(seed000_suggestions):
    by_text = {(s.label, s.text): s for s in seed000_suggestions}
    assert by_text[("athlete", "Niels Laros")].entity == "athlete:Niels Laros"
    assert ("athlete", "Azeddine Habz") in by_text  # not in this KB: found by pattern
    assert by_text[("event", "World Championships in Tokyo")].entity == WORLDS_2025
    assert by_text[("event", "Budapest World Championships")].entity == WORLDS_2023
    assert by_text[("event", "Paris Olympics")].entity == "event:Paris Olympics 2024"
    # Bare "Ingebrigtsen" resolves through the (misspelled) full name earlier in the text.
    assert by_text[("athlete", "Ingebrigtsen")].entity == "athlete:Jakob Ingebrigtsen"


# --- engine contract -----------------------------------------------------------------------


def test_results_are_sorted_unique_and_athletes_never_overlap():
    text = (
        "Josh Kerr beat Jakob Ingebrigsten at the Paris Olympics in 2021. Kerr won the "
        "1500m final ahead of Narve Gilje Nordås. Ingebrigsten was fourth."
    )
    out = suggest(text)
    keys = [(s.start, s.end, s.label) for s in out]
    assert keys == sorted(set(keys))
    spans = sorted((s.start, s.end) for s in out if s.label == "athlete")
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    labels = {s.label for s in out}
    assert {"athlete", "event", "error"} <= labels


def test_the_longest_athlete_span_wins_an_overlap():
    out = suggest("Mondo Duplantiss cleared 6.10m.")
    athletes = [(s.text, s.rule, s.entity) for s in out if s.label == "athlete"]
    assert athletes == [("Mondo Duplantiss", "fuzzy-kb-athlete", "athlete:Armand Duplantis")]
    assert [(s.text, s.correction) for s in out if s.label == "error"] == [
        ("Duplantiss", "Duplantis")
    ]


@pytest.mark.parametrize(
    "prefix",
    ["🏃‍♀️🏃🏽‍♂️ ", "Narve Gilje Nordås, Jordan Díaz and Kristjan Čeh: ", "𝕏 ", "ÅÄÖ\u0301 "],
)
def test_offsets_survive_astral_zwj_and_accented_text_before_spans(prefix):
    base = "Josh Kerr beat Jakob Ingebrigsten at the Paris Olympics in 2021."
    plain = suggest(base)
    shifted = suggest(prefix + base)
    n = len(prefix)
    moved = {(s.start - n, s.end - n, s.label, s.text) for s in shifted if s.start >= n}
    assert {(s.start, s.end, s.label, s.text) for s in plain} <= moved


def test_offsets_on_crlf_normalised_text():
    raw = "Josh Kerr won.\r\nJakob Ingebrigsten was second\r\nat the Paris Olympics in 2021.\r\n"
    text = raw.replace("\r\n", "\n")
    out = suggest(text)
    assert any(s.label == "error" and s.text == "Ingebrigsten" for s in out)
    assert any(s.label == "error" and s.text == "2021" for s in out)


def test_offsets_on_every_seed():
    if not SEEDS.is_dir():
        missing("../shared/seeds is not present")
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        assert suggest(text, published=D(2024, 6, 1)), path.name


def test_dedupe_keeps_the_most_confident_per_identity():
    low = Suggestion(4, 8, "athlete", "Kerr", 0.5, "pattern-name")
    high = Suggestion(4, 8, "athlete", "Kerr", 0.85, "kb-surname")
    event = Suggestion(0, 3, "event", "Pre", 0.6, "pattern-event")
    assert dedupe([low, high, event]) == [event, high]
    assert dedupe([high, low]) == [high]


def test_sentences_helper_is_exported():
    assert [t for t in (sentences("One. Two."))] == [(0, 4), (5, 9)]


def test_dates_join_the_results_once_the_dates_suggester_exists():
    out = suggest("The final starts on September 13th, 2025.", published=D(2025, 9, 12))
    assert any(s.label == "date" for s in out)


# --- the real knowledge base (resources/kb, written by hand) -------------------------------


def _split(cell: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in cell.split(";") if a.strip())


@pytest.fixture(scope="module")
def real_engine() -> SuggestionEngine:
    with open(KB_DIR / "athletes.csv", encoding="utf-8", newline="") as f:
        athletes = tuple(
            Athlete(r["name"], _split(r["aliases"]), r["country"] or None)
            for r in csv.DictReader(f)
        )
    with open(KB_DIR / "events.csv", encoding="utf-8", newline="") as f:
        evs = tuple(
            Event(
                r["name"],
                r["kind"],
                int(r["year"]),
                _split(r["aliases"]),
                r["city"] or None,
                r["country"] or None,
                D.fromisoformat(r["start_date"]) if r["start_date"] else None,
                D.fromisoformat(r["end_date"]) if r["end_date"] else None,
            )
            for r in csv.DictReader(f)
        )
    return SuggestionEngine(KnowledgeBase(athletes, evs), use_spacy=False)


def test_real_kb_on_seed000(real_engine, seed000):
    out = real_engine.suggest(seed000, published=D(2025, 9, 12))
    errs = [s for s in out if s.label == "error" and s.error_type == "misspelled_name"]
    assert errs and all(e.correction == "Ingebrigtsen" for e in errs)
    assert {e.text for e in errs} == {"Ingebrigsten"}
    # The seed's one misspelled ordinary word, from the spelling suggester.
    assert [(s.text, s.correction) for s in out if s.error_type == "misspelling"] == [
        ("suprisingly", "surprisingly")
    ]
    ents = {s.text: s.entity for s in out if s.label == "athlete"}
    assert ents["Azeddine Habz"] == "athlete:Azeddine Habz"
    assert ents["Kerr"] == "athlete:Josh Kerr"
    worlds = [s for s in out if s.text == "World Championships in Tokyo"]
    assert worlds and worlds[0].entity and "2025" in worlds[0].entity


def test_real_kb_raises_no_errors_on_correctly_spelled_seeds(real_engine):
    if not SEEDS.is_dir():
        missing("../shared/seeds is not present")
    spelling = []
    for path in sorted(SEEDS.glob("*.txt"))[1:]:
        text = path.read_text(encoding="utf-8")
        out = real_engine.suggest(text, published=D(2024, 6, 1))
        errors = [s for s in out if s.label == "error"]
        assert [s for s in errors if not s.rule.startswith("spelling.")] == [], path.name
        spelling += [(s.text, s.correction) for s in errors if s.rule.startswith("spelling.")]
        assert all(text[s.start : s.end] == s.text for s in out)
    # Their names are right; these two slips in ordinary words are real.
    assert sorted(spelling) == [
        ("brothers brothers", "brothers"),
        ("firstoutdoors", "first outdoors"),
    ]


def test_real_kb_alias_spellings_are_athletes(real_engine):
    out = real_engine.suggest("The other Norwegian Narve Nordas ran the 1500m final.")
    [ath] = [s for s in out if s.label == "athlete"]
    assert (ath.text, ath.entity, ath.rule) == (
        "Narve Nordas",
        "athlete:Narve Gilje Nordås",
        "kb-alias",
    )


# --- optional spaCy ------------------------------------------------------------------------


_TINY_PIPELINE = """
import spacy


def load(**overrides):
    # A pipeline package as spaCy's own are: found by its spacy_models entry point and
    # loaded through load(); an entity ruler stands in for a trained NER model.
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": "Zorbalina Quextrom"}])
    return nlp
"""


def test_spacy_person_entities_from_an_installed_pipeline(tmp_path):
    # No pipeline can be downloaded here, so the test installs a small one of its own (a
    # package with a dist-info and a spacy_models entry point, on PYTHONPATH) and runs the
    # real discovery and loading code in a fresh interpreter.
    pytest.importorskip("spacy")
    package = tmp_path / "tiny_people"
    package.mkdir()
    (package / "__init__.py").write_text(_TINY_PIPELINE, encoding="utf-8")
    info = tmp_path / "tiny_people-0.0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: tiny_people\nVersion: 0.0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[spacy_models]\ntiny_people = tiny_people\n", encoding="utf-8"
    )
    script = (
        "from annotator.core.kb import KnowledgeBase\n"
        "from annotator.core.suggest.engine import SuggestionEngine\n"
        "from annotator.core.suggest.names import SpacyPeople, as_context, "
        "installed_spacy_pipelines\n"
        "assert installed_spacy_pipelines() == ['tiny_people'], installed_spacy_pipelines()\n"
        "text = 'The American sprinter Zorbalina Quextrom won the 200m final in Paris.'\n"
        "people = SpacyPeople()\n"
        "assert people.available\n"
        "found = [(s.text, s.rule) for s in people.find(as_context(text))]\n"
        "assert found == [('Zorbalina Quextrom', 'spacy-person')], found\n"
        "engine = SuggestionEngine(KnowledgeBase(), use_spacy=True)\n"
        "names = [s.text for s in engine.suggest(text) if s.label == 'athlete']\n"
        "assert 'Zorbalina Quextrom' in names, names\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO)])}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_spacy_is_not_imported_when_no_pipeline_is_installed():
    # spaCy may be installed only for the DocBin export; importing it costs about a second.
    if installed_spacy_pipelines():
        pytest.skip("a spaCy pipeline is installed here")
    script = (
        "import sys\n"
        "from annotator.core.kb import KnowledgeBase\n"
        "from annotator.core.suggest.engine import SuggestionEngine\n"
        "SuggestionEngine(KnowledgeBase()).suggest('Josh Kerr won in Tokyo.')\n"
        "assert 'spacy' not in sys.modules, 'spaCy was imported'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)


def test_event_patterns_take_the_preceding_name_words():
    assert events("She won the Valencia Half Marathon in 67:10.") == [
        ("Valencia Half Marathon", None)
    ]
    assert events("She won the Valencia Marathon.") == [("Valencia Marathon", None)]


def test_bare_surnames_of_pattern_names_are_athletes_too():
    text = (
        "Lemayian, the quiet one\n\nKiprono Lemayian won the 1500m in Nairobi. "
        '"I just run," Lemayian said. Later Kiprono Lemayian smiled.'
    )
    found = [(s.text, s.rule) for s in suggest(text) if s.label == "athlete"]
    assert found == [
        ("Lemayian", "pattern-surname"),
        ("Kiprono Lemayian", "pattern-name"),
        ("Lemayian", "pattern-surname"),
        ("Kiprono Lemayian", "pattern-name"),
    ]
    # Someone else's name is not the surname alone.
    text = "Kiprono Lemayian won the 1500m. Peter Lemayian Ruto watched."
    assert [s.text for s in suggest(text) if s.label == "athlete"] == ["Kiprono Lemayian"]


def test_a_corpus_only_misspelling_of_an_athlete_name_is_an_athlete_too():
    from annotator.core.suggest.misspell import CorpusNames

    corpus = CorpusNames()
    for _ in range(6):
        corpus.add_text("Kiprono Lemayian won the 1500m. Lemayian smiled.")
    text = "Kiprono Lemayian won the 1500m final. Lemayain said he was happy."
    corpus.add_text(text)
    found = suggest(text, corpus=corpus)
    [err] = [s for s in found if s.label == "error"]
    assert (err.text, err.correction) == ("Lemayain", "Lemayian")
    athletes = [(s.text, s.rule, s.entity) for s in found if s.label == "athlete"]
    assert ("Lemayain", "fuzzy-corpus-athlete", None) in athletes
    # A dominant spelling that names no athlete gives no athlete span.
    corpus = CorpusNames()
    for _ in range(6):
        corpus.add_text("The Kapsabet club won.")
    found = suggest("The Kapsabat club won.", corpus=corpus)
    assert [s.label for s in found if s.text == "Kapsabat"] == ["error"]
