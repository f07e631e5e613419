"""The words several whole-article scans open with, found in one automaton pass per document.

The claim checks' triggers and disciplines, the date rules' anchors and the British and
American spellings were each looked for by a pass of their own over every article. An
Aho-Corasick pass costs about 12 ms per MB whatever it looks for, so the engine makes one,
over the lower-cased text (scan.WordStarts), and hands each its groups; every pattern is
then confirmed where its words start. Each of them still works without, scanning the text
itself.
"""

from __future__ import annotations

from .claim_text import DISCIPLINE_OPENINGS, TRIGGER_WORDS
from .dates.patterns import OPENING_WORDS as DATE_WORDS
from .scan import WordStarts
from .spelling_variant import AMERICAN, BRITISH

OPENINGS = WordStarts({
    "trigger": TRIGGER_WORDS,
    "discipline": DISCIPLINE_OPENINGS,
    **DATE_WORDS,
    "variant": sorted(BRITISH | AMERICAN),
})

__all__ = ["OPENINGS"]
