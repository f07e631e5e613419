"""The brat standoff format: per document a NAME.txt and a NAME.ann, plus the collection's
annotation.conf and visual.conf. (Reading it back: brat_read.py.)

Offsets. brat offsets are character offsets into the .txt as its Python server reads it, which
are our code-point offsets as long as the .txt is written byte for byte: it is written UTF-8
with newline translation off (``newline=""``), so stored ``\\n`` stay ``\\n``. (A brat server on a
Python 2 "narrow" build counts astral characters such as emoji as two; Linux builds are wide.)

What the .ann carries:
- ``T1<TAB>athlete 34 52<TAB>Jakob Ingebrigtsen``: one T line a span. The text field is one line,
  so a span crossing a line break is written as fragments ``34 40;41 52`` split at every line
  break character (brat's own readers split lines with ``splitlines``), the text field joining
  the fragments' texts with a space, as brat does. Line breaks at a span's ends are left out
  (reported); a span of only line breaks cannot be written (reported).
- ``A1<TAB>Error_type T3 misspelled_name``: the error type (a multi-valued attribute).
- ``A2<TAB>Status T4 pending``: brat has no suggestion status, so a span that is not accepted
  gets a Status attribute rather than being dropped or silently turned into an accepted span.
  Absent means accepted.
- ``#1<TAB>AnnotatorNotes T3<TAB>Correction: Jakob Ingebrigtsen | Note: KB``: correction, note,
  value and entity, as ``Key: value`` parts joined by `` | `` (a key is left out when the field
  is null). Values are escaped so the one-line note reads back exactly: ``\\\\`` for a
  backslash, ``\\|`` for a bar, ``\\n`` ``\\r`` ``\\t``, and ``\\uXXXX`` for other line
  breaks. A note typed in brat that does not follow this layout is read back whole as the note.
brat itself has no place for document metadata or a span's annotator and origin, so the
folder also holds ``documents.jsonl`` (brat ignores files it does not know): per document its
file name, id, title, source, published date and sha256, and per T id the span's annotator and
origin. The reader uses it when present, for the spans whose offsets and label still match
(a span edited in brat keeps what the .ann says). Without it a span read back is
``suggested`` when pending, else ``manual``, and the title is taken from the file name.

File names are ``000012-Title-slug`` (``safe_stem``): ASCII, never outside the folder, never a
Windows device name; documents whose names would clash get ``-2``, ``-3``. Files are written
straight into the folder, overwriting same-named files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

from ..tagset import Tagset
from .conll import describe, describe_span
from .jsonl import dumps_line
from .records import ExportNotes, check_record_spans

_MAX_SLUG = 60
_FOLD = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                       "ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
                       "þ": "th", "Þ": "Th", "ı": "i"})  # fmt: skip
_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul", "conin$", "conout$"]
    + [f"{device}{n}" for device in ("com", "lpt") for n in "0123456789"]
)
# What str.splitlines() breaks at: brat (and most readers) would see a new .ann line there.
_LINE_BREAK_CHARS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAK = re.compile(f"[{_LINE_BREAK_CHARS}]")
_BRAT_TYPE = re.compile(r"[A-Za-z0-9_-]+")  # fullmatch: "$" would let a final "\n" through
_ATTR_VALUE = re.compile(r"\S+")
_ID_PREFIX = re.compile(r"^\d{6,}-(?=.)")
_ESCAPES = {"\\": "\\\\", "|": "\\|", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNESCAPES = {"\\": "\\", "|": "|", "n": "\n", "r": "\r", "t": "\t"}
_NOTE_KEYS = {"correction": "Correction", "note": "Note", "value": "Value", "entity": "Entity"}
_NOTE_FIELDS = {name: key for key, name in _NOTE_KEYS.items()}
_NOTE_PART = re.compile(r"^(Correction|Note|Value|Entity): ?(.*)$", re.DOTALL)
ERROR_TYPE_ATTRIBUTE = "Error_type"
STATUS_ATTRIBUTE = "Status"
_STATUSES = ("accepted", "pending", "rejected")
DOCUMENTS_FILE = "documents.jsonl"


def safe_stem(id: int | None, title: str | None) -> str:
    """A file name stem for a document: ``000012-Nordas-wins``. ASCII letters, digits and
    hyphens only, so no path separator, drive, dot or NUL survives; at most 60 characters of
    title; never empty, never a Windows device name (CON, NUL, COM1…)."""
    decomposed = unicodedata.normalize("NFKD", (title or "").translate(_FOLD))
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    slug = re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-")
    if len(slug) > _MAX_SLUG:
        cut = slug[:_MAX_SLUG]
        # End at a word boundary when one is near; a 60-letter word is cut where it stands.
        slug = (cut.rsplit("-", 1)[0] if "-" in cut[_MAX_SLUG // 2 :] else cut).strip("-")
    prefix = f"{id:06d}" if isinstance(id, int) and id >= 0 else ""
    stem = "-".join(part for part in (prefix, slug) if part) or "document"
    if stem.lower() in _WINDOWS_RESERVED:
        stem += "_"
    return stem


def unique_stem(stem: str, taken: set[str]) -> str:
    """``stem``, or ``stem-2``, ``stem-3``… when already in ``taken`` (kept case-folded: a
    folder or zip unpacked on macOS or Windows would merge "A" and "a"); recorded there."""
    candidate, n = stem, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{stem}-{n}"
    taken.add(candidate.casefold())
    return candidate


def escape_note(value: str) -> str:
    out = []
    for char in value:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char in _LINE_BREAK_CHARS:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def unescape_note(value: str) -> str:
    """Undo ``escape_note``; an unknown escape is kept as typed (a hand-written ``C:\\x``)."""

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.startswith("u") and len(code) == 5:
            return chr(int(code[1:], 16))
        return _UNESCAPES.get(code, match.group(0))

    return re.sub(r"\\(u[0-9a-fA-F]{4}|.)", one, value, flags=re.DOTALL)


def format_note(span: Mapping[str, Any]) -> str | None:
    """The AnnotatorNotes text for a span, or None when it has nothing to say."""
    parts = [
        f"{name}: {escape_note(str(span[key]))}"
        for key, name in _NOTE_KEYS.items()
        if span.get(key) is not None
    ]
    return " | ".join(parts) or None


def parse_note(note: str) -> dict[str, str]:
    """Fields from an AnnotatorNotes text; a note not in ``format_note``'s layout is all note."""
    parts, current, k = [], [], 0
    while k < len(note):
        char = note[k]
        if char == "\\" and k + 1 < len(note):
            current.append(note[k : k + 2])
            k += 2
            continue
        if char == "|":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        k += 1
    parts.append("".join(current))
    fields: dict[str, str] = {}
    for n, part in enumerate(parts):
        if n > 0 and part.startswith(" "):
            part = part[1:]
        if n < len(parts) - 1 and part.endswith(" "):
            part = part[:-1]
        match = _NOTE_PART.match(part)
        if not match or _NOTE_FIELDS[match.group(1)] in fields:
            return {"note": note}
        fields[_NOTE_FIELDS[match.group(1)]] = unescape_note(match.group(2))
    return fields


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``start:end`` cut at line breaks, the breaks left out."""
    pieces, cursor = [], start
    for match in _LINE_BREAK.finditer(text, start, end):
        if match.start() > cursor:
            pieces.append((cursor, match.start()))
        cursor = match.end()
    if end > cursor:
        pieces.append((cursor, end))
    return pieces


class BratWriter:
    """Writes each document as NAME.txt and NAME.ann in ``folder`` (created if missing) and, in
    ``finish``, annotation.conf and visual.conf for the tagset plus any label, error type or
    status the records used beyond it. Raises SpanError for a record whose spans do not fit
    its text."""

    def __init__(self, folder: Path, *, tagset: Tagset) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._folder = folder.resolve()
        self._tagset = tagset
        self._notes = ExportNotes()
        self._stems: set[str] = set()
        self._labels: dict[str, None] = dict.fromkeys(tagset.keys)
        self._error_labels: dict[str, None] = {
            label.key: None for label in tagset.labels if label.error_types
        }
        self._error_types: dict[str, None] = {
            value: None for label in tagset.labels for value in label.error_types
        }
        self._statuses: dict[str, None] = {"pending": None}
        self._span_meta: dict[str, list[Any]] = {}
        self._documents: TextIO | None = None

    def write(self, record: Mapping[str, Any]) -> None:
        text: str = record["text"]
        check_record_spans(text, record["spans"])
        stem = unique_stem(safe_stem(record.get("id"), record.get("title")), self._stems)
        self._span_meta = {}
        lines = self._ann_lines(record)
        self._write_file(f"{stem}.txt", text)
        self._write_file(f"{stem}.ann", "".join(line + "\n" for line in lines))
        if self._documents is None:
            self._documents = self._open(DOCUMENTS_FILE)
        meta = {key: record.get(key) for key in ("id", "title", "source", "published", "sha256")}
        self._documents.write(dumps_line({"file": stem, **meta, "spans": self._span_meta}))
        self._documents.write("\n")

    def finish(self) -> ExportNotes:
        if self._documents is None:
            self._documents = self._open(DOCUMENTS_FILE)
        self._documents.close()
        self._write_file("annotation.conf", self._annotation_conf())
        self._write_file("visual.conf", self._visual_conf())
        return self._notes

    def _ann_lines(self, record: Mapping[str, Any]) -> list[str]:
        text: str = record["text"]
        lines: list[str] = []
        spans = attributes = notes = 0
        for span in record["spans"]:
            label = span["label"]
            pieces = fragments(text, span["start"], span["end"])
            if not pieces or not _BRAT_TYPE.fullmatch(label):
                problem = "has a label brat cannot store" if pieces else "is only line breaks"
                self._note(record, span, f"{problem} — not in the brat files")
                continue
            first, last = pieces[0][0], pieces[-1][1]
            if (first, last) != (span["start"], span["end"]):
                where = f"{first}:{last}"
                self._note(record, span, f"starts or ends with a line break — written {where}")
            spans += 1
            tid = f"T{spans}"
            offsets = ";".join(f"{s} {e}" for s, e in pieces)
            joined = " ".join(text[s:e] for s, e in pieces)
            lines.append(f"{tid}\t{label} {offsets}\t{joined}")
            self._span_meta[tid] = [first, last, label, span.get("annotator"), span.get("origin")]
            self._labels.setdefault(label)
            for name, value in self._attributes(record, span):
                attributes += 1
                lines.append(f"A{attributes}\t{name} {tid} {value}")
            note = format_note(span)
            if note is not None:
                notes += 1
                lines.append(f"#{notes}\tAnnotatorNotes {tid}\t{note}")
        return lines

    def _attributes(
        self, record: Mapping[str, Any], span: Mapping[str, Any]
    ) -> Iterator[tuple[str, str]]:
        error_type, status = span.get("error_type"), span.get("status") or "accepted"
        if error_type is not None:
            if _ATTR_VALUE.fullmatch(error_type):
                self._error_labels.setdefault(span["label"])
                self._error_types.setdefault(error_type)
                yield ERROR_TYPE_ATTRIBUTE, error_type
            else:
                problem = f"has error type {error_type!r}, which brat cannot store — left out"
                self._note(record, span, problem)
        if status != "accepted":
            self._statuses.setdefault(status)
            yield STATUS_ATTRIBUTE, status

    def _note(self, record: Mapping[str, Any], span: Mapping[str, Any], message: str) -> None:
        self._notes.add(f"{describe(record)}: {describe_span(span)} {message}")

    def _write_file(self, name: str, content: str) -> None:
        with self._open(name) as fh:
            fh.write(content)

    def _open(self, name: str) -> TextIO:
        path = self._folder / name
        # A symlink planted under our name, or a name that escapes, would write elsewhere.
        resolved = path.resolve()
        if resolved.parent != self._folder or resolved.name != name:
            raise ValueError(f"refusing to write {name!r} outside {self._folder}")
        return path.open("w", encoding="utf-8", newline="")

    def _annotation_conf(self) -> str:
        lines = [
            f"# brat configuration written by annotator for the tagset {self._tagset.name!r}.",
            "[entities]",
            *self._labels,
            "",
            "[relations]",
            "# Spans may overlap and nest (an error inside an athlete's name).",
            "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
            "",
            "[events]",
            "",
            "[attributes]",
        ]
        if self._error_labels and self._error_types:
            targets, values = "|".join(self._error_labels), "|".join(self._error_types)
            lines.append(f"{ERROR_TYPE_ATTRIBUTE}\tArg:{targets}, Value:{values}")
        lines.append(f"{STATUS_ATTRIBUTE}\tArg:<ENTITY>, Value:{'|'.join(self._statuses)}")
        return "\n".join(lines) + "\n"

    def _visual_conf(self) -> str:
        labels, drawing = ["[labels]"], ["[drawing]"]
        drawing.append("SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken")
        drawing.append("ARC_DEFAULT\tcolor:black, arrowHead:triangle-5")
        for key in self._labels:
            label = self._tagset.get(key)
            if label is None:
                continue
            labels.append(f"{key} | {_display(label.name)}")
            colors = f"bgColor:{label.color}, fgColor:{_ink(label.color)}"
            drawing.append(f"{key}\t{colors}, borderColor:darken")
        labels += [f"{ERROR_TYPE_ATTRIBUTE} | Error type", f"{STATUS_ATTRIBUTE} | Status"]
        glyphs = "|".join(f"[{value}]" for value in self._error_types)
        if glyphs:
            drawing.append(f"{ERROR_TYPE_ATTRIBUTE}\tglyph:{glyphs}")
        # Not accepted: a "?" after the label and a dashed border, whatever the status.
        count = len(self._statuses)
        drawing.append(
            f"{STATUS_ATTRIBUTE}\tglyph:{'|'.join('?' * count)}, "
            f"dashArray:{'|'.join(['3-3'] * count)}"
        )
        return "\n".join([*labels, "", *drawing]) + "\n"


def _display(name: str) -> str:
    # "|" separates a label's names in visual.conf; a tab would end the names.
    return re.sub(r"\s+", " ", name.replace("|", "/")).strip()


def _ink(color: str) -> str:
    """Black or white text, whichever reads better on ``color`` (#rrggbb)."""
    r, g, b = (int(color[k : k + 2], 16) for k in (1, 3, 5))
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "white"
