"""What a suggester proposes: a span with its evidence, stored later as a pending annotation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Suggestion:
    start: int  # code-point offsets into the document text, end exclusive
    end: int
    label: str  # athlete | event | date | error
    text: str  # == document text[start:end]
    confidence: float  # 0..1
    rule: str  # which rule produced it, e.g. "kb-exact", "kb-alias", "fuzzy-kb", "date-explicit"
    error_type: str | None = None
    correction: str | None = None
    note: str | None = None
    value: str | None = None  # normalised value: ISO date or "start/end" range for dates
    entity: str | None = None  # KB key, e.g. "athlete:Jakob Ingebrigtsen"

    @property
    def identity(self) -> tuple[int, int, str]:
        """Two suggestions for the same characters and label are the same suggestion."""
        return (self.start, self.end, self.label)
