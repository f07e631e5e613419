"""The one sentence splitter, and its abbreviation list, for the exports and the suggesters.

Used by the exports that cut sentences (``formats.tokens``: CoNLL, spaCy, reports, ClaimReview,
the curation lanes), by the suggesters (``suggest.text_helpers.TextContext``; the date rules cut
a clause where it says a sentence ends) and by the import's title ("the first sentence").

Bounds are ``(start, end)`` code-point offsets into the text, whitespace trimmed, so
``text[start:end]`` is the sentence; blank lines give none. The rule:

1. A line break always ends a sentence (headlines, captions and list items have no full stop).
2. Otherwise a sentence can only end at a run of ``.``, ``!``, ``?`` or ``…`` (with any closing
   quotes or brackets after it) followed by whitespace or the end of the text. A mark inside a
   token never ends one: "3:26.73", "1,500m", "8.95m", "U.S.A.", "bbc.co.uk".
3. It does not end when the next character after the blanks is a lowercase letter: "ran
   3:26.73. then" and "calmed down … we are" go on; "ran 3:26.73. Then", "… 2024 was" and a
   full stop at the end of the text end it.
4. A full stop does not end a sentence after
   - an abbreviation of ``ABBREVIATIONS`` ("Mr.", "Dr.", "St.", "Jan.", "Feb.", "vs.",
     "approx."), whatever follows ("St. Louis", "Mr. Kerr", "Feb. 12");
   - an abbreviation of ``NUMBER_ABBREVIATIONS`` when a digit follows ("No. 1", "Fig. 3"):
     "she said no. Then" ends;
   - a single capital, an initial ("J. Kerr", "Jakob N. Ingebrigtsen"), or a dotted word
     ("U.S.", "a.m."): these read as abbreviations even where they happen to end a sentence
     ("in Group A. The"), because a sentence wrongly cut in two breaks a name span, while two
     sentences joined only widen a context.
Abbreviations are compared lower-cased.
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr prof vs etc mt ft gen lt col sgt capt rev inc ltd co approx est "
    "dept jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
NUMBER_ABBREVIATIONS = frozenset("no nos fig figs vol p pp".split())

# ``\n+|[.!?…]+[\"'’”)\]]*(?=\s|$)``, opening with one class so that `re` skips to the marks
# in C (an alternation is tried at every position): the first mark is consumed, the rest
# read behind a lookbehind naming which kind of run it opened.
_BREAK = re.compile(r"[\n.!?…](?:(?<=\n)\n*|(?<=[.!?…])[.!?…]*[\"'’”)\]]*(?=\s|$))")
_BLANKS = " \t\u00a0"
_MARKS = ".!?…"
_RUN = _MARKS + "\"'’”)]"


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``, in order (see the module's rule)."""
    out: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    for m in _BREAK.finditer(text):
        ms, me = m.span()
        if text[ms] == "\n":
            _append(out, text, start, ms)
        elif ends_sentence(text, ms, me):
            _append(out, text, start, me)
        else:
            continue
        start = me
    _append(out, text, start, n)
    return out


def ends_sentence(text: str, mark: int, after: int | None = None) -> bool:
    """Whether the mark at ``text[mark]`` (``.``, ``!``, ``?`` or ``…``) ends a sentence;
    ``after`` is where its run of marks and closing quotes ends (found when omitted)."""
    n = len(text)
    if after is None:
        while mark > 0 and text[mark - 1] in _MARKS:
            mark -= 1
        after = mark + 1
        while after < n and text[after] in _RUN:
            after += 1
    if after < n and not text[after].isspace():
        return False
    k = after
    while k < n and text[k] in _BLANKS:
        k += 1
    if k < n and text[k].islower():
        return False
    if text[mark] != ".":
        return True
    # The letters and dots before the mark: most often the whole token after the last space
    # (a sentence ends about once per 100 characters, and a loop over them cost a tenth of
    # the split); where the token holds anything else, walked back a character at a time.
    word = text[text.rfind(" ", 0, mark) + 1 : mark]
    if not word.replace(".", "").isalpha():
        j = mark
        while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
            j -= 1
        word = text[j:mark]
    if not word:
        return True
    if "." in word or (len(word) == 1 and word.isupper()):
        return False
    low = word.lower()
    if low in ABBREVIATIONS:
        return False
    return not (low in NUMBER_ABBREVIATIONS and k < n and text[k].isdigit())


def _append(out: list[tuple[int, int]], text: str, s: int, e: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if s < e:
        out.append((s, e))


__all__ = ["ABBREVIATIONS", "NUMBER_ABBREVIATIONS", "ends_sentence", "sentence_bounds"]
