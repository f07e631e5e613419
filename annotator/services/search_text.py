"""Finding text in the corpus: the query as a Python pattern, and the documents that may hold it.

The full-text indexes (migration 0005) only narrow the search to candidate documents; every
candidate's stored text is then matched with the Python pattern, which gives exact code-point
offsets and makes the result independent of how each engine tokenizes or folds case.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection, text

SearchMode = Literal["text", "words", "regex"]

#: The trigram index (SQLite) and pg_trgm index substrings of at least this many characters.
MIN_INDEXED = 3
#: More trigrams than this add little selectivity and cost a doclist each.
MAX_TRIGRAMS = 16
#: Documents read per query while scanning or checking candidates.
BATCH = 500


class SearchError(ValueError):
    """A query that cannot run, with a one-line message for the user."""


@dataclass(frozen=True)
class TextQuery:
    text: str
    mode: SearchMode = "text"
    case: bool = False  # case-sensitive?


def compile_query(query: TextQuery) -> re.Pattern[str]:
    flags = 0 if query.case else re.IGNORECASE
    if query.mode == "regex":
        try:
            return re.compile(query.text, flags)
        except re.error as exc:
            raise SearchError(f"bad regular expression: {exc}") from None
    body = re.escape(query.text)
    if query.mode == "words":
        # A boundary only where the query itself starts or ends with a word character: "U.S."
        # as a whole word still needs no word character glued to its "U".
        if re.match(r"\w", query.text):
            body = r"(?<!\w)" + body
        if re.search(r"\w$", query.text):
            body += r"(?!\w)"
    return re.compile(body, flags)


def required_literal(query: TextQuery) -> str:
    """A piece of text every match contains (the longest one found), or "" when there is
    none the index could use."""
    if query.mode != "regex":
        return query.text
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    try:
        parsed = _parser.parse(query.text, 0 if query.case else re.IGNORECASE)
    except re.error:
        return ""
    if parsed.state.flags & re.VERBOSE:
        return ""  # what the parser keeps as literal there is safe, but not worth the risk
    # Only the top-level sequence is certain to appear whole, in order: anything else
    # (a branch, a repeat, a group, a class) ends a run of literal characters.
    runs, current = [], []
    for op, arg in parsed:
        if op is sre.LITERAL:
            current.append(chr(arg))
        else:
            runs.append("".join(current))
            current = []
    runs.append("".join(current))
    return max(runs, key=len)


def trigram_match(literal: str) -> str:
    """An FTS5 query for documents holding every trigram of ``literal`` (case folded by the
    tokenizer, as in the index)."""
    grams = list(dict.fromkeys(literal[i : i + 3] for i in range(len(literal) - 2)))
    if len(grams) > MAX_TRIGRAMS:
        step = (len(grams) - 1) / (MAX_TRIGRAMS - 1)
        grams = [grams[round(i * step)] for i in range(MAX_TRIGRAMS)]
    return " AND ".join('"' + g.replace('"', '""') + '"' for g in grams)


def like_pattern(literal: str) -> str:
    escaped = literal.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def has_trigram_index(conn: Connection) -> bool:
    if conn.dialect.name == "sqlite":
        return True  # migration 0005 always makes it there
    found = conn.execute(
        text("SELECT 1 FROM pg_indexes WHERE indexname = 'ix_document_texts_trigrams'")
    ).first()
    return found is not None


def candidate_pages(
    conn: Connection, query: TextQuery, trigrams: bool
) -> Iterator[list[int]] | None:
    """Ids of the documents that may hold a match, from an index, in id order and in pages
    (a common word's candidates are most documents: the search stops after the first few
    pages); None when no index can help, and the caller scans every text. ``trigrams``:
    whether PostgreSQL has the pg_trgm index."""
    literal = required_literal(query)
    if len(literal) < MIN_INDEXED:
        return None
    if conn.dialect.name == "sqlite":
        return _sqlite_pages(conn, trigram_match(literal))
    if trigrams:
        where, params = "text ILIKE :p", {"p": like_pattern(literal)}
    else:
        # The word index finds whole words only, and only plain ones: how 'simple' splits
        # punctuation is not certain enough to filter by.
        words = re.findall(r"\w+", literal)
        if query.mode != "words" or " ".join(words) != literal.strip():
            return None
        where = "to_tsvector('simple', text) @@ plainto_tsquery('simple', :p)"
        params = {"p": literal}
    return _pg_pages(conn, where, params)


def _pg_pages(conn: Connection, where: str, params: dict[str, str]) -> Iterator[list[int]]:
    """The candidates in windows of ids. Asking for all of a common word's candidates at once
    would recheck nearly every text, so a first small window measures how common the query
    is: when it is, growing windows follow (the first page or two fill the limit); when not,
    one index lookup finds the rest."""
    # The planner prices ILIKE as cheap as '=' and so prefers reading every text to the
    # trigram index, which is a hundred times slower for a rare word: off for these queries.
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    low, high = scan_windows(conn)
    size = BATCH
    while low <= high:
        rows = conn.execute(
            text(
                f"SELECT document_id FROM document_texts WHERE {where} "
                "AND document_id BETWEEN :low AND :high ORDER BY document_id"
            ),
            {**params, "low": low, "high": low + size - 1},
        )
        ids = [r[0] for r in rows]
        for i in range(0, len(ids), BATCH):
            yield ids[i : i + BATCH]
        low += size
        size = size * 4 if len(ids) * 8 >= size else high - low + 1


def _sqlite_pages(conn: Connection, match: str) -> Iterator[list[int]]:
    after = -1
    while True:
        page = [
            r[0]
            for r in conn.execute(
                text(
                    "SELECT rowid FROM document_search WHERE document_search MATCH :q "
                    "AND rowid > :after ORDER BY rowid LIMIT :n"
                ),
                {"q": match, "after": after, "n": BATCH},
            )
        ]
        if page:
            yield page
        if len(page) < BATCH:
            return
        after = page[-1]


def read_texts(conn: Connection, ids: list[int]) -> Iterator[tuple[int, str]]:
    rows = conn.execute(
        text(
            "SELECT document_id, text FROM document_texts WHERE document_id IN :ids "
            "ORDER BY document_id"
        ).bindparams(_expanding("ids")),
        {"ids": ids},
    )
    yield from ((r[0], r[1]) for r in rows)


def _expanding(name: str):  # noqa: ANN202 - a bindparam
    from sqlalchemy import bindparam

    return bindparam(name, expanding=True)


def scan_filter(conn: Connection, query: TextQuery) -> tuple[str, dict[str, str]]:
    """A SQL condition that lets the engine skip texts that cannot match while scanning, in
    C instead of Python ("" when there is none: a regular expression, or a case-insensitive
    non-ASCII query SQLite's LIKE cannot fold)."""
    if query.mode == "regex":
        return "", {}
    if query.case:
        fn = (
            "instr(text, :needle) > 0"
            if conn.dialect.name == "sqlite"
            else "strpos(text, :needle) > 0"
        )
        return fn, {"needle": query.text}
    if conn.dialect.name == "postgresql":
        return r"text ILIKE :needle ESCAPE '\'", {"needle": like_pattern(query.text)}
    if query.text.isascii():
        return r"text LIKE :needle ESCAPE '\'", {"needle": like_pattern(query.text)}
    return "", {}


def scan_windows(conn: Connection) -> tuple[int, int]:
    # Two subqueries: SQLite reads MIN or MAX alone from the index, both at once by a scan.
    row = conn.execute(
        text(
            "SELECT (SELECT MIN(document_id) FROM document_texts), "
            "(SELECT MAX(document_id) FROM document_texts)"
        )
    )
    low, high = row.one()
    return (low or 0), (high or -1)


def scan_window(
    conn: Connection, low: int, high: int, condition: str, params: dict[str, str]
) -> Iterator[tuple[int, str]]:
    where = "document_id BETWEEN :low AND :high" + (f" AND {condition}" if condition else "")
    rows = conn.execute(
        text(f"SELECT document_id, text FROM document_texts WHERE {where} ORDER BY document_id"),
        {"low": low, "high": high, **params},
    )
    yield from ((r[0], r[1]) for r in rows)
