"""The one sentence splitter (annotator.core.sentences): its rule, its offsets, and the exports
and the suggesters cutting every text the same way through it."""

from __future__ import annotations

import io

import pytest

from annotator.core.formats import tokens
from annotator.core.formats.conll import ConllWriter
from annotator.core.sentences import ABBREVIATIONS, ends_sentence, sentence_bounds
from annotator.core.suggest import names, text_helpers
from annotator.core.suggest.engine import sentences as engine_sentences


def cut(text: str) -> list[str]:
    bounds = sentence_bounds(text)
    for s, e in bounds:
        assert text[s:e] == text[s:e].strip() and text[s:e]
    return [text[s:e] for s, e in bounds]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A mark after a time ends a sentence only before a capital (or the end of the text).
        ("Kerr ran 3:26.73. then he sat down.", ["Kerr ran 3:26.73. then he sat down."]),
        ("Kerr ran 3:26.73. Then he sat down.", ["Kerr ran 3:26.73.", "Then he sat down."]),
        ("Kerr ran 3:26.73.", ["Kerr ran 3:26.73."]),
        ("She jumped 8.95m. It stood.", ["She jumped 8.95m.", "It stood."]),
        ("The 1,500m was fast. 2024 was faster.", ["The 1,500m was fast.", "2024 was faster."]),
        # Abbreviations and initials never end one, whatever follows.
        ("Mr. Kerr won.", ["Mr. Kerr won."]),
        ("Dr. Ross agreed. Mrs. Ross did too.", ["Dr. Ross agreed.", "Mrs. Ross did too."]),
        ("He lives in St. Moritz now.", ["He lives in St. Moritz now."]),
        ("On Jan. 5 and Feb. 12 she raced.", ["On Jan. 5 and Feb. 12 she raced."]),
        ("Kerr vs. Wightman was the race.", ["Kerr vs. Wightman was the race."]),
        ("It took approx. Ten minutes.", ["It took approx. Ten minutes."]),
        ("J. Kerr won. R. Wightman lost.", ["J. Kerr won.", "R. Wightman lost."]),
        ("Jakob N. Smith won.", ["Jakob N. Smith won."]),
        ("The U.S. Team lost.", ["The U.S. Team lost."]),
        # "No." abbreviates only before a number.
        ("She is the world No. 1 now.", ["She is the world No. 1 now."]),
        ("She said no. Then she ran.", ["She said no.", "Then she ran."]),
        # ! ? … and closing quotes.
        ('"We did it!" She smiled.', ['"We did it!"', "She smiled."]),
        ('"Did we?" she asked.', ['"Did we?" she asked.']),
        ("It calmed down … we are fine.", ["It calmed down … we are fine."]),
        ("It calmed down … We are fine.", ["It calmed down …", "We are fine."]),
        ("Kerr won (again.) Next year too.", ["Kerr won (again.)", "Next year too."]),
        # A line break always ends one; blank lines give none.
        ("Kerr wins Mile\n\nHe ran 3:47.", ["Kerr wins Mile", "He ran 3:47."]),
        ("Headline\r\nBody text here.\r\n", ["Headline", "Body text here."]),
        ("", []),
        ("  \n\n ", []),
    ],
)
def test_the_rule(text: str, expected: list[str]) -> None:
    assert cut(text) == expected


def test_offsets_are_code_points_into_the_text() -> None:
    text = "🏃‍♀️ Nordås won.\u00a0Ingebrigtsen was second. 😀 Then Kerr."
    bounds = sentence_bounds(text)
    assert [text[s:e] for s, e in bounds] == [
        "🏃‍♀️ Nordås won.",
        "Ingebrigtsen was second.",
        "😀 Then Kerr.",
    ]
    assert bounds[1][0] == text.index("Ingebrigtsen")


def test_ends_sentence_on_single_marks() -> None:
    text = "Kerr ran 3:26.73. then Mr. Kerr left. Done"
    first, mr, left = (text.index("73.") + 2, text.index("Mr.") + 2, text.index("left.") + 4)
    assert not ends_sentence(text, first)
    assert not ends_sentence(text, mr)
    assert ends_sentence(text, left)
    assert not ends_sentence("3:26.73", 4)  # a decimal point, not a full stop
    # Any mark of a run, and a closing quote after it, are read as the whole run.
    dots = "Kerr won... Then he left."
    assert all(ends_sentence(dots, i) for i in range(8, 11))
    assert ends_sentence('"I won." Then', 6)
    assert not ends_sentence('"I won." then', 6)


def test_the_abbreviation_list_holds_the_usual_ones() -> None:
    assert {"mr", "dr", "st", "jan", "feb", "vs", "approx"} <= ABBREVIATIONS


AGREEMENT_TEXTS = [
    "Kerr ran 3:26.73. then he sat down. Mr. Ingebrigtsen did not.",
    "J. Kerr and St. Louis. No. 1 in the world. She said no. Then left.",
    "It calmed down … we are both fine.\nAsked about Kerr, he said: “I would beat him.”",
    "Approx. 40 runners ran on Feb. 12 in Boston. The winner: Dr. Ross.",
]


@pytest.mark.parametrize("text", AGREEMENT_TEXTS)
def test_the_exports_and_the_suggesters_cut_the_same_way(text: str) -> None:
    expected = sentence_bounds(text)
    assert list(tokens.sentence_bounds(text)) == expected
    assert names.sentences(text) == expected
    assert engine_sentences(text) == expected
    assert text_helpers.TextContext(text).sentences == expected


def conll_sentences(text: str) -> list[str]:
    out = io.StringIO()
    writer = ConllWriter(out)
    writer.write(
        {
            "id": 1,
            "title": "t",
            "source": None,
            "published": None,
            "sha256": "0" * 64,
            "text": text,
            "spans": [],
        }
    )
    writer.finish()
    blocks = out.getvalue().split("\n\n")[1:]
    return [" ".join(line.split(" ")[0] for line in b.splitlines()) for b in blocks if b.strip()]


def test_the_conll_export_keeps_a_time_and_its_lowercase_continuation_together() -> None:
    assert conll_sentences("Kerr ran 3:26.73. then he sat down. J. Kerr won.") == [
        "Kerr ran 3:26.73 . then he sat down .",
        "J . Kerr won .",
    ]
    assert conll_sentences("Kerr ran 3:26.73. Then he sat down.") == [
        "Kerr ran 3:26.73 .",
        "Then he sat down .",
    ]
