"""What a suggester proposes: a span with its evidence, stored later as a pending annotation."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Final


@dataclass(frozen=True, slots=True, init=False)
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

    def __init__(
        self,
        start: int,
        end: int,
        label: str,
        text: str,
        confidence: float,
        rule: str,
        error_type: str | None = None,
        correction: str | None = None,
        note: str | None = None,
        value: str | None = None,
        entity: str | None = None,
    ) -> None:
        # tests/unit/test_suggest_scan.py checks that this signature stays the fields'.
        if _COMPILED:
            # Compiled by mypyc (hatch_build.py) these are stores into the object's C struct,
            # 70 ns for all of them instead of 600 through the descriptors below; assignments
            # from outside still meet the frozen dataclass's __setattr__.
            self.start = start  # type: ignore[misc]
            self.end = end  # type: ignore[misc]
            self.label = label  # type: ignore[misc]
            self.text = text  # type: ignore[misc]
            self.confidence = confidence  # type: ignore[misc]
            self.rule = rule  # type: ignore[misc]
            self.error_type = error_type  # type: ignore[misc]
            self.correction = correction  # type: ignore[misc]
            self.note = note  # type: ignore[misc]
            self.value = value  # type: ignore[misc]
            self.entity = entity  # type: ignore[misc]
            return
        # As Python: what dataclass would generate, but setting each field through its slot's
        # descriptor rather than object.__setattr__ (frozen): 0.7 us instead of 1.2.
        s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10 = _SETTERS
        s0(self, start)
        s1(self, end)
        s2(self, label)
        s3(self, text)
        s4(self, confidence)
        s5(self, rule)
        s6(self, error_type)
        s7(self, correction)
        s8(self, note)
        s9(self, value)
        s10(self, entity)

    def __reduce__(self) -> tuple[type[Suggestion], tuple[Any, ...]]:
        # Pickled through __init__: the compiled class (hatch_build.py) has no other way in.
        return (Suggestion, tuple(getattr(self, f.name) for f in fields(self)))

    @property
    def identity(self) -> tuple[int, int, str]:
        """Two suggestions for the same characters and label are the same suggestion."""
        return (self.start, self.end, self.label)


_SETTERS: tuple[Any, ...] = tuple(getattr(Suggestion, f.name).__set__ for f in fields(Suggestion))
# A class mypyc compiled lists its attributes here; the same source run as Python does not.
_COMPILED: Final = hasattr(Suggestion, "__mypyc_attrs__")
