"""What bench_team_writes.py checks and measures once the workers are done: the live-feed
probes the parent polls, the lost-write verification, the changes the feeds missed, and the
latency percentiles of the report.

Apart from the entry point so that the checks can be read, and changed, on their own, away
from the setup and the process plumbing; none of it runs in a worker.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict

from team_workers import OPS

# -- the live-refresh feeds, polled in the parent ---------------------------------------------


class FeedProbe:
    """A ChangeFeed polled every ``interval`` seconds, recording now - change.at."""

    def __init__(self, db, interval: float, label: str) -> None:
        from annotator.services.changes import ChangeFeed

        self.feed = ChangeFeed(db)
        self.interval = interval
        self.label = label
        self.due = 0.0
        self.latency: list[float] = []
        self.seen: set[int] = set()
        self.poll_errors: list[str] = []

    def poll(self) -> None:
        try:
            changes = self.feed.poll()
        except Exception as exc:  # reported, not fatal: the window shows it and carries on
            self.poll_errors.append(f"{type(exc).__name__}: {exc}")
            return
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        for change in changes:
            self.latency.append((now - change.at).total_seconds())
            self.seen.add(change.id)


# -- verification -----------------------------------------------------------------------------


def verify(app, side: dict) -> tuple[int, list[str], dict]:
    """Lost writes, by the checks bench_team_writes' docstring lists: (count, descriptions,
    stats)."""
    from sqlalchemy import func, select

    from annotator.store.models import AnnotationRow, ChangeRow

    a = AnnotationRow.__table__.c
    problems: list[str] = []
    created = [row for w in side["workers"] for row in w["created"]]
    writes: dict[int, list[tuple[int, str, str | None, str]]] = defaultdict(list)
    for w in side["workers"]:
        for span_id, version, kind, note in w["writes"]:
            writes[span_id].append((version, kind, note, w["name"]))
    accepted = defaultdict(list)
    for w in side["workers"]:
        for span_id, version in w["accepted"]:
            accepted[span_id].append((w["name"], version))
    stored: dict[int, tuple] = {}
    ids = sorted(writes)
    with app.db.engine.connect() as conn:
        for first in range(0, len(ids), 500):
            for row in conn.execute(
                select(a.id, a.document_id, a.start, a.end, a.label, a.layer, a.created_by,
                       a.note, a.version, a.status, a.reviewed_by)
                .where(a.id.in_(ids[first:first + 500]))
            ):  # fmt: skip
                stored[row.id] = row
        per_actor = dict(conn.execute(
            select(ChangeRow.actor, func.count()).where(ChangeRow.id > side["first_change"])
            .group_by(ChangeRow.actor)).all())  # fmt: skip
    lost: set[int] = set()
    for span_id, doc_id, start, end, label in created:
        row = stored.get(span_id)
        if row is None:
            lost.add(span_id)
            problems.append(f"span {span_id} created ({doc_id}:{start}:{end} {label}) is gone")
        elif (row.document_id, row.start, row.end, row.label) != (doc_id, start, end, label):
            lost.add(span_id)
            problems.append(
                f"span {span_id} created as {doc_id}:{start}:{end} {label} is "
                f"stored as {row.document_id}:{row.start}:{row.end} {row.label}"
            )
    note_spans = 0
    for span_id, done in writes.items():
        row = stored.get(span_id)
        if row is None:
            if span_id not in lost:
                lost.add(span_id)
                problems.append(f"span {span_id} written to is gone")
            continue
        versions = Counter(version for version, *_ in done)
        twice = [v for v, count in versions.items() if count > 1]
        if twice:
            lost.add(span_id)
            problems.append(
                f"span {span_id}: version(s) {twice} returned to two successful "
                f"writes: {sorted(done)}"
            )
        if row.version < max(versions):
            lost.add(span_id)
            problems.append(
                f"span {span_id}: stored version {row.version} < "
                f"{max(versions)} returned to a write"
            )
        notes = [(version, note, who) for version, kind, note, who in done if kind == "note"]
        if notes:
            note_spans += 1
            version, note, who = max(notes)
            if row.note != note:
                lost.add(span_id)
                problems.append(
                    f"span {span_id}: note {row.note!r}, but {who}'s {note!r} "
                    f"(version {version}) was the last successful note write"
                )
    for span_id, takers in accepted.items():
        row = stored.get(span_id)
        if len(takers) > 1:
            lost.add(span_id)
            problems.append(f"span {span_id} accepted by more than one worker: {takers}")
        elif row is not None and (row.status != "accepted" or row.reviewed_by != takers[0][0]
                                  or row.layer != takers[0][0]):  # fmt: skip
            lost.add(span_id)
            problems.append(
                f"span {span_id} accepted by {takers[0][0]} is stored as "
                f"{row.status}, reviewed by {row.reviewed_by}, layer {row.layer!r}"
            )
    log_mismatch = 0
    for w in side["workers"]:
        calls = sum(w["ok"].values())
        rows = per_actor.get(w["name"], 0)
        if rows != calls:
            log_mismatch += 1
            problems.append(f"{w['name']}: {calls} successful calls but {rows} change-log rows")
    stats = {"created": len(created), "note_spans": note_spans,
             "note_writes": sum(len([d for d in done if d[1] == "note"])
                                for done in writes.values()),
             "accepted": len(accepted), "spans_checked": len(stored),
             "log_rows": sum(per_actor.get(w["name"], 0) for w in side["workers"]),
             "log_mismatch": log_mismatch}  # fmt: skip
    return len(lost) + log_mismatch, problems, stats


def missed_changes(app, side: dict, feed: FeedProbe) -> list[int]:
    """Ids of the workers' change rows the feed never delivered."""
    from sqlalchemy import select

    from annotator.store.models import ChangeRow

    names = [w["name"] for w in side["workers"]]
    with app.db.engine.connect() as conn:
        ids = conn.scalars(select(ChangeRow.id).where(ChangeRow.id > side["first_change"],
                                                      ChangeRow.actor.in_(names)))  # fmt: skip
        return sorted(set(ids) - feed.seen)


# -- latency statistics -----------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile; nan for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def ms(value: float) -> str:
    return "      -" if math.isnan(value) else f"{value * 1000:7.1f}"


def side_rows(label: str, side: dict, seconds: float) -> tuple[list[str], dict]:
    workers = side["workers"]
    lines = []
    summary = {}
    for op in (*OPS, "all"):
        ops = OPS if op == "all" else (op,)
        lat = [x for w in workers for o in ops for x in w["latency"].get(o, [])]
        ok = len(lat)
        dup = sum(w["duplicate"].get(o, 0) for w in workers for o in ops)
        stale = sum(w["stale"].get(o, 0) for w in workers for o in ops)
        err = sum(w["errors"].get(o, 0) for w in workers for o in ops)
        if op == "all":
            err += sum(w["errors"].get("loop", 0) for w in workers)
        summary[op] = {
            "p50": pct(lat, 0.5),
            "p95": pct(lat, 0.95),
            "p99": pct(lat, 0.99),
            "max": max(lat) if lat else math.nan,
            "ok": ok,
            "errors": err,
        }
        s = summary[op]
        lines.append(
            f"{label:10} {op:10} {ok:7,} {dup:6,} {stale:6,} {err:6,} "
            f"{ok / seconds:7.1f} {ms(s['p50'])} {ms(s['p95'])} {ms(s['p99'])} "
            f"{ms(s['max'])}"
        )
    refused = [x for w in workers for x in w["refused_latency"]]
    if refused:
        lines.append(
            f"{label:10} {'(refused)':10} {len(refused):7,} {'':6} {'':6} {'':6} "
            f"{len(refused) / seconds:7.1f} {ms(pct(refused, 0.5))} "
            f"{ms(pct(refused, 0.95))} {ms(pct(refused, 0.99))} {ms(max(refused))}"
        )
    per_worker = [sum(w["ok"].values()) for w in workers]
    if per_worker:
        lines.append(
            f"{'':10} successful calls per worker: min {min(per_worker):,}, max {max(per_worker):,}"
        )
    return lines, summary
