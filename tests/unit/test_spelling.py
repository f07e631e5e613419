"""The spelling suggester against the real Hunspell dictionaries (pyenchant, hunspell-en-gb/us):
misspelled ordinary words and repeated words, and everything that must never be flagged."""

from __future__ import annotations

import pytest

from annotator.core.kb import Athlete, Event, KnowledgeBase
from annotator.core.suggest.engine import SuggestionEngine
from annotator.core.suggest.misspell import CorpusNames
from annotator.core.suggest.repeated_words import RULE_REPEATED, repeated_words
from annotator.core.suggest.spelling import RULE_HUNSPELL, SpellChecker, clear_correction
from annotator.core.suggest.spelling_variant import detect_variant, resolve_variant

KB = KnowledgeBase(
    athletes=(
        Athlete("Faith Kipyegon", country="KEN"),
        Athlete("Mondo Duplantis", aliases=("Armand Duplantis",), country="SWE"),
        Athlete("Femke Bol", country="NED"),
        Athlete("Beatrice Chebet", country="KEN"),
        Athlete("Narve Gulbrandsen Nordås", country="NOR"),
    ),
    events=(
        Event(
            "Kamila Skolimowska Memorial", "diamond_league", 2025, city="Chorzow", country="Poland"
        ),
    ),
)


@pytest.fixture(scope="module")
def checker() -> SpellChecker:
    found = SpellChecker(KB)
    # CI installs the dictionaries (scripts/system-deps.sh): a missing one is a failure here.
    assert found.unavailable() is None
    return found


def flagged(checker: SpellChecker, text: str, **kwargs) -> list[tuple[str, str | None]]:
    out = checker.misspellings(text, **kwargs)
    for s in out:
        assert text[s.start : s.end] == s.text
        assert (s.label, s.error_type, s.rule) == ("error", "misspelling", RULE_HUNSPELL)
    return [(s.text, s.correction) for s in out]


def test_a_misspelled_word_gets_its_correction_at_exact_offsets_after_emoji(checker):
    text = "🏃🏽‍♀️ 🥇 The champion recieved her medal and was suprisingly calm."
    out = checker.misspellings(text)
    assert [(s.text, s.correction) for s in out] == [
        ("recieved", "received"),
        ("suprisingly", "surprisingly"),
    ]
    first = out[0]
    assert text[first.start : first.end] == "recieved"
    assert first.start == text.index("recieved")  # code points: the emoji count one each


def test_the_correction_is_given_only_when_it_is_clear():
    assert clear_correction("teh", ["the", "eh", "tech"]) == "the"
    assert clear_correction("definately", ["definitely", "determinately"]) == "definitely"
    # "alto", "allot", "a lot": equally likely slips, so no correction and no suggestion.
    assert clear_correction("alot", ["alto", "slot", "lot", "allot", "a lot"]) is None
    assert clear_correction("runing", ["tuning", "ruing", "ruining", "running"]) is None
    assert clear_correction("leh", ["Leh", "lech"]) is None  # a name for an ordinary word


def test_words_without_a_clear_correction_are_not_flagged(checker):
    assert flagged(checker, "The pacers went through in good order, runing hard.") == []


def test_knowledge_base_names_and_all_their_tokens_are_never_flagged(checker):
    text = (
        "Kipyegon won. Duplantis and Armand were there, and Femke too. Chorzow hosted "
        "the Skolimowska meeting. Later kipyegon fans, a chebet-style kick and nordas "
        "posters appeared."
    )
    assert flagged(checker, text) == []
    # Without the knowledge base the lower-cased names look like slips ("chevet", "nondas").
    assert {word for word, _fix in flagged(SpellChecker(None), text)} == {"chebet", "nordas"}


def test_capitalised_words_in_the_middle_of_a_sentence_are_names(checker):
    assert flagged(checker, "She beat Recieved Wanyonyi and Atheltes Smith.") == []


def test_at_a_sentence_start_only_known_misspellings_are_flagged(checker):
    assert flagged(checker, "Teh race was fast. Thier coach smiled.") == [
        ("Teh", "The"),
        ("Thier", "Their"),
    ]
    # A Capitalised unknown word opening a sentence is as likely a name: "Caretr" could be
    # someone, even though "Carter" is one slip away.
    assert flagged(checker, "Caretr won the heat. Wnidy conditions followed.") == []


def test_a_word_the_corpus_uses_in_several_documents_is_its_own_word(checker):
    corpus = CorpusNames()
    for _ in range(2):
        corpus.add_text("The crowd recieved the runners warmly.")
    text = "The winner recieved a bonus."
    assert flagged(checker, text, corpus=corpus) == [("recieved", "received")]
    corpus.add_text("Everyone recieved a medal.")  # a third document
    assert flagged(checker, text, corpus=corpus) == []


def test_numbers_marks_and_units_are_never_flagged(checker):
    text = (
        "He ran 3:26.73 over 1500m, jumped 8.95m, won the 10,000m and the 12.5km race in "
        "2:03:45, with a 47.8sec last lap, 47.8secs in all, at 3.2m/s and 23kph; the 4x400m "
        "relay, 5000m/10,000m double. Then he atheltes."
    )
    assert flagged(checker, text) == [("atheltes", "athletes")]


def test_athletics_words_are_never_flagged(checker):
    text = (
        "Her PB and SB, two PBs, a DNF, a DQ and a DNS; the splits, the steeplechase, the "
        "heptathlon, a heptathlete, racewalking, parkrun and parkruns, the frontrunner "
        "outkicked the field at the Wanda Diamond League meeting."
    )
    assert flagged(checker, text) == []


def test_urls_addresses_hashtags_handles_acronyms_and_mixed_case_are_never_flagged(checker):
    text = (
        "See https://example.org/recieved and www.recieved.com, write to "
        "recieved@example.org, follow #recieved and @recieved, RECIEVED, recieved2, "
        "McRecieved and iRecieved."
    )
    assert flagged(checker, text) == []


def test_hyphenated_compounds_and_possessives(checker):
    text = (
        "A well-known, world-leading, long-awaited co-operation; the athlete's and the "
        "athletes' coach, Kerr's rival."
    )
    assert flagged(checker, text) == []
    assert flagged(checker, "A long-awiated win.") == [("awiated", "awaited")]


def test_the_variant_is_detected_from_the_articles_spellings():
    assert detect_variant("She ran 800 metres; the colour of the organised team.") == "en_GB"
    assert detect_variant("She ran 800 meters; the color of the organized team.") == "en_US"
    assert detect_variant("Two meters, the color, and one centre.") == "en_US"  # 2 against 1
    assert detect_variant("No evidence either way.") == "en_GB"
    assert detect_variant("The Lincoln Center and Colorado.") == "en_GB"  # names do not count
    assert resolve_variant("en_US", "metres and colour") == "en_US"
    assert resolve_variant("auto", "meters and color") == "en_US"


def test_the_chosen_variant_decides_what_is_misspelled(checker):
    british = "The 10 kilometres course was her favourite, run in honour of her coach."
    assert flagged(checker, british) == []
    assert flagged(checker, british, variant="en_US") == [
        ("kilometres", "kilometers"),
        ("favourite", "favorite"),
        ("honour", "honor"),
    ]
    american = "The 10 kilometers course was her favorite; she traveled far for it."
    assert flagged(checker, american) == []
    assert ("traveled", "travelled") in flagged(checker, american, variant="en_GB")


def test_repeated_words_become_other_errors_with_the_single_word():
    text = (
        "🏃 He thanked the the crowd and his brothers\nbrothers. The the end. "
        "He had had enough, so that that record stands; Duran Duran played.\n"
        "Results\n\nresults follow. The 10 10 split."
    )
    out = repeated_words(text)
    assert [(s.text, s.correction) for s in out] == [
        ("the the", "the"),
        ("brothers\nbrothers", "brothers"),
        ("The the", "The"),
    ]
    for s in out:
        assert text[s.start : s.end] == s.text
        assert (s.label, s.error_type, s.rule) == ("error", "other", RULE_REPEATED)


def test_the_engine_runs_the_spelling_suggester(checker):
    engine = SuggestionEngine(KB, use_spacy=False)
    text = "Faith Kipyegon recieved the the trophy in Chorzow."
    found = {
        (s.text, s.error_type, s.correction) for s in engine.suggest(text) if s.label == "error"
    }
    assert ("recieved", "misspelling", "received") in found
    assert ("the the", "other", "the") in found
    engine.spelling_variant = "en_US"
    text = "Faith Kipyegon was the crowd's favourite."
    assert ("favourite", "misspelling", "favorite") in {
        (s.text, s.error_type, s.correction) for s in engine.suggest(text)
    }
