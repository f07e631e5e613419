"""Reading brat standoff collections back: the counterpart of ``brat.BratWriter``.

Every .ann below a folder (or one .ann/.txt pair) becomes a record; a document with a bad line
(offsets outside the text, a text that reads differently, a reference to an undefined span) is
rejected whole, naming the file and line, and the others still come. R, E, N and ``*`` lines
and other tools' attributes are ignored. ``documents.jsonl``, when our export left one, brings
back what brat has no place for (see brat.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .brat import (
    _ID_PREFIX,
    _STATUSES,
    DOCUMENTS_FILE,
    ERROR_TYPE_ATTRIBUTE,
    STATUS_ATTRIBUTE,
    parse_note,
)
from .jsonl import SPAN_KEYS
from .records import Record, Rejected

_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t(.*))?$", re.DOTALL)


def iter_brat_records(path: Path) -> Iterator[Record | Rejected]:
    """Records from a brat folder (every .ann below it with its .txt, in path order) or from
    one .ann/.txt pair. A document with a bad line is rejected whole; the rest still come."""
    if path.is_dir():
        root = path
        anns = sorted(path.rglob("*.ann"), key=lambda p: p.relative_to(root).as_posix())
    else:
        root = path.parent
        anns = [path.with_suffix(".ann")]
    documents = _read_documents(root / DOCUMENTS_FILE)
    for ann in anns:
        name = ann.relative_to(root).as_posix()
        yield _read_pair(ann, name, documents.get(name.removesuffix(".ann"), {}))


def _read_documents(path: Path) -> dict[str, dict[str, Any]]:
    """What our own export kept beside the brat files; nothing when the file is missing or
    unreadable (the .ann files alone are a complete brat collection)."""
    found: dict[str, dict[str, Any]] = {}
    try:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if isinstance(entry, dict) and isinstance(entry.get("file"), str):
                    found[entry["file"]] = entry
    except (OSError, UnicodeDecodeError):
        return {}
    return found


def _read_pair(ann: Path, name: str, meta: Mapping[str, Any]) -> Record | Rejected:
    txt = ann.with_suffix(".txt")
    for path in (txt, ann):
        if not path.is_file():
            return Rejected(name, f"no matching {path.suffix} file")
    try:
        # As read, no newline translation: brat's offsets count a "\r\n" as two characters.
        text = txt.read_bytes().decode("utf-8")
        ann_text = ann.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Rejected(name, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
    except OSError as exc:
        return Rejected(name, f"cannot read ({exc.strerror or exc})")
    span_meta = meta.get("spans") if isinstance(meta.get("spans"), dict) else {}
    try:
        spans = _parse_ann(text, ann_text.split("\n"), span_meta)
    except _LineError as exc:
        return Rejected(f"{name} line {exc.line}", str(exc))
    record: Record = {
        "title": _ID_PREFIX.sub("", ann.stem),
        "source": Path(name).with_suffix(".txt").as_posix(),
        "published": None,
        "text": text,
        "spans": spans,
    }
    for key in ("title", "source", "published", "sha256"):
        value = meta.get(key, "")
        if isinstance(value, str) and value or (value is None and key in ("source", "published")):
            record[key] = value
    return record


class _LineError(ValueError):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line


def _parse_ann(
    text: str, lines: Sequence[str], span_meta: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    # T lines first: another tool may write an attribute before the span it qualifies.
    numbered = [(n, raw.removesuffix("\r")) for n, raw in enumerate(lines, start=1)]
    spans: dict[str, dict[str, Any]] = {}
    for number, line in numbered:
        if line.startswith("T"):
            tid, span = _parse_t_line(text, line, number)
            if tid in spans:
                raise _LineError(number, f"{tid} is defined twice")
            spans[tid] = span
    seen_attributes: set[tuple[str, str]] = set()
    for number, line in numbered:
        fields = line.split("\t", 2)
        words = fields[1].split() if len(fields) > 1 else []
        if line.startswith(("A", "M")) and len(words) >= 2:
            name, ref, values = words[0], words[1], words[2:]
            if name not in (ERROR_TYPE_ATTRIBUTE, STATUS_ATTRIBUTE):
                continue  # another tool's attribute
            target = _target(spans, ref, number)
            if target is None:
                continue
            if len(values) != 1:
                raise _LineError(number, f"{name} on {ref} needs one value")
            if name == STATUS_ATTRIBUTE and values[0] not in _STATUSES:
                raise _LineError(number, f"unknown status {values[0]!r} on {ref}")
            if (name, ref) in seen_attributes:
                raise _LineError(number, f"{ref} has two {name} attributes")
            seen_attributes.add((name, ref))
            target["error_type" if name == ERROR_TYPE_ATTRIBUTE else "status"] = values[0]
        elif line.startswith("#") and len(words) == 2 and words[0] == "AnnotatorNotes":
            target = _target(spans, words[1], number)
            if target is None:
                continue
            for key, value in parse_note(fields[2] if len(fields) > 2 else "").items():
                target[key] = value if target[key] is None else f"{target[key]}\n{value}"
    for span in spans.values():
        span["origin"] = "suggested" if span["status"] == "pending" else "manual"
    for tid, kept in (span_meta or {}).items():
        meta_span = spans.get(tid)
        if meta_span is None or not isinstance(kept, list) or len(kept) != 5:
            continue
        if [meta_span["start"], meta_span["end"], meta_span["label"]] == kept[:3]:
            meta_span["annotator"] = kept[3] if isinstance(kept[3], str) else None
            if kept[4] in ("manual", "suggested"):
                meta_span["origin"] = kept[4]
    return sorted(spans.values(), key=lambda s: (s["start"], s["end"]))


def _target(spans: Mapping[str, dict[str, Any]], ref: str, number: int) -> dict[str, Any] | None:
    if not ref.startswith("T"):
        return None  # a relation's or event's: we do not import those
    if ref not in spans:
        raise _LineError(number, f"refers to {ref}, which the file does not define")
    return spans[ref]


def _parse_t_line(text: str, line: str, number: int) -> tuple[str, dict[str, Any]]:
    match = _T_LINE.match(line)
    if not match:
        raise _LineError(number, "not a brat text-bound line (T1<TAB>type start end<TAB>text)")
    tid, label, offsets, written = match.groups()
    pieces = [tuple(map(int, piece.split())) for piece in offsets.split(";")]
    for start, end in pieces:
        if not 0 <= start < end <= len(text):
            where = f"{tid}: offsets {start} {end}"
            raise _LineError(number, f"{where} lie outside the text (length {len(text)})")
    found = " ".join(text[start:end] for start, end in pieces)
    if written is not None and written != found:
        raise _LineError(number, f"{tid}: the text reads {found!r} there, not {written!r}")
    start, end = min(p[0] for p in pieces), max(p[1] for p in pieces)
    span: dict[str, Any] = dict.fromkeys(SPAN_KEYS)
    span.update(start=start, end=end, label=label, text=text[start:end], status="accepted")
    return tid, span
