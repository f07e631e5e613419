"""Athlete names, misspelled names and corpus spellings: recall on real shapes, precision first."""

from __future__ import annotations

import pytest

from annotator.core.kb import Athlete, KnowledgeBase
from annotator.core.suggest.misspell import CorpusNames, MisspellingMatcher
from annotator.core.suggest.names import NameMatcher, TextContext, find_people, sentences

ATHLETES = (
    Athlete("Jakob Ingebrigtsen", country="NOR"),
    Athlete("Henrik Ingebrigtsen", country="NOR"),
    Athlete("Filip Ingebrigtsen", country="NOR"),
    Athlete("Josh Kerr", aliases=("Joshua Kerr",), country="GBR"),
    Athlete("Hamish Kerr", country="NZL"),
    Athlete("Niels Laros", country="NED"),
    Athlete("Faith Kipyegon", country="KEN"),
    Athlete("Armand Duplantis", aliases=("Mondo Duplantis",), country="SWE"),
    Athlete("Sifan Hassan", country="NED"),
    Athlete("Mary Moraa", country="KEN"),
    Athlete("Mo Farah", country="GBR"),
    Athlete("Femke Bol", country="NED"),
    Athlete("Noah Lyles", country="USA"),
    Athlete("Timothy Cheruiyot", country="KEN"),
)
KB = KnowledgeBase(athletes=ATHLETES)
NAMES = NameMatcher(KB)
FUZZY = MisspellingMatcher(KB, NAMES)


def athletes(text: str) -> list[tuple[str, str | None, str]]:
    return [(s.text, s.entity, s.rule) for s in NAMES.find_athletes(text)]


def errors(text: str, corpus: CorpusNames | None = None) -> list:
    ctx = TextContext(text)
    found, _ = FUZZY.find(ctx, anchors=NAMES.anchors(NAMES.find_athletes(ctx)), corpus=corpus)
    for s in found:
        assert text[s.start : s.end] == s.text
    return [s for s in found if s.label == "error"]


def fuzzy_athletes(text: str) -> list:
    ctx = TextContext(text)
    found, _ = FUZZY.find(ctx, anchors=NAMES.anchors(NAMES.find_athletes(ctx)))
    return [s for s in found if s.label == "athlete"]


# --- KB names ------------------------------------------------------------------------------


def test_full_names_and_aliases_are_found_with_their_rules():
    found = athletes("Mondo Duplantis and Joshua Kerr both won; Faith Kipyegon too.")
    assert found == [
        ("Mondo Duplantis", "athlete:Armand Duplantis", "kb-alias"),
        ("Joshua Kerr", "athlete:Josh Kerr", "kb-alias"),
        ("Faith Kipyegon", "athlete:Faith Kipyegon", "kb-exact"),
    ]
    assert {s.confidence for s in NAMES.find_athletes("Faith Kipyegon")} == {0.95}


def test_ambiguous_surname_resolves_to_the_most_recent_full_name():
    text = "Josh Kerr won. Kerr smiled. Hamish Kerr jumped 2.36m. Kerr cleared it first time."
    found = athletes(text)
    assert [(t, e) for t, e, _ in found] == [
        ("Josh Kerr", "athlete:Josh Kerr"),
        ("Kerr", "athlete:Josh Kerr"),
        ("Hamish Kerr", "athlete:Hamish Kerr"),
        ("Kerr", "athlete:Hamish Kerr"),
    ]
    assert found[1][2] == "kb-surname"


def test_ambiguous_surname_without_a_full_name_is_not_guessed():
    assert athletes("Kerr won the final and Ingebrigtsen was second.") == []


def test_unambiguous_surname_counts_alone():
    assert athletes("Kipyegon won again.") == [("Kipyegon", "athlete:Faith Kipyegon", "kb-surname")]


def test_matches_stop_at_word_boundaries():
    assert athletes("Josh Kerr lives in County Kerry, not Kerrville.") == [
        ("Josh Kerr", "athlete:Josh Kerr", "kb-exact")
    ]
    assert athletes("Josh Kerr met Ann Kerr-Smith.")[1:] == []


def test_a_first_name_alone_is_never_an_athlete():
    assert athletes("Jakob has had the best of me, said Josh.") == []


def test_a_surname_inside_someone_elses_name_is_not_resolved():
    text = "Jakob Ingebrigtsen split from former coach Gjert Ingebrigtsen. Muhammad Ali boxed."
    assert athletes(text) == [("Jakob Ingebrigtsen", "athlete:Jakob Ingebrigtsen", "kb-exact")]


def test_possessives_and_ordinary_words_before_a_surname_do_not_block_it():
    text = "Josh Kerr won. Britain’s Kerr and When Kerr ran, Kerr’s coach smiled."
    assert [t for t, _, _ in athletes(text)] == ["Josh Kerr", "Kerr", "Kerr", "Kerr"]


def test_longest_match_wins_and_matches_never_overlap():
    found = NAMES.find_athletes("Mondo Duplantis cleared 6.26m, Duplantis said.")
    assert [(s.text, s.rule) for s in found] == [
        ("Mondo Duplantis", "kb-alias"),
        ("Duplantis", "kb-surname"),
    ]
    ends = [(s.start, s.end) for s in found]
    assert all(a[1] <= b[0] for a, b in zip(ends, ends[1:], strict=False))


# --- people not in the KB ------------------------------------------------------------------


def people(text: str) -> list[str]:
    return [s.text for s in find_people(TextContext(text))]


def test_unknown_people_in_athletic_sentences():
    assert people("Narve Gilje Nordås finished fourth in the 1500m final.") == [
        "Narve Gilje Nordås"
    ]
    assert people("Sha'Carri Richardson won the 100m.") == ["Sha'Carri Richardson"]
    assert people("Kenyan Mary Smith, who beat her in Budapest.") == ["Mary Smith"]
    assert people("Results: Anna Jansen (Norway), 2x, Oslo.") == ["Anna Jansen"]


def test_pattern_names_skip_organisations_places_roles_and_non_sport_sentences():
    assert people("In an interview with The Herald he said the race was hard.") == []
    assert people("World Athletics said the Diamond League final is in Brussels.") == []
    assert people("He bought shares in Elon Musk's company.") == []
    assert people("His former coach Gjert Smith won praise for the record.") == []
    assert people("On Tuesday August 6th the final starts.") == []


def test_pattern_names_respect_taken_ranges():
    text = "Josh Kerr won the final."
    taken = bytearray(len(text))
    taken[0:9] = b"\x01" * 9
    assert find_people(TextContext(text), taken=taken) == []


# --- misspelled names ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "wrong", "right", "entity"),
    [
        (
            "Jakob Ingebrigsten won the 1500m.",
            "Ingebrigsten",
            "Ingebrigtsen",
            "athlete:Jakob Ingebrigtsen",
        ),
        (
            "Jakob Ingebritsen won the 1500m.",
            "Ingebritsen",
            "Ingebrigtsen",
            "athlete:Jakob Ingebrigtsen",
        ),
        (
            "Duplantiss cleared the bar again.",
            "Duplantiss",
            "Duplantis",
            "athlete:Armand Duplantis",
        ),
        ("Kipyegeon won the 1500m in Eugene.", "Kipyegeon", "Kipyegon", "athlete:Faith Kipyegon"),
        ("Sifan Hasan won the marathon.", "Hasan", "Hassan", "athlete:Sifan Hassan"),
    ],
)
def test_near_misses_of_kb_names_are_flagged(text, wrong, right, entity):
    [err] = errors(text)
    assert (err.text, err.correction, err.error_type, err.rule) == (
        wrong,
        right,
        "misspelled_name",
        "fuzzy-kb",
    )
    assert err.note == f"KB: {entity.split(':', 1)[1]}"
    assert 0.5 < err.confidence < 0.95
    [ath] = fuzzy_athletes(text)
    assert (ath.entity, ath.rule) == (entity, "fuzzy-kb-athlete")


@pytest.mark.parametrize(
    "text",
    [
        "Henrik Ingebrigtsen and Filip Ingebrigtsen ran.",  # both KB names
        "Josh Kerr grew up far from Kerry.",  # Kerry is a county, Kerr a KB surname
        "Niels Laros flew in from Lagos.",  # a city one letter from a KB surname
        "Hasan scored twice for the club.",  # a real surname nothing ties to Sifan Hassan
        "Mo Farah met Moh Salah.",  # too short to judge
        "Femke Bol beat Anna Boll.",
        "Noah Lyles and Lyle Smith ran.",
        "Timothy Cheruiyot beat Ann Cheruiyot-Kiprop.",  # a double-barrelled name
        "Mary Moraa won. Moral victories count for little.",  # an ordinary word
    ],
)
def test_real_different_names_are_not_flagged(text):
    assert errors(text) == []


def test_an_ordinary_word_written_lowercase_elsewhere_is_never_flagged():
    assert errors("Faith Kipyegon won. Kipyegen is a word here: kipyegen.") == []


def test_misspelled_bare_surname_resolves_through_an_earlier_misspelled_full_name():
    text = "Josh Kerr beat Jakob Ingebrigsten. Later Ingebrigsten said nothing."
    errs = errors(text)
    assert [e.text for e in errs] == ["Ingebrigsten", "Ingebrigsten"]
    assert all(e.correction == "Ingebrigtsen" for e in errs)
    ath = fuzzy_athletes(text)
    assert [(a.text, a.entity) for a in ath] == [
        ("Jakob Ingebrigsten", "athlete:Jakob Ingebrigtsen"),
        ("Ingebrigsten", "athlete:Jakob Ingebrigtsen"),
    ]


def test_misspelled_ambiguous_surname_without_context_names_every_candidate():
    [err] = errors("Ingebrigsten won the race.")
    assert err.correction == "Ingebrigtsen"
    assert err.note == "KB: Jakob Ingebrigtsen, Henrik Ingebrigtsen, Filip Ingebrigtsen"
    assert fuzzy_athletes("Ingebrigsten won the race.") == []


def test_misspelled_first_name_and_both_parts():
    [err] = errors("Jakop Ingebrigtsen won.")
    assert (err.text, err.correction) == ("Jakop", "Jakob")
    [err] = errors("Jacob Ingebrigsten won.")
    assert (err.text, err.correction) == ("Jacob Ingebrigsten", "Jakob Ingebrigtsen")


# --- corpus spellings ----------------------------------------------------------------------


def test_corpus_counts_merge_and_ignore_lowercase_words():
    a, b = CorpusNames(), CorpusNames()
    a.add_text("Keely Hodgkinson won. Hodgkinson’s kick")
    b.add_text("Hodgkinson again; the race")
    merged = a.merge(b)
    assert (merged.count("Hodgkinson"), merged.count("Keely"), merged.count("race")) == (3, 1, 0)
    assert a.count("Hodgkinson") == 2  # merge does not mutate
    a.update(b)
    assert a.count("Hodgkinson") == 3


def test_a_rare_spelling_of_a_frequent_corpus_name_is_flagged():
    corpus = CorpusNames()
    for _ in range(6):
        corpus.add_text("Keely Hodgkinson won the 800m.")
    corpus.add_text("Hodgkinsen won.")
    [err] = errors("Hodgkinsen won the 800m final.", corpus=corpus)
    assert (err.correction, err.rule, err.error_type) == (
        "Hodgkinson",
        "fuzzy-corpus",
        "misspelled_name",
    )
    assert err.note == "spelled 'Hodgkinson' 6 times in the corpus"


def test_corpus_evidence_needs_a_five_fold_majority():
    corpus = CorpusNames()
    for _ in range(6):
        corpus.add_text("Keely Hodgkinson won.")
    for _ in range(2):
        corpus.add_text("Hodgkinsen won.")
    assert errors("Hodgkinsen won the 800m final.", corpus=corpus) == []


def test_kb_error_note_cites_the_corpus_count():
    corpus = CorpusNames()
    for _ in range(7):
        corpus.add_text("Jakob Ingebrigtsen won.")
    [err] = errors("Jakob Ingebrigsten won.", corpus=corpus)
    assert err.note == "KB: Jakob Ingebrigtsen; spelled 'Ingebrigtsen' 7 times in the corpus"


# --- sentences -----------------------------------------------------------------------------


def test_sentences_know_abbreviations_numbers_and_line_breaks():
    text = (
        "Mr. Kerr ran 3:26.73 in St. Louis. He won the 1,500m final! Next\n"
        "A headline\n\nJ. Smith said so."
    )
    got = [text[s:e] for s, e in sentences(text)]
    assert got == [
        "Mr. Kerr ran 3:26.73 in St. Louis.",
        "He won the 1,500m final!",
        "Next",
        "A headline",
        "J. Smith said so.",
    ]


def test_given_names_ending_like_verbs_open_a_sentence():
    assert people("Winfred Jepkosgei won the marathon.") == ["Winfred Jepkosgei"]
    assert people("Kimberly Smith won the 800m.") == ["Kimberly Smith"]
    assert people("Sterling Jones won the 100m.") == ["Sterling Jones"]
    assert people("Alfred Mutai won the 5000m. Manfred Kogo was second.") == [
        "Alfred Mutai",
        "Manfred Kogo",
    ]
    assert people("Reflecting Smith won the race.") == []
    # A KB given name counts as a name wherever it stands.
    found = find_people(TextContext("Lerring Bosco won the 800m."), known={"Lerring"})
    assert [s.text for s in found] == ["Lerring Bosco"]


@pytest.mark.parametrize(
    "text",
    [
        "Anna Jansen finished fourth.",
        "Anna Jansen was second.",
        "Anna Jansen came third.",
        "Anna Jansen was just behind.",
        "Anna Jansen went to the national trials.",
        "Anna Jansen clocked 1:58.",
        "Anna Jansen qualified easily.",
        "Anna Jansen eased through her heat.",
        "Anna Jansen made the podium.",
        "Anna Jansen set a personal best.",
        "Anna Jansen set a PB.",
        "Anna Jansen set a season's best.",
        "Anna Jansen set a season’s best.",
    ],
)
def test_more_athletic_context_words(text):
    assert people(text) == ["Anna Jansen"]


def test_nationality_nouns_are_not_part_of_a_name():
    text = "The 19-year-old Swede Lukas Björkqvist was fifth in the 1500m."
    assert people(text) == ["Lukas Björkqvist"]
    for word in (
        "Norwegian",
        "Kenyan",
        "Briton",
        "Scot",
        "American",
        "Dutchman",
        "Ethiopian",
        "Ugandan",
        "Australian",
    ):
        assert people(f"The {word} Anna Jansen won the 800m.") == ["Anna Jansen"], word


def test_family_plurals_are_not_misspellings_and_possessives_are_surnames():
    assert errors("The Ingebrigtsens won everything. Jakob Ingebrigtsen won the 1500m.") == []
    assert errors("Three Ingebrigtsens ran in the 5000m final.") == []
    text = "Jakob Ingebrigtsen won. Ingebrigtsen's win, then Ingebrigtsen’s title."
    assert athletes(text)[1:] == [
        ("Ingebrigtsen", "athlete:Jakob Ingebrigtsen", "kb-surname"),
        ("Ingebrigtsen", "athlete:Jakob Ingebrigtsen", "kb-surname"),
    ]


def test_a_surname_that_is_a_month_is_a_date_next_to_a_day_or_a_preposition():
    names = NameMatcher(KnowledgeBase(athletes=(Athlete("Fiona May"), Athlete("Yulia June"))))

    def found(text: str) -> list[str]:
        return [s.text for s in names.find_athletes(text)]

    assert found("She opens her season on May 18 in Savona.") == []
    assert found("She opens her season 18 May in Savona.") == []
    assert found("Since May she has trained in Rome, and in June she races.") == []
    assert found("Early June and late May are busy; May 2024 was too.") == []
    assert found("Fiona May won. May, who won in 1995, ran on May 18.") == ["Fiona May", "May"]


@pytest.mark.parametrize("seed", range(40))
def test_pick_non_overlapping_keeps_what_no_earlier_kept_span_overlaps(seed):
    import random
    from collections import namedtuple

    from annotator.core.suggest.text_helpers import pick_non_overlapping

    Span = namedtuple("Span", "start end")
    rng = random.Random(seed)
    # Short spans in a short text, some of them empty in half of the rounds; few of them
    # (sorted lists) and many (a mask of the taken characters).
    items = []
    for _ in range(rng.randint(0, 60) if seed % 4 < 2 else rng.randint(257, 400)):
        start = rng.randrange(0, 200)
        items.append(Span(start, start + rng.randint(0 if seed % 2 else 1, 12)))
    expected: list = []
    for s in items:
        if not any(max(s.start, k.start) < min(s.end, k.end) for k in expected):
            expected.append(s)
    assert pick_non_overlapping(iter(items)) == expected
