"""Misspelled surnames standing alone after the full name, and the real people who only look
like misspellings."""

from __future__ import annotations

import pytest

from annotator.core.kb import Athlete, KnowledgeBase
from annotator.core.suggest.engine import SuggestionEngine
from annotator.core.suggest.name_typos import slips

KB = KnowledgeBase(
    athletes=(
        Athlete("Jakob Ingebrigtsen"),
        Athlete("Henrik Ingebrigtsen"),
        Athlete("Sifan Hassan"),
        Athlete("Armand Duplantis"),
        Athlete("Faith Kipyegon"),
        Athlete("Niels Laros"),
        Athlete("Josh Kerr"),
        Athlete("Hamish Kerr"),
        Athlete("Beatrice Chebet"),
    )
)
ENGINE = SuggestionEngine(KB, use_spacy=False)


def errors(text: str) -> list[tuple[str, str | None, str]]:
    out = ENGINE.suggest(text)
    assert all(text[s.start : s.end] == s.text for s in out)
    return [(s.text, s.correction, s.error_type) for s in out if s.label == "error"]


def athletes(text: str) -> list[tuple[str, str | None]]:
    return [(s.text, s.entity) for s in ENGINE.suggest(text) if s.label == "athlete"]


def test_slips_are_transpositions_doublings_and_undoublings():
    assert slips("Hassan") >= {"Hsasan", "Hasasn", "Hasan", "Hasssan", "Hassann"}
    assert "Hbssan" not in slips("Hassan")  # a substituted letter is not a slip
    assert "HHassan" not in slips("Hassan")


@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        # One slip of a KB athlete's surname, and two slips of a name the KB does not hold.
        (
            "Jakob Ingebrigtsen won the 1500m final. Ingebrigsten said he was tired.",
            "Ingebrigsten",
            "Ingebrigtsen",
        ),
        (
            "Kiprono Lemayian won the 1500m in Nairobi. Lemayain said he was happy.",
            "Lemayain",
            "Lemayian",
        ),
        (
            "Kiprono Lemayian won the 1500m in Nairobi. Lemmayain said he was happy.",
            "Lemmayain",
            "Lemayian",
        ),
        (
            "Armand Duplantis cleared 6.10m in the final. Afterwards Dupalntiss celebrated.",
            "Dupalntiss",
            "Duplantis",
        ),
        (
            "Jakob Ingebrigtsen won the 1500m final. Later Ingebrigsten said nothing.",
            "Ingebrigsten",
            "Ingebrigtsen",
        ),
    ],
)
def test_a_slipped_surname_after_the_full_name_is_a_misspelled_name(text, wrong, right):
    assert errors(text) == [(wrong, right, "misspelled_name")]
    assert wrong in [t for t, _ in athletes(text)]  # and an athlete span, as the guide says


def test_the_slipped_surname_links_to_the_person_named_in_full():
    text = "Kiprono Lemayian won the 1500m in Nairobi. Lemayain said he was happy."
    [typo] = [s for s in ENGINE.suggest(text) if s.label == "error"]
    assert (typo.rule, typo.note) == (
        "doc-surname-typo",
        "spelled 'Lemayian' in 'Kiprono Lemayian' earlier in this article",
    )
    text = "Beatrice Chebet won the 5000m final. Chebbet then jogged a lap of honour."
    assert ("Chebbet", "athlete:Beatrice Chebet") in athletes(text)


@pytest.mark.parametrize(
    "text",
    [
        # A first name that is not the KB athlete's: someone else.
        "Sifan Hassan won the 10,000m final. Ahmed Hasan, her physio, was pleased.",
        "Faith Kipyegon won the 1500m final. Henrik Kipyegno was calm afterwards.",
        "Jakob Ingebrigtsen won the 1500m. Later, Marius Ingebrigsten spoke to reporters.",
        "Kiprono Lemayian won the 1500m in Nairobi. Peter Lemayain Ruto, his uncle, watched.",
        # Another KB athlete, and a different letter rather than a slip.
        "Josh Kerr won the 1500m final. Later Hamish Kerr won the high jump.",
        "Niels Laros won the 1500m final. He then flew to Lagos for a race.",
        # Before the full name there is nothing to be a slip of.
        "Lemayain was second in Nairobi. Kiprono Lemayian won the 1500m there.",
        # Two people whose surnames are slips of each other: neither is flagged.
        "Kiprono Lemayian won the 1500m final. Daniel Lemayain was second in the race.",
    ],
)
def test_real_different_people_are_never_flagged(text):
    assert errors(text) == []
