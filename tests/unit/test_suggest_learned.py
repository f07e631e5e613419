"""The string-matching recommender and the rule ranking, on their own."""

from __future__ import annotations

import pytest

from annotator.core.suggest.learned import (
    RULE,
    LearnedString,
    StringMatcher,
    rank,
    rule_factors,
    with_learned,
)
from annotator.core.suggest.model import Suggestion


def found(matcher: StringMatcher, text: str) -> list[tuple[str, str]]:
    out = matcher.find(text)
    assert all(text[s.start : s.end] == s.text and s.rule == RULE for s in out)
    return [(s.label, s.text) for s in out]


def test_whole_words_only_names_case_sensitive_events_not():
    m = StringMatcher(
        [LearnedString("athlete", "Bol", 3), LearnedString("event", "Golden Gala", 2)]
    )
    text = "Bol won; bol is a bowl; Bolt ran. At the golden gala and the Golden Gala."
    assert found(m, text) == [
        ("athlete", "Bol"),
        ("event", "golden gala"),
        ("event", "Golden Gala"),
    ]


def test_confidence_grows_with_acceptance_and_falls_with_rejection():
    assert LearnedString("athlete", "X", 1).confidence == 0.5
    assert LearnedString("athlete", "X", 4).confidence == 0.8
    assert LearnedString("athlete", "X", 40).confidence == 0.9
    assert LearnedString("athlete", "X", 1, rejected=1).confidence == pytest.approx(0.33)
    # Rejected as often as tagged, and more: below the floor, not proposed.
    m = StringMatcher([LearnedString("athlete", "Tomasz Wren", 1, rejected=3)])
    assert found(m, "Tomasz Wren ran.") == []


def test_the_longest_string_wins_and_a_two_label_string_needs_a_clear_majority():
    m = StringMatcher(
        [LearnedString("event", "Harbourside Relays", 2), LearnedString("event", "Harbourside", 2)]
    )
    assert found(m, "the Harbourside Relays") == [("event", "Harbourside Relays")]
    tie = StringMatcher(
        [LearnedString("athlete", "Jordan", 3), LearnedString("event", "Jordan", 2)]
    )
    assert found(tie, "Jordan won.") == []
    clear = StringMatcher(
        [LearnedString("athlete", "Jordan", 5), LearnedString("event", "Jordan", 1)]
    )
    assert found(clear, "Jordan won.") == [("athlete", "Jordan")]


def test_learned_spans_never_overlap_the_engines_of_the_same_label():
    engine = [Suggestion(0, 9, "athlete", "Josh Kerr", 0.95, "kb-exact")]
    extra = [
        Suggestion(5, 9, "athlete", "Kerr", 0.5, RULE),
        Suggestion(5, 9, "event", "Kerr", 0.5, RULE),
        Suggestion(20, 24, "athlete", "Kerr", 0.5, RULE),
    ]
    assert [(s.start, s.label) for s in with_learned(engine, extra)] == [
        (0, "athlete"),
        (5, "event"),
        (20, "athlete"),
    ]


def test_rules_users_mostly_reject_are_ranked_down_and_then_dropped():
    factors = rule_factors({"good": (90, 10), "weak": (3, 7), "bad": (1, 9), "new": (0, 3)})
    assert factors == {"weak": pytest.approx(0.6), "bad": 0.0}
    ranked = rank(
        [Suggestion(0, 1, "date", "x", 0.9, r) for r in ("good", "weak", "bad", "new")], factors
    )
    assert [(s.rule, s.confidence) for s in ranked] == [
        ("good", 0.9),
        ("weak", 0.54),
        ("new", 0.9),
    ]
