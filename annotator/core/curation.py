"""Curation: merging several annotators' layers on a document into one curated result.

Spans are compared by their place and label (start, end, label). A candidate tag is *agreed*
when enough of the document's annotators hold it with the same error type and correction
(what the strategy asks: all of them, at least K, or a majority) and goes into the curated
result. Everything else is a *disagreement*: the annotators' remaining spans, grouped where
they overlap (one "Jakob Ingebrigtsen" against another's "Ingebrigtsen"), each with one option
per annotator (their spans there, possibly none) for the curator to settle: take one
annotator's, take all of them, take none, or edit.

An annotator who finished a document without tagging anything there is a vote for "nothing
here": the caller lists every annotator who worked on the document, spans or not.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Strategy(StrEnum):
    ALL = "all"
    AT_LEAST = "at-least"
    MAJORITY = "majority"


@dataclass(frozen=True, slots=True)
class Tag:
    """One annotator's span, with everything the curated copy carries."""

    start: int
    end: int
    label: str
    text: str
    error_type: str | None = None
    correction: str | None = None
    note: str | None = None
    value: str | None = None
    entity: str | None = None

    @property
    def key(self) -> tuple[int, int, str]:
        return self.start, self.end, self.label

    @property
    def verdict(self) -> tuple[str | None, str | None]:
        """What must match for two annotators to agree beyond the place and label."""
        return self.error_type, _same_text(self.correction)


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Overlapping spans the annotators did not agree on. ``options``: annotator -> their
    spans in it (an empty tuple: they tagged nothing there)."""

    document_id: int
    start: int
    end: int
    options: Mapping[str, tuple[Tag, ...]]

    @property
    def key(self) -> tuple[int, int]:
        """What a settled decision is filed under: the extent. If an annotator later changes
        a span in it, the extent moves and the disagreement comes back."""
        return self.start, self.end

    def everything(self) -> tuple[Tag, ...]:
        """ "Both" (all of them): every distinct span offered, once."""
        seen: dict[tuple, Tag] = {}
        for tags in self.options.values():
            for tag in tags:
                seen.setdefault((tag.key, tag.verdict), tag)
        return tuple(sorted(seen.values(), key=lambda t: (t.start, t.end, t.label)))


@dataclass(frozen=True, slots=True)
class DocumentCuration:
    document_id: int
    annotators: tuple[str, ...]
    agreed: tuple[Tag, ...]
    disagreements: tuple[Disagreement, ...]
    #: Why it could not be curated automatically (fewer than two annotators), or None.
    skipped: str | None = None


def needed_votes(strategy: Strategy, annotators: int, min_agree: int | None = None) -> int:
    if strategy is Strategy.ALL:
        return annotators
    if strategy is Strategy.MAJORITY:
        return annotators // 2 + 1
    if min_agree is None or min_agree < 1:
        raise ValueError("at least K needs K of 1 or more (--min-agree)")
    return min_agree


def curate_document(
    document_id: int,
    layers: Mapping[str, Sequence[Tag]],
    *,
    strategy: Strategy = Strategy.ALL,
    min_agree: int | None = None,
) -> DocumentCuration:
    """Merge the ``layers`` (annotator -> spans; every annotator who worked on the document,
    spans or not) by ``strategy``."""
    names = tuple(sorted(layers))
    if len(names) < 2:
        return DocumentCuration(
            document_id, names, (), (), skipped="fewer than two annotators worked on it"
        )
    need = needed_votes(strategy, len(names), min_agree)
    votes: dict[tuple, dict[tuple, list[tuple[str, Tag]]]] = defaultdict(lambda: defaultdict(list))
    for name in names:
        for tag in layers[name]:
            votes[tag.key][tag.verdict].append((name, tag))
    agreed: list[Tag] = []
    taken: set[tuple[str, tuple]] = set()
    for verdicts in votes.values():
        best = max(verdicts.values(), key=len)
        if len(best) >= need and sum(len(v) >= need for v in verdicts.values()) == 1:
            agreed.append(_merged(best))
            taken.update((name, tag.key) for name, tag in best)
    rest = [(name, tag) for name in names for tag in layers[name] if (name, tag.key) not in taken]
    disagreements = tuple(
        Disagreement(
            document_id,
            min(t.start for _, t in group),
            max(t.end for _, t in group),
            {
                name: tuple(
                    sorted(
                        (t for n, t in group if n == name), key=lambda t: (t.start, t.end, t.label)
                    )
                )
                for name in names
            },
        )
        for group in _overlapping(rest)
    )
    return DocumentCuration(
        document_id,
        names,
        tuple(sorted(agreed, key=lambda t: (t.start, t.end, t.label))),
        disagreements,
    )


def _overlapping(tags: Iterable[tuple[str, Tag]]) -> list[list[tuple[str, Tag]]]:
    """Groups of spans whose characters overlap, directly or through each other, in text
    order (a sweep over spans sorted by start)."""
    groups: list[list[tuple[str, Tag]]] = []
    end = -1
    for item in sorted(tags, key=lambda it: (it[1].start, it[1].end)):
        if groups and item[1].start < end:
            groups[-1].append(item)
            end = max(end, item[1].end)
        else:
            groups.append([item])
            end = item[1].end
    return groups


def _merged(voters: Sequence[tuple[str, Tag]]) -> Tag:
    """The agreed span: the shared fields, the most common value and entity, and every
    annotator's note (evidence is worth keeping whoever found it)."""
    first = voters[0][1]
    notes = [f"{name}: {tag.note.strip()}" for name, tag in voters if tag.note and tag.note.strip()]
    distinct = list(dict.fromkeys(n.split(": ", 1)[1] for n in notes))
    note = (distinct[0] if len(distinct) == 1 else "\n".join(notes)) if notes else None
    return Tag(
        first.start,
        first.end,
        first.label,
        first.text,
        first.error_type,
        first.correction,
        note,
        _most_common(t.value for _, t in voters),
        _most_common(t.entity for _, t in voters),
    )


def _most_common(values: Iterable[str | None]) -> str | None:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else None


def _same_text(value: str | None) -> str | None:
    """Corrections compared as a reader would: case and spacing at the ends do not count."""
    return " ".join(value.split()).casefold() if value and value.strip() else None
