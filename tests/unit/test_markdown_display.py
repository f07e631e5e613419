import random

import pytest

from annotator.core.display_map import DisplayMap, merge_ranges
from annotator.core.markdown_display import (
    NO_MARKUP,
    Heading,
    find_markup,
    is_markdown,
    markup_for,
)


def shown(text: str) -> str:
    return DisplayMap(text, find_markup(text).hidden).shown_text()


def _utf16(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


# -- the recogniser ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Ingebrigtsen wins", "Ingebrigtsen wins"),
        ("### Results ###", "Results"),
        ("#hashtag stays", "#hashtag stays"),
        ("# C# is a language", "C# is a language"),
        ("Kipyegon **won** the *1500 m*", "Kipyegon won the 1500 m"),
        ("__strong__ and _em_ and ~~struck~~", "strong and em and struck"),
        ("***both*** at once", "both at once"),
        ("snake_case and file_name_v2 stay", "snake_case and file_name_v2 stay"),
        ("5 * 3 = 15 and 2 * 4", "5 * 3 = 15 and 2 * 4"),
        ("a lone * star and an _open underscore", "a lone * star and an _open underscore"),
        ("**unclosed bold", "**unclosed bold"),
        ("See [the results](https://x.org/a_(b)) now", "See the results now"),
        ('![Hassan at the line](img/h.png "Photo") caption', "Hassan at the line caption"),
        ("[**bold link**](u) and [not a link] here", "bold link and [not a link] here"),
        ("use `pip *install*` now", "use pip *install* now"),
        ("``a ` tick`` ok", "a ` tick ok"),
        ("`unclosed code", "`unclosed code"),
        ("\\*not emphasis\\*", "*not emphasis*"),
        ("> quoted **word**\n> > nested", "quoted word\nnested"),
        ("- item *one*\n1. item two\n* three", "- item one\n1. item two\n* three"),
        ("```\n**raw** # kept\n```\nafter **b**", "```\n**raw** # kept\n```\nafter b"),
        ("~~~python\nx = a_b * c\n~~~", "~~~python\nx = a_b * c\n~~~"),
        ("Title\n=====\n\nText", "Title\n\nText"),
        ("Sub\n---\nText", "Sub\nText"),
        ("Text\n\n---\n\nMore", "Text\n\n---\n\nMore"),
        ("- item\n---", "- item\n---"),
        ("| a | b |\n|---|---|\n| 1 | 2 |", "| a | b |\n|---|---|\n| 1 | 2 |"),
    ],
)
def test_markup_is_hidden_and_everything_else_kept(text, expected):
    assert shown(text) == expected


def test_headings_are_found_with_their_levels_and_content_offsets():
    text = "# Oslo **Diamond** League\n\nBody\n\n## Results ##\n\nSetext\n---\n"
    markup = find_markup(text)
    assert [(text[h.start : h.end], h.level) for h in markup.headings] == [
        ("Oslo **Diamond** League", 1),
        ("Results", 2),
        ("Setext", 2),
    ]


def test_headings_inside_fenced_code_are_not_headings():
    markup = find_markup("```\n# not a heading\n```\n# Real")
    assert [h.level for h in markup.headings] == [1]
    assert isinstance(markup.headings[0], Heading)


def test_hidden_ranges_only_cover_markup_characters():
    text = (
        "# Jakob **Ingebrigtsen** 🏃 wins\n\n> _Faith_ [Kipyegon](https://k.org) "
        "`3:49.04` ~~old~~ ![pic](p.png)\n\nSub\n===\n"
    )
    markup = find_markup(text)
    for start, end in markup.hidden:
        assert set(text[start:end]) <= set("#*_~`[]()!>= \n-") | set("https://k.orgp.png")


def test_only_markdown_sources_get_markup():
    text = "# Title\n\n**bold**"
    assert is_markdown("/news/oslo.md") and is_markdown("OSLO.MARKDOWN")
    assert not is_markdown("oslo.txt") and not is_markdown(None) and not is_markdown("")
    assert markup_for("oslo.txt", text) is NO_MARKUP
    assert markup_for("oslo.html", text).hidden == ()
    assert markup_for("oslo.md", text).hidden


# -- the display map -----------------------------------------------------------------------


def test_with_nothing_hidden_the_map_is_the_plain_offset_map():
    text = "Faith 🏃‍♀️ Kipyegon 𝕏"
    mapping = DisplayMap(text)
    assert mapping.shown_text() == text
    assert mapping.utf16_length == _utf16(text)
    for cp in range(len(text) + 1):
        assert mapping.to_utf16(cp) == _utf16(text[:cp])
        assert mapping.from_utf16(mapping.to_utf16(cp)) == cp
        assert mapping.end_from_utf16(mapping.to_utf16(cp)) == cp


def test_a_span_over_markup_draws_on_the_shown_characters():
    text = "Won by **Jakob** 🏃 today"
    mapping = DisplayMap(text, find_markup(text).hidden)
    assert mapping.shown_text() == "Won by Jakob 🏃 today"
    start, end = text.index("**Jakob**"), text.index("**Jakob**") + len("**Jakob**")
    qt_start, qt_end = mapping.to_utf16(start), mapping.to_utf16(end)
    assert mapping.shown_text()[qt_start:qt_end] == "Jakob"
    # Selecting the shown word gives back exactly the word in the stored text.
    word = text.index("Jakob")
    assert (mapping.from_utf16(qt_start), mapping.end_from_utf16(qt_end)) == (word, word + 5)
    # After the emoji (two UTF-16 units) positions still agree.
    today = text.index("today")
    assert mapping.to_utf16(today) == _utf16("Won by Jakob 🏃 ")
    assert mapping.from_utf16(mapping.to_utf16(today)) == today


def test_merge_ranges_joins_overlaps_and_drops_empties():
    assert merge_ranges([(5, 7), (0, 2), (2, 3), (6, 9), (4, 4), (-3, 1), (20, 30)], 25) == [
        (0, 3),
        (5, 9),
        (20, 25),
    ]


ALPHABET = "ab c\n*_é🏃𝕏‍"


@pytest.mark.parametrize("seed", range(40))
def test_random_texts_and_hidden_ranges_round_trip(seed):
    rng = random.Random(seed)
    text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 60)))
    hidden = []
    for _ in range(rng.randint(0, 6)):
        start = rng.randint(0, len(text))
        hidden.append((start, start + rng.randint(0, 5)))
    mapping = DisplayMap(text, hidden)
    merged = merge_ranges(hidden, len(text))
    is_hidden = [any(s <= cp < e for s, e in merged) for cp in range(len(text))]
    shown_cps = [cp for cp in range(len(text)) if not is_hidden[cp]]
    shown_text = "".join(text[cp] for cp in shown_cps)
    assert mapping.shown_text() == shown_text
    assert mapping.utf16_length == _utf16(shown_text)
    for n, cp in enumerate(shown_cps):
        q = mapping.to_utf16(cp)
        assert q == _utf16(shown_text[:n])
        assert mapping.from_utf16(q) == cp
        assert mapping.is_hidden(cp) is False
    for cp in range(len(text) + 1):
        # A hidden code point maps to the next shown character (or the end).
        following = next((n for n, s in enumerate(shown_cps) if s >= cp), len(shown_cps))
        assert mapping.to_utf16(cp) == _utf16(shown_text[:following])
        if cp < len(text):
            assert mapping.is_hidden(cp) is is_hidden[cp]
    # Every selection of shown text maps to a stored range holding that text and nothing
    # shown besides it: the markup between is the only extra.
    for a in range(len(shown_cps) + 1):
        for b in range(a, len(shown_cps) + 1):
            qa, qb = _utf16(shown_text[:a]), _utf16(shown_text[:b])
            start, end = mapping.from_utf16(qa), mapping.end_from_utf16(qb)
            if a == b:
                continue
            assert start == shown_cps[a] and end == shown_cps[b - 1] + 1
            kept = "".join(text[cp] for cp in range(start, end) if not is_hidden[cp])
            assert kept == shown_text[a:b]


def test_a_position_inside_a_surrogate_pair_maps_to_its_character():
    text = "**x**🏃y"
    mapping = DisplayMap(text, find_markup(text).hidden)
    assert mapping.shown_text() == "x🏃y"
    assert mapping.from_utf16(2) == text.index("🏃")  # the low surrogate
    assert mapping.from_utf16(3) == text.index("y")


def test_a_step_over_hidden_markup_moves_on_to_the_next_shown_character():
    text = "**Jakob** ran"
    mapping = DisplayMap(text, find_markup(text).hidden)
    end_of_word = text.index("** ran")
    assert mapping.step_shown(end_of_word, 1) == text.index(" ran") + 1
    assert mapping.step_shown(text.index(" ran"), -1) == text.index("b**")
    assert mapping.step_shown(2, -1) == 0  # stops at the text's start
    plain = DisplayMap("plain text")
    assert [plain.step_shown(3, s) for s in (1, -1)] == [4, 2]
