import random

import pytest

from annotator.core.offsets import OffsetMap, snap_to_words, utf16_len

TEXTS = [
    "plain ascii text",
    "Narve Gilje Nordås and Sifan Hassan",
    "🏃‍♀️ Faith Kipyegon 🏃‍♀️ won 👩🏽‍🔬 again",
    "𝒜𝒷𝒸 mathematical letters then Ingebrigtsen",
    "mixed\nlines\n\nwith 😀 and é and 𝕏\n",
]


def _utf16(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


@pytest.mark.parametrize("text", TEXTS)
def test_every_code_point_offset_round_trips_through_utf16(text):
    mapping = OffsetMap(text)
    assert mapping.utf16_length == _utf16(text) == utf16_len(text)
    for cp in range(len(text) + 1):
        q = mapping.to_utf16(cp)
        assert q == _utf16(text[:cp])
        assert mapping.from_utf16(q) == cp


@pytest.mark.parametrize("text", TEXTS)
def test_a_utf16_position_inside_a_surrogate_pair_maps_to_its_character(text):
    mapping = OffsetMap(text)
    for cp, ch in enumerate(text):
        if ord(ch) > 0xFFFF:
            assert mapping.from_utf16(mapping.to_utf16(cp) + 1) == cp


def test_random_ranges_keep_text_identity():
    rng = random.Random(7)
    text = "".join(rng.choice(["a", "é", "😀", "𝒜", " ", "\n", "‍", "ß"]) for _ in range(500))
    mapping = OffsetMap(text)
    encoded = text.encode("utf-16-le")
    for _ in range(500):
        a, b = sorted(rng.sample(range(len(text) + 1), 2))
        qa, qb = mapping.to_utf16(a), mapping.to_utf16(b)
        assert encoded[2 * qa : 2 * qb].decode("utf-16-le") == text[a:b]


@pytest.mark.parametrize(
    ("text", "selection", "expected"),
    [
        ("Jakob Ingebrigsten ran", "ngebrig", "Ingebrigsten"),
        ("Jakob Ingebrigsten ran", " Ingebrigsten ", "Ingebrigsten"),
        ("the Norwegian's lead", "Norweg", "Norwegian's"),
        ("Narve Gilje Nordås won", "ilje Nord", "Gilje Nordås"),
        ("ran 3:26.73 in Monaco", "26.7", "3:26.73"),
        ("“Kerr,” he said", "Kerr,”", "Kerr"),
    ],
)
def test_selection_snaps_to_whole_words(text, selection, expected):
    start = text.index(selection)
    s, e = snap_to_words(text, start, start + len(selection))
    assert text[s:e] == expected


def test_snapping_an_emoji_keeps_the_whole_zwj_sequence():
    text = "go 🏃‍♀️ go"
    start = text.index("🏃")
    s, e = snap_to_words(text, start, start + 1)
    assert text[s:e] == "🏃‍♀️"


def test_snapping_never_returns_an_empty_range():
    text = "a   b"
    assert snap_to_words(text, 1, 4) == (1, 4)


def test_a_comma_between_names_is_not_part_of_the_word():
    text = "Kerr,Hocker and 1,500m"
    s, e = snap_to_words(text, 1, 2)
    assert text[s:e] == "Kerr"
    start = text.index("500")
    s, e = snap_to_words(text, start, start + 1)
    assert text[s:e] == "1,500m"
