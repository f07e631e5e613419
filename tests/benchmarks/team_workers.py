"""The writers of bench_team_writes.py, annotator side and bare-SQL baseline, and the worker
process that drives either, with the choice of documents and operations both sides share.

Apart from the entry point so that everything a child process runs is in one place: the spawn
start method pickles ``run_worker`` by module name, so each child imports this module from the
benchmarks folder; it therefore imports no sibling benchmark module.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import sqlite3
import time
import traceback
from collections import Counter, defaultdict

OPS = ("create", "edit note", "accept")
WEIGHTS = (50, 30, 20)
HOT_SHARE = 0.5
LABELS = ("athlete", "event", "date", "error")
WORD = re.compile(r"\w+")
SEED = 20251206


class Refused(Exception):
    """An expected refusal: kind "duplicate" or "stale"; ``current`` the span as stored now
    (status, version) when known."""

    def __init__(self, kind: str, current: tuple[str, int] | None = None) -> None:
        super().__init__(kind)
        self.kind = kind
        self.current = current


# -- the two kinds of writer ------------------------------------------------------------------


class AnnotatorWriter:
    """Through the services, as the window writes."""

    def __init__(self, url: str, name: str) -> None:
        from annotator.core.errors import DatabaseError, Problem, StaleChange
        from annotator.core.model import SpanStatus
        from annotator.services.app import open_app

        self._DatabaseError, self._Problem, self._Stale = DatabaseError, Problem, StaleChange
        self._accepted = SpanStatus.ACCEPTED
        self.app = open_app(url, annotator=name)
        self.service = self.app.annotations

    def open_document(self, doc_id: int) -> tuple[str, dict[int, tuple[str, int]]]:
        document = self.app.documents.get(doc_id)
        return document.text, {s.id: (str(s.status), s.version) for s in document.spans}

    def _refused(self, exc: Exception) -> Exception:
        if isinstance(exc, self._Stale):
            current = exc.current
            return Refused("stale", (str(current.status), current.version)
                           if current is not None else None)  # fmt: skip
        if isinstance(exc, self._DatabaseError) and exc.problem is self._Problem.CONFLICT:
            return Refused("duplicate")
        return exc

    def create(self, doc_id: int, start: int, end: int, label: str) -> tuple[int, int]:
        error_type = "misspelled_name" if label == "error" else None
        try:
            span = self.service.create(document_id=doc_id, start=start, end=end, label=label,
                                       error_type=error_type)  # fmt: skip
        except Exception as exc:
            raise self._refused(exc) from exc
        return span.id, span.version

    def edit_note(self, doc_id: int, span_id: int, version: int, note: str) -> int:
        try:
            _before, after = self.service.update(span_id, expected_version=version, note=note)
        except Exception as exc:
            raise self._refused(exc) from exc
        return after.version

    def accept(self, doc_id: int, span_id: int, version: int) -> int:
        try:
            # As the window accepts one suggestion (Enter): an edit of its status.
            _before, after = self.service.update(span_id, expected_version=version,
                                                 status=self._accepted)  # fmt: skip
        except Exception as exc:
            raise self._refused(exc) from exc
        return after.version

    def close(self) -> None:
        self.app.close()


class BareWriter:
    """The baseline: bare driver statements, one transaction per operation."""

    def __init__(self, url: str, name: str) -> None:
        self.name = name
        self.client = f"bare-{os.getpid()}"
        self.sqlite = "://" not in url
        if self.sqlite:
            self.conn = sqlite3.connect(url, timeout=5, isolation_level=None)
            for pragma in ("busy_timeout = 5000", "foreign_keys = ON", "journal_mode = WAL",
                           "synchronous = FULL"):  # fmt: skip
                self.conn.execute(f"PRAGMA {pragma}")
            self._unique = sqlite3.IntegrityError
        else:
            import psycopg

            self.conn = psycopg.connect(libpq_url(url), autocommit=True)
            self._unique = psycopg.errors.UniqueViolation

    def _sql(self, sql: str) -> str:
        return sql if self.sqlite else sql.replace("?", "%s")

    def _now(self) -> object:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        return now.isoformat(sep=" ") if self.sqlite else now

    def _all(self, sql: str, params: tuple) -> list:
        return self.conn.execute(self._sql(sql), params).fetchall()

    def open_document(self, doc_id: int) -> tuple[str, dict[int, tuple[str, int]]]:
        [(text,)] = self._all("SELECT text FROM document_texts WHERE document_id = ?", (doc_id,))
        self._text = text  # the open document's, for the span's text column
        rows = self._all("SELECT id, status, version FROM annotations WHERE document_id = ?"
                         " AND status != 'rejected'", (doc_id,))  # fmt: skip
        return text, {r[0]: (r[1], r[2]) for r in rows}

    def _transaction(self, doc_id: int, span_sql: str, params: tuple, action: str,
                     after: dict) -> tuple[int, int]:  # fmt: skip
        now = self._now()
        try:
            if self.sqlite:
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    row = self._do(doc_id, span_sql, params, action, after, now)
                    self.conn.execute("COMMIT")
                except BaseException:
                    self.conn.execute("ROLLBACK")
                    raise
            else:
                with self.conn.transaction():
                    row = self._do(doc_id, span_sql, params, action, after, now)
        except self._unique as exc:
            raise Refused("duplicate") from exc
        return row

    def _do(self, doc_id, span_sql, params, action, after, now) -> tuple[int, int]:
        row = self.conn.execute(self._sql(span_sql), params).fetchone()
        after = {**after, "version": row[1]}
        self.conn.execute(self._sql(
            "INSERT INTO changes (at, actor, client, action, document_id, span_id, after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)"),
            (now, self.name, self.client, action, doc_id, row[0],
             json.dumps(after, ensure_ascii=False, sort_keys=True)))  # fmt: skip
        self.conn.execute(self._sql(
            "UPDATE documents SET updated_at = ?, status = CASE WHEN status = 'new'"
            " THEN 'in_progress' ELSE status END WHERE id = ?"), (now, doc_id))  # fmt: skip
        return row[0], row[1]

    def create(self, doc_id: int, start: int, end: int, label: str) -> tuple[int, int]:
        now, me = self._now(), self.name
        error_type = "misspelled_name" if label == "error" else None
        text = self._text[start:end]
        return self._transaction(
            doc_id,
            'INSERT INTO annotations (document_id, start, "end", label, text, error_type,'
            " annotator, layer, origin, status, version, created_by, updated_by, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'manual', 'accepted', 1, ?, ?, ?, ?)"
            " RETURNING id, version",
            (doc_id, start, end, label, text, error_type, me, me, me, me, now, now),
            "create",
            {"document_id": doc_id, "start": start, "end": end, "label": label, "text": text,
             "error_type": error_type, "annotator": me, "origin": "manual",
             "status": "accepted"},
        )  # fmt: skip

    def edit_note(self, doc_id: int, span_id: int, version: int, note: str) -> int:
        return self._transaction(
            doc_id,
            "UPDATE annotations SET note = ?, version = version + 1, updated_by = ?,"
            " updated_at = ? WHERE id = ? RETURNING id, version",
            (note, self.name, self._now(), span_id), "edit", {"note": note},
        )[1]  # fmt: skip

    def accept(self, doc_id: int, span_id: int, version: int) -> int:
        me, now = self.name, self._now()
        return self._transaction(
            doc_id,
            "UPDATE annotations SET status = 'accepted', annotator = ?, layer = ?,"
            " reviewed_by = ?, reviewed_at = ?, version = version + 1, updated_by = ?,"
            " updated_at = ? WHERE id = ? RETURNING id, version",
            (me, me, me, now, me, now, span_id), "edit",
            {"status": "accepted", "annotator": me},
        )[1]  # fmt: skip

    def close(self) -> None:
        self.conn.close()


def libpq_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


# -- one worker process -----------------------------------------------------------------------


def run_worker(mode: str, url: str, n: int, seconds: float, think_ms: float,
               doc_ids: list[int], hot_ids: list[int], barrier, results) -> None:  # fmt: skip
    """A worker process: set up, wait for the others, write for ``seconds``, report."""
    name = f"annotator{n}" if mode == "annotator" else f"bare{n}"
    out: dict = {"worker": n, "name": name, "latency": defaultdict(list),
                 "refused_latency": [], "ok": Counter(), "duplicate": Counter(),
                 "stale": Counter(), "errors": Counter(), "error_samples": [],
                 "created": [], "writes": [], "accepted": []}  # fmt: skip
    try:
        writer = AnnotatorWriter(url, name) if mode == "annotator" else BareWriter(url, name)
        writer.open_document(doc_ids[0])  # warm-up: connections, caches
    except BaseException:
        out["setup_error"] = traceback.format_exc()
        barrier.abort()
        results.put(_plain(out))
        return
    try:
        barrier.wait(timeout=600)
    except Exception:  # broken by another worker's failure
        out["setup_error"] = "barrier broken (another worker failed to start)"
        results.put(_plain(out))
        writer.close()
        return
    rng = random.Random(SEED + 1000 * n + (0 if mode == "annotator" else 1))
    counter = 0
    started = time.perf_counter()
    deadline = started + seconds
    try:
        while time.perf_counter() < deadline:
            doc_id = rng.choice(hot_ids) if rng.random() < HOT_SHARE else rng.choice(doc_ids)
            text, spans = writer.open_document(doc_id)
            words = [(m.start(), m.end()) for m in WORD.finditer(text)]
            for _ in range(rng.randint(3, 8)):
                if time.perf_counter() >= deadline:
                    break
                op = rng.choices(OPS, WEIGHTS)[0]
                pending = [i for i, (status, _v) in spans.items() if status == "pending"]
                if op == "accept" and not pending:
                    op = "edit note"
                if op == "edit note" and not spans:
                    op = "create"
                counter += 1
                for _attempt in range(10):  # a refused duplicate create tries another word
                    if op == "create":
                        start, end = rng.choice(words)
                        label = rng.choice(LABELS)
                        call = (writer.create, doc_id, start, end, label)
                    elif op == "edit note":
                        span_id = rng.choice(list(spans))
                        note = f"w{n}-{counter}"
                        call = (writer.edit_note, doc_id, span_id, spans[span_id][1], note)
                    else:
                        span_id = rng.choice(pending)
                        call = (writer.accept, doc_id, span_id, spans[span_id][1])
                    t0 = time.perf_counter()
                    try:
                        result = call[0](*call[1:])
                    except Refused as refused:
                        out["refused_latency"].append(time.perf_counter() - t0)
                        out[refused.kind][op] += 1
                        if refused.kind == "stale" and op != "create":
                            if refused.current is None:
                                spans.pop(span_id, None)
                            else:
                                spans[span_id] = refused.current
                        if refused.kind == "duplicate" and op == "create":
                            continue
                        break
                    except Exception as exc:
                        out["errors"][op] += 1
                        if len(out["error_samples"]) < 5:
                            out["error_samples"].append({
                                "op": op, "call": repr(call[1:]), "type": type(exc).__name__,
                                "module": type(exc).__module__, "message": str(exc),
                                "problem": str(getattr(exc, "problem", "")),
                                "traceback": traceback.format_exc()[-3000:],
                            })  # fmt: skip
                        break
                    out["latency"][op].append(time.perf_counter() - t0)
                    out["ok"][op] += 1
                    if op == "create":
                        span_id, version = result
                        spans[span_id] = ("accepted", version)
                        out["created"].append((span_id, doc_id, start, end, label))
                        out["writes"].append((span_id, version, "create", None))
                    elif op == "edit note":
                        spans[span_id] = (spans[span_id][0], result)
                        out["writes"].append((span_id, result, "note", note))
                    else:
                        spans[span_id] = ("accepted", result)
                        out["accepted"].append((span_id, result))
                        out["writes"].append((span_id, result, "accept", None))
                    break
                if think_ms:
                    time.sleep(think_ms / 1000)
    except BaseException:
        out["errors"]["loop"] += 1
        out["error_samples"].append({"op": "loop", "type": "crash", "message": "",
                                     "traceback": traceback.format_exc()[-3000:]})  # fmt: skip
    out["elapsed"] = time.perf_counter() - started
    writer.close()
    results.put(_plain(out))


def _plain(out: dict) -> dict:
    return {k: (dict(v) if isinstance(v, (Counter, defaultdict)) else v) for k, v in out.items()}
