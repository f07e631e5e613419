"""The tokens of a text as the agreement measures need them: how many, and which ones each
span covers, as ``tokenize`` (annotator.core.formats.tokens) finds them but without a Token
object per token, and mostly without matching its pattern at all (see ``Tokens``).
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from itertools import filterfalse

from annotator.core.formats import tokens as _tokens

_match_start = re.Match.start
_match_end = re.Match.end
_TOKEN = _tokens._TOKEN
# The tokenizer pattern whose properties ``Tokens`` relies on (below), as checked; any other
# pattern (a changed tokenizer) takes the plain path, correct but slower, until re-checked.
_CHECKED_PATTERN = "063b81152c5f87abb41e5ddc50e012e235caa5cae070105c6107b1a115841fff"
_SHORT_CUT = (
    hashlib.sha256(_TOKEN.pattern.encode()).hexdigest() == _CHECKED_PATTERN
    and _TOKEN.flags == re.UNICODE
)
#: Longer whitespace-free stretches (a text without spaces, say) take the plain path.
_LONGEST_CHUNK = 100


class Tokens:
    """The tokens ``tokenize`` finds in a text: how many, and which ones a span covers (each
    token named by its start offset), without a Token object per token.

    Tokenizing is most of the time over a large corpus, so the usual path matches the
    tokenizer's pattern as little as it can, relying on three properties of that pattern:
    no token holds whitespace; a whitespace-free stretch of letters (str.isalpha) is one
    token; and how a stretch splits depends on that stretch alone (the pattern looks
    behind nowhere, and ahead only as far as the whitespace that ends the stretch). So the
    count is the number of all-letter stretches plus the tokens of the others, matched
    joined by spaces, and a span's tokens are matched from the start of its stretch.
    """

    __slots__ = ("_ends", "_starts", "count", "known", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        #: (start, end) -> the tokens that span covers, for each span asked about
        self.known: dict[tuple[int, int], list[int]] = {}
        self._starts: list[int] | None = None
        self._ends: list[int] = []
        if _SHORT_CUT:
            chunks = text.split()
            if not chunks or max(map(len, chunks)) <= _LONGEST_CHUNK:
                others = list(filterfalse(str.isalpha, chunks))
                self.count = len(chunks) - len(others) + len(_TOKEN.findall(" ".join(others)))
                return
        found = list(_TOKEN.finditer(text))
        self._starts = list(map(_match_start, found))
        self._ends = list(map(_match_end, found))
        self.count = len(found)

    def covered(self, start: int, end: int) -> list[int]:
        """The start offsets of the tokens lying wholly inside [start, end)."""
        key = start, end
        found = self.known.get(key)
        if found is not None:
            return found
        if self._starts is not None:
            first, past = bisect_left(self._starts, start), bisect_right(self._ends, end)
            found = self._starts[first:past]
        else:
            text = self.text
            begin = min(max(start, 0), len(text))
            while begin > 0 and not text[begin - 1].isspace():
                begin -= 1
            found = []
            for match in _TOKEN.finditer(text, begin):
                at = match.start()
                if at >= end:
                    break
                if at >= start and match.end() <= end:
                    found.append(at)
        self.known[key] = found
        return found
