"""Claim checks against the bundled results and records (resources/kb/results.csv and
records.csv): wrong medals, winners, marks, margins, final dates, "first title" claims and
world-record details are flagged with the KB row as evidence; correct claims and claims that
cannot be tied to one row are not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from annotator.core import kbcsv, kbcsv_results
from annotator.core.kb import Athlete, Event, KBError, KnowledgeBase
from annotator.core.kb_results import HIGHER_WINS, MedalResult, mark_value
from annotator.core.suggest.claim_text import covers
from annotator.core.suggest.engine import SuggestionEngine

KB_DIR = Path(__file__).resolve().parents[2] / "resources" / "kb"
PUBLISHED = dt.date(2025, 10, 1)
CLAIM_RULES = {
    "kb-medal",
    "kb-winner",
    "kb-mark",
    "kb-margin",
    "kb-final-date",
    "kb-first",
    "kb-record-holder",
    "kb-record-year",
    "kb-record-city",
    "kb-record-date",
    "kb-record-mark",
    "kb-record-order",
    "kb-result-order",
}


def _bundled_kb() -> KnowledgeBase:
    athletes = kbcsv.read_athletes(KB_DIR / "athletes.csv")
    events = kbcsv.read_events(KB_DIR / "events.csv")
    names = {a.name for a in athletes}
    editions = {(e.name, e.year) for e in events}
    results = kbcsv_results.read_results(
        KB_DIR / "results.csv", athletes=names, competition_known=lambda n, y: (n, y) in editions
    )
    records = kbcsv_results.read_records(KB_DIR / "records.csv", athletes=names)
    return KnowledgeBase(
        athletes=tuple(athletes),
        events=tuple(events),
        results=tuple(results),
        records=tuple(records),
    )


@pytest.fixture(scope="module")
def engine() -> SuggestionEngine:
    return SuggestionEngine(_bundled_kb(), use_spacy=False)


def claims(engine: SuggestionEngine, text: str, published: dt.date | None = PUBLISHED):
    return [s for s in engine.suggest(text, published=published) if s.rule in CLAIM_RULES]


@pytest.mark.parametrize(
    ("text", "rule", "error_type", "span", "correction"),
    [
        (
            "Josh Kerr took bronze in the 1500m at the Budapest World Championships.",
            "kb-medal",
            "wrong_fact",
            "took bronze",
            "took gold",
        ),
        (
            "Sifan Hassan claimed silver in the 1500m at the Tokyo Olympics.",
            "kb-medal",
            "wrong_fact",
            "claimed silver",
            "claimed bronze",
        ),
        (
            "Paris 2024 bronze medallist Josh Kerr was the fastest in the 1500m heats.",
            "kb-medal",
            "wrong_fact",
            "bronze medallist",
            "silver medallist",
        ),
        (
            "The men's 1500m at the Paris Olympics was won by Josh Kerr.",
            "kb-winner",
            "wrong_fact",
            "Josh Kerr",
            "Cole Hocker",
        ),
        (
            "Jakob Ingebrigtsen won the 1500m final at the 2022 World Championships.",
            "kb-winner",
            "wrong_fact",
            "won the 1500m final",
            "took silver in the 1500m final",
        ),
        (
            "At the Paris Olympics, Cole Hocker won the 1500m final in 3:27.56.",
            "kb-mark",
            "wrong_number",
            "3:27.56",
            "3:27.65",
        ),
        (
            "Beatrice Chebet won gold in the 10,000m at the Paris Olympics by 0.19 seconds.",
            "kb-margin",
            "wrong_number",
            "0.19 seconds",
            "0.10 seconds",
        ),
        (
            "Mondo Duplantis won gold in the pole vault at the Paris Olympics on August 6.",
            "kb-final-date",
            "wrong_date",
            "August 6",
            "August 5",
        ),
        (
            "Faith Kipyegon won her first Olympic title at the Paris Olympics.",
            "kb-first",
            "wrong_fact",
            "her first Olympic title",
            None,
        ),
        (
            "Hicham El Guerrouj's world record of 3:26.00 was set in 1997.",
            "kb-record-year",
            "wrong_date",
            "1997",
            "1998",
        ),
        (
            "The men's 1500m world record of 3:26.00 was set by Noureddine Morceli.",
            "kb-record-holder",
            "wrong_fact",
            "Noureddine Morceli",
            "Hicham El Guerrouj",
        ),
        (
            "The world record of 3:26.00 was run in Paris in 1998.",
            "kb-record-city",
            "wrong_fact",
            "Paris",
            "Rome",
        ),
        (
            "Marita Koch's world record in the women's 400m has stood since 1983.",
            "kb-record-year",
            "wrong_date",
            "1983",
            "1985",
        ),
        (
            "Faith Kipyegon lowered her 1500m world record to 3:48.86 at the 2025 Pre Classic.",
            "kb-record-mark",
            "wrong_number",
            "3:48.86",
            "3:48.68",
        ),
        (
            "Faith Kipyegon's 1500m world record of 3:49.04 came a year after her 3:48.68.",
            "kb-record-order",
            "wrong_number",
            "after",
            "before",
        ),
        # "winning the X" ties the athlete to the final as "won the X" does.
        (
            "Ryan Crouser opened the Budapest World Championships by winning the shot put with "
            "23.15.",
            "kb-mark",
            "wrong_number",
            "23.15",
            "23.51",
        ),
        # A title kept is a gold won: the margin is read against the silver.
        (
            "Grant Holloway retained his 60m hurdles title at the World Indoor Championships in "
            "Nanjing, winning by 0.21 seconds.",
            "kb-margin",
            "wrong_number",
            "0.21 seconds",
            "0.12 seconds",
        ),
        # The right winner ties the final, so its wrong date is read.
        (
            "The women's marathon at the Paris Olympics on August 10 was won by Sifan Hassan.",
            "kb-final-date",
            "wrong_date",
            "August 10",
            "August 11",
        ),
        # A title count in apposition is about the sentence's subject.
        (
            "Ethan Katzberg won the hammer at the Tokyo World Championships with 84.70, his first "
            "world title.",
            "kb-first",
            "wrong_fact",
            "his first world title",
            "his second world title",
        ),
        # The sentence opens with something else: the title is the winner's of its clause.
        (
            "Two days after the qualifying round, Ethan Katzberg won the hammer at the Tokyo "
            "World Championships with 84.70, beating Merlin Hummel, his first world title.",
            "kb-first",
            "wrong_fact",
            "his first world title",
            "his second world title",
        ),
        # The discipline inside the title phrase: her titles in that event are counted.
        (
            "Femke Bol won the 400m hurdles at the World Championships in Tokyo, her first "
            "world 400m hurdles title.",
            "kb-first",
            "wrong_fact",
            "her first world 400m hurdles title",
            None,
        ),
        (
            "Femke Bol won the 400m hurdles at the World Championships in Tokyo, her first world "
            "championship title.",
            "kb-first",
            "wrong_fact",
            "her first world championship title",
            None,
        ),
        # A placing in the final is a medal claim.
        (
            "At the Paris Olympics, Josh Kerr finished third in the 1500m.",
            "kb-medal",
            "wrong_fact",
            "finished third",
            "finished second",
        ),
        # A relative clause is about the name right before it.
        (
            "At the Paris Olympics, Yared Nuguse, who took silver in the 1500m, said he was "
            "thrilled.",
            "kb-medal",
            "wrong_fact",
            "took silver",
            "took bronze",
        ),
        (
            "Josh Kerr beat Jakob Ingebrigtsen, who took silver in the 5000m at the Budapest "
            "World Championships.",
            "kb-medal",
            "wrong_fact",
            "took silver",
            "took gold",
        ),
        # Two championships named: the medal is read against the one named right after it.
        (
            "Josh Kerr took bronze at the Paris Olympics in the 1500m, a year after winning gold "
            "at the World Championships in Budapest.",
            "kb-medal",
            "wrong_fact",
            "took bronze",
            "took silver",
        ),
        (
            "Josh Kerr took silver in the 1500m at the Tokyo Olympics and silver at the Paris "
            "Olympics.",
            "kb-medal",
            "wrong_fact",
            "took silver",
            "took bronze",
        ),
        # A record's holder, discipline and exact mark name the record without the words.
        (
            "Marita Koch's 47.60 in the women's 400m was set in Canberra in 1986.",
            "kb-record-year",
            "wrong_date",
            "1986",
            "1985",
        ),
        (
            "Gudaf Tsegay ran 14:00.21 for 5000m in Oslo in 2023, the record until Beatrice "
            "Chebet came along.",
            "kb-record-city",
            "wrong_fact",
            "Oslo",
            "Eugene",
        ),
        # The holder, the city and a date taking in the day name the record: a close mark is
        # a slip.
        (
            "Faith Kipyegon lowered her 1500m world record to 3:48.86 in Eugene last July.",
            "kb-record-mark",
            "wrong_number",
            "3:48.86",
            "3:48.68",
        ),
        # Two medal marks of hers: Tokyo 2021 came before Paris 2024.
        (
            "Faith Kipyegon ran 3:51.29 in Paris, three years before her 3:53.11 in Tokyo.",
            "kb-result-order",
            "wrong_number",
            "before",
            "after",
        ),
    ],
)
def test_wrong_claims_are_flagged_with_the_kb_row_as_evidence(
    engine, text, rule, error_type, span, correction
):
    found = claims(engine, text)
    assert [(s.rule, s.error_type, s.text, s.correction) for s in found] == [
        (rule, error_type, span, correction)
    ]
    error = found[0]
    assert text[error.start : error.end] == error.text
    assert (
        error.label == "error"
        and error.note
        and ("World Athletics" in error.note or "Olympics.com" in error.note)
    )


@pytest.mark.parametrize(
    "text",
    [
        "Josh Kerr took gold in the 1500m at the Budapest World Championships.",
        "Sifan Hassan claimed bronze in the 1500m at the Tokyo Olympics.",
        "The men's 1500m at the Paris Olympics was won by Cole Hocker.",
        "At the Paris Olympics, Cole Hocker won the 1500m final in 3:27.65.",
        "Beatrice Chebet won gold in the 10,000m at the Paris Olympics by a tenth of a second.",
        "Mondo Duplantis won gold in the pole vault at the Paris Olympics on August 5.",
        "Faith Kipyegon won her third Olympic title at the Paris Olympics.",
        "Jakob Ingebrigtsen won his second world title in the 5000m at the Budapest World "
        "Championships.",
        "Hicham El Guerrouj's world record of 3:26.00 was set in Rome in 1998.",
        "Marita Koch's world record in the women's 400m has stood since 1985.",
        "Faith Kipyegon lowered her 1500m world record to 3:48.68 at the 2025 Prefontaine Classic.",
        # "in Paris" is where the second record was set, not the first.
        "Faith Kipyegon's 1500m world record of 3:48.68 came a year after her 3:49.04 in Paris.",
        # Her 2024 record, at the meeting where she set it.
        "Faith Kipyegon set a 1500m world record of 3:49.04 at the 2024 Paris Diamond League.",
        "Noah Lyles won the 100m at the Paris Olympics by 0.005 seconds over Kishane Thompson.",
        "Faith Kipyegon ran 3:51.29 in Paris, three years after her 3:53.11 in Tokyo.",
        "Ryan Crouser opened the Budapest World Championships by winning the shot put with 23.51.",
        "Devynne Charlton defended her 60m hurdles title at the World Indoor Championships in "
        "Nanjing, winning by one hundredth of a second.",
        "The women's marathon at the Paris Olympics on August 11 was won by Sifan Hassan.",
        "Camryn Rogers won the hammer at the Tokyo World Championships with 80.51, her second "
        "world title.",
        "At the Paris Olympics, Josh Kerr came in second in the 1500m.",
        "Josh Kerr took silver at the Paris Olympics in the 1500m, a year after winning gold at "
        "the World Championships in Budapest.",
        "Josh Kerr took gold in the 1500m at the Budapest World Championships and silver at the "
        "Paris Olympics.",
        "Josh Kerr, who took silver in the 1500m at the Paris Olympics, was delighted.",
        "Marita Koch's 47.60 in the women's 400m was set in Canberra in 1985.",
        "Faith Kipyegon lowered her 1500m world record to 3:48.68 in Eugene last July.",
        "Gudaf Tsegay ran 14:00.21 for 5000m in Eugene in 2023, the record until Beatrice Chebet "
        "came along.",
        "Grant Holloway won the 60m hurdles at the World Indoor Championships in Nanjing, his "
        "third world indoor 60m hurdles title.",
        # Her first world title in the 5000m, a week after the 10,000m.
        "Beatrice Chebet won the 5000m at the World Championships in Tokyo, her first world "
        "5000m title.",
        # Not a discipline the KB has results for: no title count is read.
        "Femke Bol anchored the Dutch team at the World Championships in Tokyo, her first world "
        "mixed relay title.",
    ],
)
def test_correct_claims_are_not_flagged(engine, text):
    assert claims(engine, text) == []


@pytest.mark.parametrize(
    "text",
    [
        # Two championships: which one the medal belongs to is not certain.
        "Josh Kerr, who took silver at the Paris Olympics, took bronze at the Tokyo Olympics.",
        # No championship named anywhere.
        "Josh Kerr took bronze in the 1500m.",
        # A pronoun, not a name, owns the medal.
        "At the Budapest World Championships she took silver in the 1500m.",
        # A heat time is not the final's mark.
        "At the Paris Olympics, Cole Hocker won his heat in 3:35.01.",
        # A relative clause is about the name right before it: Ingebrigtsen's gold is right.
        "Josh Kerr beat Jakob Ingebrigtsen, who took gold in the 5000m at the Budapest World "
        "Championships.",
        # A relative clause that points elsewhere (another city, a year) is not read.
        "Josh Kerr, who took bronze in Tokyo, won silver in the 1500m at the Paris Olympics.",
        "Josh Kerr, who finished third in 2021, won silver in the 1500m at the Paris Olympics.",
        # A medal placed at another host city or in another year than the championship.
        "Josh Kerr won gold in Budapest before the Paris Olympics, where he was second.",
        "At the Paris Olympics, Josh Kerr won gold in the 1500m in 2023.",
        "Josh Kerr won gold in the 1500m in 2023 before the Paris Olympics and the Tokyo Olympics.",
        # A placing the KB cannot check (no fourth place), or in a heat.
        "At the Paris Olympics, Jakob Ingebrigtsen finished fourth in the 1500m.",
        "At the Paris Olympics, Josh Kerr finished first in his heat of the 1500m.",
        # A second mark in the sentence is another run, not the final's.
        "At the Paris Olympics, Cole Hocker won the 1500m final in 3:27.65, his fastest since "
        "running 3:30.59 in Monaco.",
        "At the Paris Olympics, Cole Hocker won the 1500m final in 3:27.65, ahead of Josh Kerr "
        "in 3:27.79.",
        # No discipline named: her gold in Paris was in a relay, which the KB does not list.
        "Femke Bol won gold at the Paris Olympics.",
        "Femke Bol won gold in the 4 x 400m relay at the Paris Olympics.",
        # The title in apposition follows another athlete's name: whose it is, is not certain.
        "Ethan Katzberg beat Merlin Hummel at the Tokyo World Championships with 84.70, his "
        "first world title.",
        # Another athlete named before the win, or a pronoun that is not the winner's: whose
        # title it is, is not certain.
        "At the Tokyo World Championships, after Merlin Hummel had led, Ethan Katzberg won the "
        "hammer with 84.70, his first world title.",
        "At the Tokyo World Championships, Ethan Katzberg won the hammer with 84.70, her first "
        "world title.",
        # A record's mark without its holder, or a city and date that are not the record's.
        "The women's 400m winner ran 47.60 in Canberra in 1986.",
        "Faith Kipyegon lowered her 1500m world record to 3:48.86 in Eugene in May 2024.",
        # Hopes are not claims.
        "Josh Kerr hopes to win gold at the Paris Olympics.",
        # A previous record holder's older mark is history, not an error.
        "Noureddine Morceli's 3:28.86 world record in the 1500m was set in 1992.",
    ],
)
def test_claims_not_tied_to_one_row_are_left_alone(engine, text):
    assert claims(engine, text) == []


def test_the_article_context_names_the_championship(engine):
    text = (
        "Josh Kerr won the 1500m at the Budapest World Championships.\n\nJakob Ingebrigtsen "
        "took bronze behind him. Ingebrigtsen took bronze in the 1500m. Jakob Ingebrigtsen "
        "took bronze in the 5000m."
    )
    found = claims(engine, text)
    # The second sentence names no discipline, nor does the one before it in its paragraph,
    # and Ingebrigtsen won two medals there: left alone. The third is his 1500m silver, the
    # fourth his 5000m gold.
    assert [(s.text, s.correction) for s in found] == [
        ("took bronze", "took silver"),
        ("took bronze", "took gold"),
    ]


def test_a_sentence_without_a_discipline_is_read_with_the_one_before_it_in_its_paragraph(engine):
    text = (
        "Josh Kerr won the 1500m at the Budapest World Championships. Jakob Ingebrigtsen "
        "took bronze behind him."
    )
    assert [(s.text, s.correction) for s in claims(engine, text)] == [
        ("took bronze", "took silver")
    ]
    # A relay is not the discipline of the sentence before.
    relay = "Noah Lyles won the 100m at the Paris Olympics. Lyles took silver in the relay heats."
    assert claims(engine, relay) == []


def test_a_sentence_naming_another_year_is_not_read_against_the_article(engine):
    text = (
        "Josh Kerr won the 1500m at the Budapest World Championships. In 2021 Kerr took "
        "gold as well."
    )
    assert claims(engine, text) == []


def test_first_title_correction_only_when_the_kb_covers_every_edition():
    kb = KnowledgeBase(
        athletes=(
            Athlete("Ann Young", sex="F", birth_year=2007),
            Athlete("Old Hand", sex="F", birth_year=1990),
        ),
        events=(
            Event("Worlds A", "world_championships", 2023, ("Worlds A",), "Alpha"),
            Event("Worlds B", "world_championships", 2025, ("Worlds B",), "Beta"),
        ),
        results=tuple(
            MedalResult(comp, "800m", "F", 1, who, dt.date(year, 8, 20), "test source")
            for comp, year in (("Worlds A", 2023), ("Worlds B", 2025))
            for who in ("Ann Young", "Old Hand")
        ),
    )
    engine = SuggestionEngine(kb, use_spacy=False)
    young = claims(engine, "Ann Young won her first world title at the Worlds B.", None)
    old = claims(engine, "Old Hand won her first world title at the Worlds B.", None)
    assert [(s.text, s.correction) for s in young] == [
        ("her first world title", "her second world title")
    ]
    assert [(s.text, s.correction) for s in old] == [("her first world title", None)]
    assert claims(engine, "Ann Young won her second world title at the Worlds B.", None) == []


def test_marks_are_read_as_seconds_metres_or_points():
    assert mark_value("3:27.65") == pytest.approx(207.65)
    assert mark_value("2:00:35") == 7235
    assert mark_value("9.79") == pytest.approx(9.79)
    assert mark_value("8.95m") == pytest.approx(8.95)
    assert mark_value("fast") is None
    assert mark_value("3:75.00") is None


def test_results_file_refuses_unknown_athletes_and_competitions_with_the_line(tmp_path):
    header = "competition,discipline,sex,place,athlete,country,mark,date,source\n"
    good = "Paris Olympics,1500m,M,1,Cole Hocker,USA,3:27.65,2024-08-06,Olympics.com\n"
    path = tmp_path / "results.csv"
    path.write_text(header + good + good.replace("Cole Hocker", "Cole Hockerr"), encoding="utf-8")
    with pytest.raises(KBError, match=r"line 3: athlete 'Cole Hockerr' is not in the knowledge"):
        kbcsv_results.read_results(path, athletes={"Cole Hocker"})
    path.write_text(header + good.replace("2024-08-06", "2023-08-06"), encoding="utf-8")
    with pytest.raises(KBError, match=r"line 2: competition 'Paris Olympics' 2023 is not"):
        kbcsv_results.read_results(path, competition_known=lambda n, y: y == 2024)
    path.write_text(header + good.replace(",Olympics.com", ","), encoding="utf-8")
    with pytest.raises(KBError, match=r"line 2: source is required"):
        kbcsv_results.read_results(path)
    path.write_text(header + good.replace(",1,", ",4,"), encoding="utf-8")
    with pytest.raises(KBError, match=r"line 2: place '4' is not 1, 2 or 3"):
        kbcsv_results.read_results(path)
    assert kbcsv.detect_kind(path) == "results"


def test_bundled_results_are_consistent():
    """Each final has its gold, at most one row per athlete, places that fit the marks, and
    every row's date falls within its championship's dates."""
    kb = _bundled_kb()
    events = {(e.name, e.year): e for e in kb.events}
    finals: dict[tuple, list[MedalResult]] = {}
    for r in kb.results:
        ev = events[r.competition, r.date.year]
        assert ev.start is not None and ev.end is not None
        assert ev.start <= r.date <= ev.end, r
        finals.setdefault((r.competition, r.date, r.discipline, r.sex), []).append(r)
    for key, rows in finals.items():
        assert any(r.place == 1 for r in rows), key
        timed = [r for r in rows if r.mark]
        higher = key[2] in HIGHER_WINS
        # Two medals may share a place (a tie, or a second bronze awarded on appeal).
        ordered = sorted(
            timed,
            key=lambda r: (r.place, (-1 if higher else 1) * (mark_value(r.mark or "") or 0.0)),
        )
        values = [mark_value(r.mark or "") for r in ordered]
        assert values == sorted(values, reverse=higher), key
    for discipline_sex in {(r.discipline, r.sex) for r in kb.records}:
        rows = [r for r in kb.records if (r.discipline, r.sex) == discipline_sex]
        assert sum(r.status == "current" for r in rows) == 1, discipline_sex
        current = next(r for r in rows if r.status == "current")
        assert all(r.date <= current.date for r in rows), discipline_sex


def test_medal_marks_in_the_wrong_order_are_read_for_the_athlete_named_before(engine):
    text = (
        "Josh Kerr took silver in the 1500m at the Paris Olympics. His 3:29.38 in Budapest "
        "came a year after his 3:27.79 in Paris."
    )
    found = claims(engine, text)
    assert [(s.rule, s.text, s.correction) for s in found] == [
        ("kb-result-order", "after", "before")
    ]
    assert "23 August 2023" in (found[0].note or "") and "6 August 2024" in (found[0].note or "")


@pytest.mark.parametrize(
    "text",
    [
        # Not his marks: which runs the times are is not known, so the order is not read.
        "Josh Kerr ran 3:31.10 in Oslo, a week before his 3:30.05 in Stockholm.",
        # One mark is a KB medal, the other is not.
        "Josh Kerr ran 3:29.38 in Budapest, a month after his 3:30.05 in London.",
        # Too far apart for "after" to join them.
        "Faith Kipyegon ran 3:51.29 in Paris, which came after a long, difficult and very "
        "unusual season of injuries and setbacks, and 3:53.11 in Tokyo.",
    ],
)
def test_mark_order_is_left_alone_when_a_mark_is_not_dated(engine, text):
    assert [s for s in claims(engine, text) if s.rule.endswith("-order")] == []


@pytest.mark.parametrize(
    ("value", "inside", "outside"),
    [
        ("2025", dt.date(2025, 12, 31), dt.date(2024, 12, 31)),
        ("2025-07", dt.date(2025, 7, 5), dt.date(2025, 8, 1)),
        ("2025-07-05", dt.date(2025, 7, 5), dt.date(2025, 7, 6)),
        ("2025-07-01/2025-07-31", dt.date(2025, 7, 31), dt.date(2025, 8, 1)),
        ("2025-07-01/2025-07-31", dt.date(2025, 7, 1), dt.date(2025, 6, 30)),
        ("2025-06/2025-08", dt.date(2025, 8, 31), dt.date(2025, 9, 1)),
    ],
)
def test_a_date_value_covers_the_days_it_names(value, inside, outside):
    assert covers(value, inside) and not covers(value, outside)
