"""Tokens and sentences shared by the CoNLL, ClaimReview and report formats."""

from __future__ import annotations

from annotator.core.formats.tokens import sentence_at, sentence_bounds, tokenize


def words(text: str) -> list[str]:
    return [token.text for token in tokenize(text)]


def test_tokens_keep_results_names_and_emoji_whole():
    text = "Ingebrigtsen’s 3:43.73 beat O'Brien-Smith (1,500 m) 🏃‍♀️ 👍🏽 José."
    assert words(text) == [
        "Ingebrigtsen",
        "’s",
        "3:43.73",
        "beat",
        "O'Brien-Smith",
        "(",
        "1,500",
        "m",
        ")",
        "🏃‍♀️",
        "👍🏽",
        "José",
        ".",
    ]
    for token in tokenize(text):
        assert text[token.start : token.end] == token.text


def test_tokens_of_a_range_have_offsets_into_the_whole_text():
    text = "🏃‍♀️ Kerr won."
    start = text.index("Kerr")
    assert [(t.start, t.text) for t in tokenize(text, start, start + 8)] == [
        (start, "Kerr"),
        (start + 5, "won"),
    ]


def test_combining_accents_stay_in_their_word():
    text = "Jose\u0301 won"
    assert words(text) == ["Jose\u0301", "won"]


def test_sentences_end_at_stops_and_line_breaks_but_not_after_initials():
    text = 'Mr. J. Smith won on Sept. 12, 2025. Then he left!\nHEADLINE here\n\n"Great." Done'
    found = [text[s:e] for s, e in sentence_bounds(text)]
    assert found == [
        "Mr. J. Smith won on Sept. 12, 2025.",
        "Then he left!",
        "HEADLINE here",
        '"Great."',
        "Done",
    ]


def test_the_sentence_at_a_span_and_across_a_sentence_end():
    text = "Kerr won. Ingebrigsten was second. Nuguse third."
    start = text.index("Ingebrigsten")
    assert text[slice(*sentence_at(text, start, start + 12))] == "Ingebrigsten was second."
    across = text.index("second")
    s, e = sentence_at(text, across, text.index("Nuguse") + 6)
    assert text[s:e] == "Ingebrigsten was second. Nuguse third."
