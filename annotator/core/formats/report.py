"""The fact-check report: one self-contained HTML file that an editor who has never seen the app
reads in any browser, and that Qt's QTextDocument lays out for the PDF and the preview.

- Article text and notes come from the web and from users: all of it is escaped, and the file
  has no scripts and loads nothing, so it is safe to open from an e-mail.
- QTextDocument knows a subset of HTML4/CSS (no floats, flex, grid, inline borders, pt margins):
  the two columns are a table with percentage widths, highlights are backgrounds on <span>.
- Overlapping spans are cut into segments at every span boundary; each segment is one flat
  <span> styled by the spans covering it (an error beats a name, an inner name an outer one),
  so the markup is well-formed however spans overlap.
- The writer streams, one document at a time. Corpus counts belong at the top but are known
  only at the end: the caller passes them in (``ReportSummary``, cheap to count in SQL), or
  they are tallied while writing and put at the end, with a link to them at the top.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

from annotator.core.model import ERROR_TYPES, SpanError, check_span
from annotator.core.tagset import Tagset

from .records import ExportNotes, Record, error_labels
from .report_article import Mark, article_html

Span = Mapping[str, Any]

ERROR_LABEL = "error"
NO_TYPE_NAME = "Type not given"
PENDING_NOTE = "(suggested, not reviewed)"
# Tuned on rendered pages: black text on these fills stays above 10:1 contrast, the error red
# is unlike the tinted names even in greyscale, and a pending error is visibly paler.
ERROR_FILL = "#f5b8b5"
PENDING_ERROR_FILL = "#fbe1df"
LABEL_TINT, PENDING_TINT = 0.26, 0.12
UNKNOWN_LABEL_COLOR = "#8c8c8c"
UNKNOWN_CSS = "not-in-tagset"  # tagset keys have no hyphen: this never names a real label
QUOTE_LIMIT = 220  # a "wrong fact" can be a whole paragraph; the side list quotes its start
# strftime's %B follows the C locale, which Qt sets from the environment: keep it English.
_MONTHS = (
    "January February March April May June July August September October November December".split()
)

#: Font families, in order: DejaVu keeps the Latin look; the Noto families (Debian's
#: fonts-noto-core, fonts-noto-cjk, fonts-noto-color-emoji, see scripts/system-deps.sh) give
#: the characters DejaVu lacks (Arabic in the serif, Chinese, Japanese, Korean, emoji), so a
#: quote in any of them is printed rather than drawn as empty boxes. Named here, not left to
#: the system's fallback, so the PDF looks the same on every desk's machine.
SANS_FAMILIES = (
    "DejaVu Sans",
    "Noto Sans",
    "Noto Sans Arabic",
    "Noto Sans CJK SC",
    "Noto Color Emoji",
)
SERIF_FAMILIES = (
    "DejaVu Serif",
    "Noto Serif",
    "Noto Naskh Arabic",
    "Noto Serif CJK SC",
    "Noto Color Emoji",
)


def _stack(families: Iterable[str], generic: str) -> str:
    return ", ".join([*(f"'{family}'" for family in families), generic])


# Lengths in px: QTextDocument ignores pt for margins and padding (fonts take pt) and scales px
# to the PDF's resolution.
_CSS = """
body { font-family: SANS_STACK; font-size: 10pt; color: #1a1a1a;
  max-width: 70em; }
h1 { font-size: 18pt; margin: 0 0 4px 0; }  h2 { font-size: 14pt; margin: 0 0 3px 0; }
h3 { font-size: 10.5pt; margin: 0 0 6px 0; color: #444444; }
p { margin: 0 0 9px 0; }  a { color: #1f4e8c; }  hr { margin: 14px 0 14px 0; }
.meta { color: #555555; font-size: 9pt; margin: 0 0 4px 0; }
.count { font-size: 9pt; color: #333333; margin: 0 0 10px 0; }
.doc { page-break-before: always; margin: 36px 0 3px 0; }  .doc1 { margin: 0 0 3px 0; }
.article { font-family: SERIF_STACK; font-size: 10.5pt; line-height: 140%;
  padding: 6px 0 0 0; }
.side { background-color: #f3f3f0; padding: 10px; font-size: 9pt; }
.item { margin: 0 0 2px 0; }  .detail { margin: 0 0 2px 12px; }
.last { margin: 0 0 12px 12px; }
.n { color: #a4161a; font-weight: bold; font-family: SANS_STACK; }
sup a { color: #a4161a; text-decoration: none; }
.muted { color: #666666; font-style: italic; }
td.cell { padding: 1px 12px 1px 0; }
""".replace("SANS_STACK", _stack(SANS_FAMILIES, "Arial, sans-serif")).replace(
    "SERIF_STACK", _stack(SERIF_FAMILIES, "Georgia, serif")
)


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """Corpus counts for the top of the report. ``errors_by_type`` maps an error type (None for
    an error without one) to a count; ``spans_by_label`` counts every span, errors included;
    ``pending`` counts the suggestions among them that nobody has reviewed."""

    documents: int = 0
    errors_by_type: Mapping[str | None, int] = field(default_factory=dict)
    spans_by_label: Mapping[str, int] = field(default_factory=dict)
    pending: int = 0

    @property
    def errors(self) -> int:
        return sum(self.errors_by_type.values())

    @property
    def spans(self) -> int:
        return sum(self.spans_by_label.values())

    @classmethod
    def of_records(cls, records: Iterable[Record], *, tagset: Tagset) -> ReportSummary:
        tally = _Tally(tagset)
        for record in records:
            tally.add(record.get("spans") or ())
        return tally.summary()


class _Tally:
    """Running counts, as big as the tagset, whatever the number of documents."""

    def __init__(self, tagset: Tagset) -> None:
        self.tagset, self.documents, self.pending = tagset, 0, 0
        self.errors: Counter[str | None] = Counter()
        self.labels: Counter[str] = Counter()

    def add(self, spans: Iterable[Span]) -> None:
        self.documents += 1
        for span in spans:
            if span.get("status") != "rejected":  # never part of a report (see ReportWriter)
                self.labels[span["label"]] += 1
                self.pending += span.get("status") == "pending"
                if is_error(span, self.tagset):
                    self.errors[span.get("error_type")] += 1

    def summary(self) -> ReportSummary:
        return ReportSummary(self.documents, dict(self.errors), dict(self.labels), self.pending)


def is_error(span: Span, tagset: Tagset) -> bool:
    """An error is a span of the ``error`` label or of any label that carries error fields."""
    return span["label"] in error_labels(tagset)


def error_type_name(error_type: str | None) -> str:
    """Plain words for an editor: "misspelled_name" reads "Misspelled name"."""
    return error_type.replace("_", " ").capitalize() if error_type else NO_TYPE_NAME


def tint(color: str, amount: float) -> str:
    """``color`` mixed into white: a fill light enough for black text on top."""
    rgb = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * amount):02x}" for c in rgb)


def _long_date(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _count(n: int, word: str) -> str:
    return f"<b>{n}</b> {word}{'' if n == 1 else 's'}"


def _ordered(counts: Mapping[Any, int], known: Iterable[Any]) -> list[tuple[Any, int]]:
    """Known keys in their usual order, then the rest alphabetically (None last)."""
    order = {key: n for n, key in enumerate(known)}
    keys = sorted(counts, key=lambda k: (k not in order, k is None, order.get(k, 0), str(k)))
    return [(k, counts[k]) for k in keys if counts[k]]


class ReportWriter:
    """Writes the report to ``fh`` one document at a time (a RecordWriter). Rejected spans and
    spans that do not fit their text are left out and named in the notes."""

    def __init__(
        self,
        fh: TextIO,
        *,
        tagset: Tagset,
        title: str = "Fact-check report",
        generated: str | None = None,
        summary: ReportSummary | None = None,
        show_all_labels: bool = True,
    ) -> None:
        self._fh, self._tagset, self._title = fh, tagset, title
        now = dt.datetime.now()
        self._generated = generated or f"{_long_date(now)}, {now:%H:%M}"
        self._summary, self._show_all = summary, show_all_labels
        self._tally, self._notes = _Tally(tagset), ExportNotes()
        self._started = self._finished = False
        self._rejected = 0

    def write(self, record: Mapping[str, Any]) -> None:
        self._start()
        spans = self._usable_spans(record)
        self._tally.add(spans)
        self._fh.write(self._document(record, spans, self._tally.documents))

    def finish(self) -> ExportNotes:
        if self._finished:
            return self._notes
        self._start()
        self._finished = True
        counted = self._tally.summary()
        if self._summary is None:
            self._fh.write(
                '<hr>\n<h2><a id="summary" name="summary"></a>Summary</h2>\n'
                + self._summary_html(counted)
            )
        elif (self._summary.documents, self._summary.errors) != (counted.documents, counted.errors):
            # Counted before the documents were read (the corpus may have been edited since):
            # say so rather than let a header silently disagree with the body.
            self._notes.add(
                f"the summary at the top counts {self._summary.documents} documents "
                f"and {self._summary.errors} errors; the report holds "
                f"{counted.documents} documents and {counted.errors} errors"
            )
        if self._rejected:
            self._notes.add(f"{self._rejected} rejected suggestion(s) left out of the report")
        self._fh.write("</body>\n</html>\n")
        return self._notes

    # -- around the documents -----------------------------------------------------------------

    def _start(self) -> None:
        if self._started:
            return
        self._started = True
        labels = [(label.key, label.color) for label in self._tagset.labels]
        css = (
            _CSS
            + "".join(
                f".l-{key} {{ background-color: {tint(color, LABEL_TINT)}; }}\n"
                f".p-{key} {{ background-color: {tint(color, PENDING_TINT)}; }}\n"
                for key, color in [*labels, (UNKNOWN_CSS, UNKNOWN_LABEL_COLOR)]
            )
            + f".e {{ background-color: {ERROR_FILL}; }}\n"
            f".ep {{ background-color: {PENDING_ERROR_FILL}; }}\n"
        )
        title = _esc(self._title)
        self._fh.write(
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="generator" content="annotator">\n<title>{title}</title>\n'
            f"<style>{css}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
            f'<p class="meta">Generated {_esc(self._generated)} with annotator.</p>\n'
            + (
                self._summary_html(self._summary)
                if self._summary is not None
                else '<p class="meta">Counts for all documents: see the <a href="#summary">Summary'
                "</a> at the end.</p>\n"
            )
            + self._legend()
        )

    def _legend(self) -> str:
        rows = [
            (
                '<span class="e">wrong words</span><sup class="n">[1]</sup>',
                "An error found by the fact-checker. The number leads to the list beside the "
                "article: what is wrong, what it should say, and the evidence.",
            ),
            (
                '<span class="ep">wrong words</span><sup class="n">[2?]</sup>',
                "An error suggested by the program that nobody has reviewed yet.",
            ),
        ]
        names = [
            f'<span class="l-{label.key}">{_esc(label.name)}</span>'
            for label in self._tagset.labels
            if not is_error({"label": label.key}, self._tagset)
        ]
        if self._show_all and names:
            rows.append(
                (
                    " ".join(names),
                    "Names, events and dates the fact-checker marked, "
                    "shown for reference: they are not errors.",
                )
            )
        body = "".join(
            f'<tr><td class="cell" valign="top" nowrap>{a}</td>'
            f'<td class="cell" valign="top">{b}</td></tr>'
            for a, b in rows
        )
        return f"<h3>How to read this report</h3>\n<table>{body}</table>\n<hr>\n"

    def _summary_html(self, summary: ReportSummary) -> str:
        pending = f" ({summary.pending} suggested, not reviewed)" if summary.pending else ""
        row = '<tr><td class="cell">{}</td><td class="cell" align="right">{}</td></tr>'
        left = "".join(
            row.format(_esc(error_type_name(k)), n)
            for k, n in _ordered(summary.errors_by_type, ERROR_TYPES)
        )
        right = "".join(
            row.format(self._swatch(k), n)
            for k, n in _ordered(summary.spans_by_label, self._tagset.keys)
        )
        return (
            f"<p>{_count(summary.documents, 'document')}, {_count(summary.errors, 'error')}"
            f", {_count(summary.spans, 'marked passage')}{pending}.</p>\n"
            '<table><tr><td class="cell" valign="top"><h3>Errors by type</h3>'
            f"<table>{left or row.format('None', '')}</table></td>"
            '<td class="cell" valign="top"><h3>Marked passages by label</h3>'
            f"<table>{right or row.format('None', '')}</table></td></tr></table>\n"
        )

    def _swatch(self, key: str) -> str:
        css = "e" if key == ERROR_LABEL else f"l-{key if key in self._tagset else UNKNOWN_CSS}"
        return f'<span class="{css}">&nbsp;{_esc(self._label_name(key))}&nbsp;</span>'

    def _label_name(self, key: str) -> str:
        label = self._tagset.get(key)
        return label.name if label is not None else key

    # -- one document -------------------------------------------------------------------------

    def _usable_spans(self, record: Mapping[str, Any]) -> list[Span]:
        text, usable = record.get("text") or "", []
        for span in record.get("spans") or ():
            if span.get("status") == "rejected":
                self._rejected += 1
                continue
            try:
                check_span(text, span["start"], span["end"], span.get("text"))
            except (SpanError, TypeError, KeyError) as exc:
                self._notes.add(f"document {record.get('id')!s}: a span was left out ({exc})")
                continue
            usable.append(span)
        return sorted(usable, key=lambda s: (s["start"], s["end"]))

    def _document(self, record: Mapping[str, Any], spans: list[Span], ordinal: int) -> str:
        anchor = f"doc-{ordinal}"
        errors = [s for s in spans if is_error(s, self._tagset)]
        numbers = {
            id(s): f"{n}?" if s.get("status") == "pending" else str(n)
            for n, s in enumerate(errors, start=1)
        }
        marks = [m for s in spans if (m := self._mark(s, numbers.get(id(s)))) is not None]
        return (
            f'<h2 class="{"doc1" if ordinal == 1 else "doc"}"><a id="{anchor}" '
            f'name="{anchor}"></a>{_esc(record.get("title") or "Untitled")}</h2>\n'
            + self._doc_meta(record)
            + self._doc_counts(spans, errors)
            + '<table width="100%" cellspacing="0" cellpadding="0"><tr>'
            '<td class="article" width="61%" valign="top">'
            + article_html(record.get("text") or "", marks, anchor=anchor)
            + '</td><td width="3%"></td><td class="side" width="36%" valign="top">'
            + self._error_list(errors, numbers, anchor)
            + "</td></tr></table>\n"
        )

    def _mark(self, span: Span, number: str | None) -> Mark | None:
        pending = span.get("status") == "pending"
        note = f" {PENDING_NOTE}" if pending else ""
        name = self._label_name(span["label"])
        if number is not None:
            return Mark(
                span["start"],
                span["end"],
                int(pending),
                "ep" if pending else "e",
                f"{name}: {error_type_name(span.get('error_type'))}{note}",
                number,
            )
        if not self._show_all:
            return None
        key = span["label"] if span["label"] in self._tagset else UNKNOWN_CSS
        return Mark(
            span["start"], span["end"], 2, f"{'p' if pending else 'l'}-{key}", name + note, None
        )

    def _doc_meta(self, record: Mapping[str, Any]) -> str:
        bits = []
        if source := record.get("source"):
            shown = _esc(source)
            if re.match(r"https?://", str(source), re.IGNORECASE):  # never javascript: etc.
                shown = f'<a href="{shown}">{shown}</a>'
            bits.append(f"Source: {shown}")
        if published := record.get("published"):
            with contextlib.suppress(ValueError):
                published = _long_date(dt.date.fromisoformat(str(published)))
            bits.append(f"Published {_esc(published)}")
        return f'<p class="meta">{" · ".join(bits)}</p>\n' if bits else ""

    def _doc_counts(self, spans: list[Span], errors: list[Span]) -> str:
        by_type = Counter(s.get("error_type") for s in errors)
        by_label = Counter(s["label"] for s in spans if not is_error(s, self._tagset))
        types = ", ".join(f"{error_type_name(k)} {n}" for k, n in _ordered(by_type, ERROR_TYPES))
        labels = ", ".join(
            f"{_esc(self._label_name(k))} {n}" for k, n in _ordered(by_label, self._tagset.keys)
        )
        return (
            f'<p class="count">{_count(len(errors), "error")}{": " * bool(types)}{types}'
            f"{' · Also marked: ' * bool(labels)}{labels}</p>\n"
        )

    def _error_list(self, errors: list[Span], numbers: Mapping[int, str], anchor: str) -> str:
        if not errors:
            return '<h3>Errors</h3><p class="muted">No errors marked in this document.</p>'
        items = [f"<h3>Errors ({len(errors)})</h3>"]
        for span in errors:
            number = numbers[id(span)]
            target = f"{anchor}-e{number.rstrip('?')}"
            pending = f' <span class="muted">{PENDING_NOTE}</span>' * (
                span.get("status") == "pending"
            )
            quote = span["text"]
            if len(quote) > QUOTE_LIMIT:
                quote = quote[:QUOTE_LIMIT].rstrip() + "…"
            items.append(
                f'<p class="item"><a id="{target}" name="{target}"></a><span class="n">'
                f"[{number}]</span> <b>{error_type_name(span.get('error_type'))}</b>"
                f"{pending}</p>"
            )
            lines = [f"Article says: “{_esc(quote)}”"]
            if span.get("correction"):
                lines.append(f"Should read: <b>{_esc(span['correction'])}</b>")
            if span.get("note"):
                lines.append(f"Evidence: {_esc(span['note'])}")
            # The last line carries the gap before the next error (an empty <p> collapses).
            items += [
                f'<p class="{"last" if i == len(lines) else "detail"}">{line}</p>'
                for i, line in enumerate(lines, start=1)
            ]
        return "".join(items)


def render_report_html(
    records: Iterable[Record],
    *,
    tagset: Tagset,
    summary: ReportSummary | None = None,
    title: str = "Fact-check report",
    generated: str | None = None,
    show_all_labels: bool = True,
) -> str:
    """The whole report as a string, for one document or a small batch (the PDF, a preview).
    Without ``summary`` the records are counted first, so the counts go at the top."""
    if summary is None:
        records = list(records)
        summary = ReportSummary.of_records(records, tagset=tagset)
    buffer = io.StringIO()
    writer = ReportWriter(
        buffer,
        tagset=tagset,
        title=title,
        generated=generated,
        summary=summary,
        show_all_labels=show_all_labels,
    )
    for record in records:
        writer.write(record)
    writer.finish()
    return buffer.getvalue()
