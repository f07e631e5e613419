"""Offsets between the stored text and what the article view shows of it.

The view may leave characters of the stored text out (Markdown markup: ``**``, ``# ``, a link's
``(url)``), and Qt counts UTF-16 units where we store code points. Spans keep stored offsets,
so every position crossing into or out of Qt goes through one ``DisplayMap``: stored code point
-> shown code point -> UTF-16, and back. With nothing hidden it is exactly an ``OffsetMap``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from annotator.core.offsets import OffsetMap


def merge_ranges(ranges: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """``ranges`` clipped to ``0:length``, sorted, with overlapping or touching ones joined and
    empty ones dropped."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((max(0, s), min(length, e)) for s, e in ranges):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


class DisplayMap:
    """Converts between stored code points and the UTF-16 positions of the shown text (the
    stored text less ``hidden`` ranges) in O(log n) a call.

    ``to_utf16`` of a hidden code point is the position of the next shown character, so a span
    over markup ("**Jakob**") is drawn on the shown characters it covers. ``from_utf16`` gives
    the stored code point of the shown character at a position (where a selection starts);
    ``end_from_utf16`` the stored end of the shown character before it (where a selection
    ends), so a selection of shown text never takes the markup round it.
    """

    __slots__ = (
        "_hidden",
        "_offsets",
        "_run_shown",
        "_run_stored",
        "_shown",
        "length",
        "utf16_length",
    )

    def __init__(self, text: str, hidden: Iterable[tuple[int, int]] = ()) -> None:
        self.length = len(text)
        self._hidden = merge_ranges(hidden, len(text))
        # Shown runs: stored start of each and where it starts in the shown text.
        self._run_stored: list[int] = []
        self._run_shown: list[int] = []
        parts: list[str] = []
        shown = stored = 0
        for start, end in [*self._hidden, (len(text), len(text))]:
            if start > stored:
                self._run_stored.append(stored)
                self._run_shown.append(shown)
                parts.append(text[stored:start])
                shown += start - stored
            stored = end
        self._shown = "".join(parts) if self._hidden else text
        self._offsets = OffsetMap(self._shown)
        self.utf16_length = self._offsets.utf16_length

    def shown_text(self) -> str:
        return self._shown

    def hidden(self) -> list[tuple[int, int]]:
        return list(self._hidden)

    def is_hidden(self, cp: int) -> bool:
        i = bisect_right(self._hidden, (cp, self.length + 1)) - 1
        return i >= 0 and cp < self._hidden[i][1]

    def stored_to_shown(self, cp: int) -> int:
        if not self._hidden:
            return cp
        i = bisect_right(self._run_stored, cp) - 1
        if i < 0:
            return 0
        run_length = self._run_end(i) - self._run_stored[i]
        return self._run_shown[i] + min(cp - self._run_stored[i], run_length)

    def shown_to_stored(self, shown: int, *, end: bool = False) -> int:
        """The stored code point of shown character ``shown``; with ``end``, the stored end of
        shown character ``shown - 1`` (the same unless markup lies between the two)."""
        if not self._hidden:
            return shown
        if not self._run_shown:
            return self.length if shown > 0 or not end else 0
        if end and shown > 0:
            i = bisect_left(self._run_shown, shown) - 1
        else:
            i = bisect_right(self._run_shown, shown) - 1
            if shown >= len(self._shown):
                return self.length
        i = max(i, 0)
        return self._run_stored[i] + shown - self._run_shown[i]

    def _run_end(self, i: int) -> int:
        if i + 1 < len(self._run_shown):
            length = self._run_shown[i + 1] - self._run_shown[i]
        else:
            length = len(self._shown) - self._run_shown[i]
        return self._run_stored[i] + length

    def step_shown(self, cp: int, step: int) -> int:
        """``cp`` moved by ``step`` (1 or -1) and on over hidden markup until the shown position
        changes (an edge nudged into ``**`` must move visibly), stopping at the text's ends."""
        here = self.to_utf16(cp)
        moved = cp + step
        while 0 < moved < self.length and self.to_utf16(moved) == here:
            moved += step
        return moved

    def to_utf16(self, cp: int) -> int:
        return self._offsets.to_utf16(self.stored_to_shown(cp))

    def from_utf16(self, pos: int) -> int:
        """Stored code point of the shown character at ``pos``; inside a surrogate pair, its
        start; at the end of the shown text, the stored text's end."""
        return self.shown_to_stored(self._offsets.from_utf16(pos))

    def end_from_utf16(self, pos: int) -> int:
        """Stored end of the shown character just before ``pos``: where a selection ending at
        ``pos`` ends in the stored text."""
        return self.shown_to_stored(self._offsets.from_utf16(pos), end=True)
