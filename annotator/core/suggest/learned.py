"""Learning from the desk's own decisions: strings users tagged by hand, proposed wherever
else they occur (INCEpTION's string-matching recommender), and rules ranked by how often
users of this corpus accept what they suggest.

Pure functions of counts the service layer reads with one GROUP BY each; nothing here reads
the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from .automaton import Automaton
from .model import Suggestion
from .text_helpers import at_word_boundary, pick_non_overlapping

RULE = "learned.string-match"
LABELS = ("athlete", "event")
#: Below this a learned string is not proposed: users rejected it as often as they tagged it.
MIN_STRING_CONFIDENCE = 0.3
#: A rule is judged only once this many of its suggestions were decided on.
MIN_DECIDED = 10
#: Acceptance below this lowers a rule's confidence in proportion ...
TRUSTED_RATE = 0.5
#: ... and below this its suggestions are not proposed in this corpus at all.
FLOOR_RATE = 0.2


@dataclass(frozen=True, slots=True)
class LearnedString:
    label: str
    text: str
    accepted: int  # documents where a user tagged it by hand with this label
    rejected: int = 0  # documents where users rejected it as a learned suggestion

    @property
    def confidence(self) -> float:
        # One hand-tagged document gives 0.5; every further one, and every rejection, moves it.
        return round(min(0.9, self.accepted / (self.accepted + self.rejected + 1)), 2)


class StringMatcher:
    """Every learned string in one automaton per case rule: names match case-sensitively
    ("Bol" the athlete, not "bol"); events and phrases ignore case ("the Worlds")."""

    def __init__(self, strings: Iterable[LearnedString]) -> None:
        best: dict[str, LearnedString] = {}
        clash: set[str] = set()
        for s in strings:
            text = " ".join(s.text.split())
            if s.label not in LABELS or len(text) < 2 or s.confidence < MIN_STRING_CONFIDENCE:
                continue
            old = best.get(text)
            if old is not None and old.label != s.label:
                # Tagged with two labels: only a clear majority says which one is meant.
                if s.accepted < 2 * old.accepted and old.accepted < 2 * s.accepted:
                    clash.add(text)
                if s.accepted <= old.accepted:
                    continue
            best[text] = replace(s, text=text)
        self.strings = {t: s for t, s in best.items() if t not in clash}
        self._exact = _automaton({t: s for t, s in self.strings.items() if s.label == "athlete"})
        self._folded = _automaton(
            {
                t.lower(): s
                for t, s in self.strings.items()
                if s.label != "athlete" and len(t.lower()) == len(t)
            }
        )

    def __len__(self) -> int:
        return len(self.strings)

    def find(self, text: str) -> list[Suggestion]:
        hits: list[Suggestion] = []
        folded = text.lower()
        for auto, haystack in ((self._exact, text), (self._folded, folded)):
            if auto is None or (haystack is folded and len(folded) != len(text)):
                continue
            for start, end, s in auto.iter(haystack):
                if at_word_boundary(text, start, end):
                    hits.append(
                        Suggestion(
                            start,
                            end,
                            s.label,
                            text[start:end],
                            s.confidence,
                            RULE,
                            note=f"tagged by hand in {_documents(s.accepted)}",
                        )
                    )
        hits.sort(key=lambda h: (h.start - h.end, h.start))
        return sorted(pick_non_overlapping(hits), key=lambda h: h.start)


def with_learned(suggested: list[Suggestion], learned: Iterable[Suggestion]) -> list[Suggestion]:
    """The engine's suggestions plus the learned ones that overlap none of the same label:
    the engine's evidence (a KB link, a note) is worth more than a string seen before."""
    by_label: dict[str, list[Suggestion]] = {}
    for s in suggested:
        by_label.setdefault(s.label, []).append(s)
    out = list(suggested)
    for s in learned:
        same = by_label.setdefault(s.label, [])
        if not any(o.start < s.end and s.start < o.end for o in same):
            same.append(s)
            out.append(s)
    return sorted(out, key=lambda s: s.identity)


def rule_factors(rates: Mapping[str, tuple[int, int]]) -> dict[str, float]:
    """rule -> the factor its confidences are multiplied by, from (accepted, rejected) counts;
    0 means not proposed. Rules this corpus's users mostly accept, or have barely judged,
    are left alone."""
    out = {}
    for rule, (accepted, rejected) in rates.items():
        decided = accepted + rejected
        if decided < MIN_DECIDED:
            continue
        rate = accepted / decided
        if rate < FLOOR_RATE:
            out[rule] = 0.0
        elif rate < TRUSTED_RATE:
            out[rule] = rate / TRUSTED_RATE
    return out


def rank(suggested: Iterable[Suggestion], factors: Mapping[str, float]) -> list[Suggestion]:
    out = []
    for s in suggested:
        f = factors.get(s.rule)
        if f is None:
            out.append(s)
        elif f > 0:
            out.append(replace(s, confidence=round(s.confidence * f, 2)))
    return out


def _automaton(strings: Mapping[str, LearnedString]) -> Automaton[LearnedString] | None:
    return Automaton(strings) if strings else None


def _documents(n: int) -> str:
    return "1 document" if n == 1 else f"{n} documents"
