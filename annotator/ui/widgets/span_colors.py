"""The colours spans are drawn in, and the WCAG contrast arithmetic that keeps every line
drawn for a span readable against the page in a light and a dark palette alike."""

from __future__ import annotations

import zlib

from PySide6.QtGui import QColor

UNKNOWN_COLOR = "#8c8c8c"
ERROR_KEY = "error"
# A spell-checker's red, darker than the error label's fill so the wave reads on top of it.
ERROR_WAVE_COLOR = "#c0161b"

# Alphas out of 255, tuned on screenshots: light enough that two overlapping fills still
# leave black text easy to read, strong enough that one span is obvious at a glance.
FILL_ALPHA = 72
# A suggestion's tint: visible on its own, still under half an accepted span's.
PENDING_FILL_ALPHA = 34
CURRENT_FILL_ALPHA = 150
# On a dark page fills are scaled up by this much (tuned on screenshots of the dark theme).
DARK_FILL_SCALE = 1.5
# A colleague's hatching: its lines are thin, so they take a stronger alpha than a fill to
# read at all; the current one (selected) is hatched denser rather than filled, so it stays
# a colleague's.
HATCH_ALPHA = 150
OUTLINE_ALPHA = 170

#: WCAG contrast every line drawn for a span keeps against the page (3:1 is the minimum for
#: graphics; a margin over it survives antialiasing).
MIN_LINE_CONTRAST = 3.5
# Colours for the bar before a colleague's span, one per person (by a stable hash of the
# name): muted so they never pass for a label colour.
PERSON_COLORS = ("#4a5a8c", "#8c5a2e", "#2e7d6e", "#7a3f7a", "#6b6b2a", "#a23b5a")


def luminance(color: QColor) -> float:
    """WCAG relative luminance of ``color`` (alpha ignored)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two opaque colours, 1 (same) to 21 (black on white)."""
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def is_dark(base: QColor) -> bool:
    """A page on which black text would be hard to read: lines get lighter, not darker."""
    return contrast_ratio(base, QColor("white")) > contrast_ratio(base, QColor("black"))


_READABLE: dict[tuple[int, int, float], QColor] = {}


def readable(color: QColor, base: QColor, minimum: float = MIN_LINE_CONTRAST) -> QColor:
    """``color`` mixed towards black (a light page) or white (a dark one), just enough to
    keep ``minimum`` contrast against ``base``: the label's hue, never a pale yellow on white."""
    key = (color.rgb(), base.rgb(), minimum)
    found = _READABLE.get(key)
    if found is None:
        target = QColor("white") if is_dark(base) else QColor("black")
        found = QColor(color)
        found.setAlpha(255)
        step = 0
        while contrast_ratio(found, base) < minimum and step < 20:
            step += 1
            t = step / 20
            found = QColor.fromRgbF(
                color.redF() + (target.redF() - color.redF()) * t,
                color.greenF() + (target.greenF() - color.greenF()) * t,
                color.blueF() + (target.blueF() - color.blueF()) * t,
            )
        _READABLE[key] = found
    return QColor(found)


def person_color(name: str) -> QColor:
    """The same colour for a person in every window and session (``hash`` is salted)."""
    return QColor(PERSON_COLORS[zlib.crc32(name.encode()) % len(PERSON_COLORS)])
