"""The desk's figures for ``annotator stats --by annotator`` and the window's dashboard: who
finished what and when, who tagged how much, which error types, how well each suggester rule
does.

Every figure is a GROUP BY in the database: Python sees one row per group (per person and
day, per person and label, per rule and status), never one per span or document, so a corpus
of a million spans costs the same here as ten. Agreement per label is not in here: it compares
the layers span by span (``gather_layers`` and ``measure``), which does grow with the corpus,
so callers compute it apart (the window off its GUI thread).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, Date, Integer, case, func, or_, select

from annotator.core.model import DocStatus, Origin, SpanStatus
from annotator.store.database import Database
from annotator.store.models import AnnotationRow, ProgressRow, table

from .layers import CURATED, POOL

_annotations = table(AnnotationRow)
_progress = table(ProgressRow)

#: The rule name shown for suggestions stored without one (imported from an older version).
NO_RULE = "(no rule)"
#: The error type shown for error spans stored without one.
NO_ERROR_TYPE = "(no type)"


@dataclass(frozen=True, slots=True)
class PersonProgress:
    """One person's documents, from their own rows in document_progress."""

    assigned: int = 0
    in_progress: int = 0
    done: int = 0


@dataclass(frozen=True, slots=True)
class RuleCounts:
    """What became of one suggester rule's suggestions (curated copies not counted twice)."""

    rule: str
    accepted: int = 0
    rejected: int = 0
    pending: int = 0

    @property
    def decided(self) -> int:
        return self.accepted + self.rejected

    @property
    def total(self) -> int:
        return self.accepted + self.rejected + self.pending

    @property
    def acceptance_rate(self) -> float | None:
        """accepted / (accepted + rejected); None while nobody has decided on any. Pending
        suggestions are left out: nobody has judged them yet."""
        return self.accepted / self.decided if self.decided else None


@dataclass(frozen=True)
class DeskStats:
    #: Everyone with a progress row or a span in their layer, sorted; "curated" last when it
    #: holds spans (it is a layer, not a person, but its counts are shown beside theirs).
    annotators: tuple[str, ...]
    #: person -> their assigned / in progress / done document counts.
    progress: dict[str, PersonProgress]
    #: person -> day (UTC) -> documents they marked done that day, days in order.
    done_per_day: dict[str, dict[dt.date, int]]
    #: (layer, label) -> accepted spans; people's layers and "curated", never the pool.
    spans: dict[tuple[str, str], int]
    #: (layer, error type) -> accepted error spans, as ``spans``.
    errors: dict[tuple[str, str], int]
    #: One entry per rule that proposed anything, the most prolific first.
    rules: tuple[RuleCounts, ...]

    @property
    def labels(self) -> list[str]:
        return sorted({label for _, label in self.spans})

    @property
    def error_types(self) -> list[str]:
        return sorted({kind for _, kind in self.errors})

    def done_cumulative(self, person: str) -> list[tuple[dt.date, int]]:
        """(day, documents done by then) for each day the person finished one."""
        total, points = 0, []
        for day, count in self.done_per_day.get(person, {}).items():
            total += count
            points.append((day, total))
        return points


def desk_stats(db: Database, *, error_labels: Iterable[str] = ("error",)) -> DeskStats:
    """The desk's counts. ``error_labels``: the labels whose spans count as errors (the
    tagset's labels with error types); a span with an error type counts whatever its label."""
    a, p = _annotations.c, _progress.c
    accepted_in_layers = (a.status == SpanStatus.ACCEPTED.value, a.layer != POOL)
    # date() gives an ISO string on SQLite and a date on PostgreSQL; typed as Date, both come
    # back as datetime.date. done_at is naive UTC, so days are UTC days.
    day = func.date(p.done_at, type_=Date)

    def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0).cast(Integer)

    with db.engine.connect() as conn:
        progress = {
            name: PersonProgress(int(assigned), int(in_progress), int(done))
            for name, assigned, in_progress, done in conn.execute(
                select(p.annotator, count_if(p.assigned.is_(True)),
                       count_if(p.status == DocStatus.IN_PROGRESS.value),
                       count_if(p.status == DocStatus.DONE.value))
                .group_by(p.annotator))
        }  # fmt: skip
        done_per_day: dict[str, dict[dt.date, int]] = defaultdict(dict)
        for name, when, count in conn.execute(
            select(p.annotator, day, func.count())
            .where(p.status == DocStatus.DONE.value, p.done_at.is_not(None))
            .group_by(p.annotator, day)
            .order_by(p.annotator, day)
        ):
            done_per_day[name][when] = count
        spans = {
            (layer, label): count
            for layer, label, count in conn.execute(
                select(a.layer, a.label, func.count()).where(*accepted_in_layers)
                .group_by(a.layer, a.label))
        }  # fmt: skip
        kind = func.coalesce(a.error_type, NO_ERROR_TYPE)
        errors = {
            (layer, error_type): count
            for layer, error_type, count in conn.execute(
                select(a.layer, kind, func.count())
                .where(*accepted_in_layers,
                       or_(a.label.in_(list(error_labels)), a.error_type.is_not(None)))
                .group_by(a.layer, kind))
        }  # fmt: skip
        rules = rule_counts(conn)
    people = set(progress) | {layer for layer, _ in spans} | {layer for layer, _ in errors}
    order = sorted(people - {CURATED}) + ([CURATED] if CURATED in people else [])
    return DeskStats(
        annotators=tuple(order),
        progress=progress,
        done_per_day=dict(done_per_day),
        spans=spans,
        errors=errors,
        rules=rules,
    )


def rule_counts(conn: Connection) -> tuple[RuleCounts, ...]:
    """What became of each rule's suggestions, the most prolific rule first; also what the
    suggester ranks rules by (annotator.services.learning)."""
    a = _annotations.c
    rule = func.coalesce(a.rule, NO_RULE)
    by_rule: dict[str, dict[str, int]] = defaultdict(dict)
    for name, status, count in conn.execute(
        # A curated span copied from an accepted suggestion is the same decision again.
        select(rule, a.status, func.count())
        .where(a.origin == Origin.SUGGESTED.value, a.layer != CURATED)
        .group_by(rule, a.status)
    ):
        by_rule[name][status] = count
    return tuple(sorted(
        (RuleCounts(name, counts.get("accepted", 0), counts.get("rejected", 0),
                    counts.get("pending", 0)) for name, counts in by_rule.items()),
        key=lambda r: (-r.total, r.rule),
    ))  # fmt: skip


__all__ = [
    "NO_ERROR_TYPE",
    "NO_RULE",
    "DeskStats",
    "PersonProgress",
    "RuleCounts",
    "desk_stats",
    "rule_counts",
]
