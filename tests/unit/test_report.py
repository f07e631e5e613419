"""The HTML fact-check report: escaping, numbering, overlaps, counts, streaming."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest

from annotator.core.formats.jsonl import document_record
from annotator.core.formats.report import (
    PENDING_NOTE,
    ReportSummary,
    ReportWriter,
    error_type_name,
    render_report_html,
)
from annotator.core.tagset import load_tagset

TAGSET = load_tagset()
GENERATED = "25 November 2025, 11:30"
VOID = {"br", "hr", "meta", "img", "input", "link"}

KERR = (
    "British runner Josh Kerr has made his feelings known on his rivalry with Jakob "
    "Ingebrigsten ahead of the World Championships in Tokyo, which starts on September 13th.\n"
    "\n"
    "Kerr and Ingebrigsten last faced off at the Paris Olympics in 2024, where Kerr earned the "
    "silver medal while Ingebrigsten suprisingly finished fourth."
)


def span(text: str, needle: str, label: str, nth: int = 0, **fields) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return {
        "start": start,
        "end": start + len(needle),
        "label": label,
        "text": needle,
        "status": "accepted",
        **fields,
    }


def error(text: str, needle: str, error_type: str, correction: str, nth: int = 0, **fields):
    return span(text, needle, "error", nth, error_type=error_type, correction=correction, **fields)


def record(text: str, spans: list[dict], **fields) -> dict:
    spans = sorted(spans, key=lambda s: (s["start"], s["end"]))
    values = {
        "id": 1,
        "title": "Kerr on Ingebrigtsen",
        "source": "kerr.txt",
        "published": "2025-09-12",
        "sha256": "0" * 64,
        **fields,
    }
    return document_record(text=text, spans=spans, **values)


def render(*records: dict, **options) -> str:
    return render_report_html(records, tagset=TAGSET, generated=GENERATED, **options)


class Tree(HTMLParser):
    """Checks that every tag closes in order and records what each piece of text sits in."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.tags: list[tuple[str, dict]] = []
        self.texts: list[tuple[str, list[tuple[str, dict]]]] = []
        self.feed(markup)
        self.close()
        assert not [tag for tag, _ in self.stack if tag not in ("html", "body")], self.stack

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1][0] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        self.texts.append((data, list(self.stack)))

    def text_in(self, css: str) -> list[str]:
        """Runs of article text inside spans of class ``css``, consecutive segments joined."""
        runs: list[str] = []
        previous = False
        for data, stack in self.texts:
            inside = in_article(stack) and any(
                tag == "span" and attrs.get("class") == css for tag, attrs in stack
            )
            if inside and previous:
                runs[-1] += data
            elif inside:
                runs.append(data)
            previous = inside
        return runs

    def plain(self, tag: str, css: str) -> list[str]:
        """The text of each element ``tag`` of class ``css`` in the articles."""
        found: list[tuple[int, str]] = []
        for data, stack in self.texts:
            if not in_article(stack):
                continue
            for depth, (name, attrs) in enumerate(stack):
                if name == tag and attrs.get("class") == css:
                    key = id(stack[depth][1])
                    if found and found[-1][0] == key:
                        found[-1] = (key, found[-1][1] + data)
                    else:
                        found.append((key, data))
                    break
        return [text for _, text in found]


def in_article(stack: list[tuple[str, dict]]) -> bool:
    return any(attrs.get("class") == "article" for _, attrs in stack)


def test_script_in_article_title_and_note_is_escaped():
    text = 'Kerr <script>alert("x")</script> beat <img src=x onerror=alert(1)> Ingebrigsten.'
    note = '<script>steal()</script> see "World Athletics" & co'
    rec = record(
        text,
        [error(text, "Ingebrigsten", "misspelled_name", "<b>Ingebrigtsen</b>", note=note)],
        title="<script>t()</script>",
    )
    out = render(rec)
    tree = Tree(out)
    assert not [t for t, _ in tree.tags if t in ("script", "img", "iframe", "object")]
    assert not [a for _, attrs in tree.tags for a in attrs if a.startswith("on")]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in out
    assert "&lt;script&gt;steal()&lt;/script&gt; see &quot;World Athletics&quot; &amp; co" in out
    assert "&lt;b&gt;Ingebrigtsen&lt;/b&gt;" in out
    assert any('<script>alert("x")</script>' in data for data, _ in tree.texts)


def test_errors_are_numbered_in_reading_order_whatever_the_record_order():
    spans = [
        error(KERR, "suprisingly", "misspelling", "surprisingly"),
        error(KERR, "Ingebrigsten", "misspelled_name", "Ingebrigtsen", nth=1),
        error(KERR, "Ingebrigsten", "misspelled_name", "Ingebrigtsen (1st)", nth=0),
    ]
    rec = document_record(
        id=1, title="t", source=None, published=None, sha256="", text=KERR, spans=spans
    )  # deliberately unsorted
    tree = Tree(render(rec))
    sups = tree.plain("sup", "n")
    assert sups == ["[1]", "[2]", "[3]"]
    # The article shows each number right after its error's text, in reading order.
    article = "".join(
        d for d, stack in tree.texts if any(a.get("class") == "article" for _, a in stack)
    )
    assert re.search(
        r"Jakob Ingebrigsten\[1\].*Kerr and Ingebrigsten\[2\].*suprisingly\[3\]", article, re.DOTALL
    )
    side = "".join(d for d, stack in tree.texts if any(a.get("class") == "side" for _, a in stack))
    assert side.index("Ingebrigtsen (1st)") < side.index("[2]") < side.index("surprisingly")
    assert "[1] Misspelled name" in side and "[3] Misspelling" in side


def test_overlapping_spans_give_well_formed_markup_and_exact_highlights():
    spans = [
        span(KERR, "Jakob Ingebrigsten", "athlete"),
        error(KERR, "Ingebrigsten", "misspelled_name", "Ingebrigtsen"),
        # Starts inside the athlete and the error, ends past both.
        span(KERR, "Ingebrigsten ahead of the World Championships", "event"),
        # Crosses the paragraph break.
        error(KERR, "September 13th.\n\nKerr", "wrong_fact", "Sept 13."),
        span(KERR, "September 13th", "date"),
    ]
    out = render(record(KERR, spans))
    tree = Tree(out)  # raises on any tag closed out of order
    assert tree.text_in("e") == ["Ingebrigsten", "September 13th.", "Kerr"]
    assert tree.text_in("l-athlete") == ["Jakob "]
    assert tree.text_in("l-event") == [" ahead of the World Championships"]
    # The segment under the error still says which spans cover it.
    titles = [
        a["title"] for t, a in tree.tags if t == "span" and a.get("class") == "e" and "title" in a
    ]
    assert "Athlete" in titles[0] and "Event" in titles[0] and "Misspelled name" in titles[0]
    # The crossing error is cut at the paragraph end, and its number follows its last part.
    assert re.search(r'>Kerr</span><sup class="n"><a href="#doc-1-e2">\[2\]</a></sup>', out)
    assert out.count("<p>") == 2 + out.count("<p>", 0, out.index('class="article"'))


def test_emoji_and_accents_before_spans_do_not_shift_highlights():
    text = "🏃‍♀️ Narve Gilje Nordås 🇳🇴 beat Jakob Ingebrigsten in 𝒜thens on 6 Agust 2024."
    spans = [
        span(text, "Narve Gilje Nordås", "athlete"),
        error(text, "Ingebrigsten", "misspelled_name", "Ingebrigtsen"),
        error(text, "Agust", "misspelling", "August"),
    ]
    tree = Tree(render(record(text, spans)))
    assert tree.text_in("e") == ["Ingebrigsten", "Agust"]
    assert tree.text_in("l-athlete") == ["Narve Gilje Nordås"]


def test_paragraphs_and_line_breaks_are_kept():
    text = "  • First bullet\n  • Second bullet\n\n\nSecond paragraph.\n \nThird."
    out = render(record(text, []))
    article = out[out.index('class="article"') : out.index('class="side"')]
    assert article.count("<p>") == 3
    assert "• First bullet<br>  • Second bullet</p>" in article


def test_counts_per_document_and_for_the_corpus():
    first = record(
        KERR,
        [
            span(KERR, "Josh Kerr", "athlete"),
            span(KERR, "Jakob Ingebrigsten", "athlete"),
            span(KERR, "Paris Olympics", "event"),
            error(KERR, "Ingebrigsten", "misspelled_name", "Ingebrigtsen"),
            error(KERR, "suprisingly", "misspelling", "surprisingly"),
            error(KERR, "Ingebrigsten", "misspelled_name", "Ingebrigtsen", nth=1),
        ],
    )
    second = record("Nothing to see.", [], id=2, title="Quiet")
    out = render(first, second)
    counts = [re.sub(r"<[^>]+>", "", m) for m in re.findall(r'<p class="count">(.*?)</p>', out)]
    assert counts == [
        "3 errors: Misspelled name 2, Misspelling 1 · Also marked: Athlete 2, Event 1",
        "0 errors",
    ]
    summary = ReportSummary.of_records([first, second], tagset=TAGSET)
    assert summary == ReportSummary(
        2, {"misspelled_name": 2, "misspelling": 1}, {"athlete": 2, "event": 1, "error": 3}, 0
    )
    top = re.sub(r"<[^>]+>", "", out[: out.index("How to read")])
    assert "2 documents, 3 errors, 6 marked passages." in top
    assert re.search(r"Misspelled name\s*2\s*Misspelling\s*1", top)
    assert "No errors marked in this document." in out


def test_legend_title_and_generated_date_are_there():
    out = render(record(KERR, []), title="Weekly check")
    assert "<title>Weekly check</title>" in out and "<h1>Weekly check</h1>" in out
    assert f"Generated {GENERATED}" in out
    legend = out[out.index("How to read this report") :]
    assert "An error found by the fact-checker" in legend
    assert "nobody has reviewed yet" in legend
    assert '<span class="l-athlete">Athlete</span>' in legend


def test_pending_suggestions_are_marked_as_not_reviewed():
    spans = [
        error(
            KERR,
            "Ingebrigsten",
            "misspelled_name",
            "Ingebrigtsen",
            status="pending",
            origin="suggested",
        ),
        error(KERR, "suprisingly", "misspelling", "surprisingly"),
        span(KERR, "Paris Olympics", "event", status="pending"),
    ]
    out = render(record(KERR, spans))
    tree = Tree(out)
    assert tree.text_in("ep") == ["Ingebrigsten"] and tree.text_in("e") == ["suprisingly"]
    assert tree.text_in("p-event") == ["Paris Olympics"]
    assert tree.plain("sup", "n")[-2:] == ["[1?]", "[2]"]
    assert f'[1?]</span> <b>Misspelled name</b> <span class="muted">{PENDING_NOTE}</span>' in out
    side = out[out.index('class="side"') :]
    assert side.count(PENDING_NOTE) == 1  # the confirmed error is not marked
    assert f'title="Event {PENDING_NOTE}"' in out


def test_no_external_resources_except_the_article_source_link():
    url = "https://www.example.org/kerr?a=1&b=2"
    out = render(
        record(KERR, [error(KERR, "suprisingly", "misspelling", "surprisingly")], source=url)
    )
    tree = Tree(out)
    assert not [attrs for _, attrs in tree.tags if "src" in attrs]
    links = [attrs["href"] for tag, attrs in tree.tags if "href" in attrs]
    assert [link for link in links if not link.startswith("#")] == [url]
    assert not [tag for tag, _ in tree.tags if tag in ("link", "script", "iframe")]
    assert "url(" not in out and "@import" not in out
    # A source that is not a web address stays plain text.
    sneaky = render(record(KERR, [], source="javascript:alert(1)"))
    assert "javascript:alert(1)" in sneaky and 'href="javascript' not in sneaky


def test_show_all_labels_off_keeps_only_errors():
    spans = [
        span(KERR, "Josh Kerr", "athlete"),
        error(KERR, "suprisingly", "misspelling", "surprisingly"),
    ]
    tree = Tree(render(record(KERR, spans), show_all_labels=False))
    assert tree.text_in("l-athlete") == [] and tree.text_in("e") == ["suprisingly"]


def test_writer_streams_and_puts_the_summary_at_the_end_when_not_given():
    fh = io.StringIO()
    writer = ReportWriter(fh, tagset=TAGSET, generated=GENERATED)
    writer.write(record(KERR, [error(KERR, "suprisingly", "misspelling", "surprisingly")]))
    partial = fh.getvalue()
    assert "suprisingly" in partial and "</html>" not in partial  # written as it came
    assert '<a href="#summary">Summary</a>' in partial
    writer.write(record("Second.", [], id=2, title="Second"))
    notes = writer.finish()
    out = fh.getvalue()
    assert len(notes) == 0 and out.endswith("</html>\n")
    tail = re.sub(r"<[^>]+>", "", out[out.index('id="summary"') :])
    assert "2 documents, 1 error, 1 marked passage." in tail
    Tree(out)
    assert writer.finish() is notes and fh.getvalue() == out  # finishing twice is harmless


def test_given_summary_goes_first_and_a_mismatch_is_noted():
    fh = io.StringIO()
    summary = ReportSummary(
        documents=5,
        errors_by_type={"wrong_date": 4, None: 1},
        spans_by_label={"error": 5, "referee": 2},
    )
    writer = ReportWriter(fh, tagset=TAGSET, generated=GENERATED, summary=summary)
    writer.write(record(KERR, []))
    notes = writer.finish()
    out = fh.getvalue()
    top = re.sub(r"<[^>]+>", "", out[: out.index("How to read")])
    assert "5 documents, 5 errors, 7 marked passages." in top
    assert "Type not given" in top and "referee" in top
    assert 'id="summary"' not in out
    assert notes.messages == [
        "the summary at the top counts 5 documents and 5 errors; the "
        "report holds 1 documents and 0 errors"
    ]


def test_rejected_and_misplaced_spans_are_left_out_and_noted():
    bad = span(KERR, "Josh Kerr", "athlete")
    bad["text"] = "Someone else"
    spans = [error(KERR, "suprisingly", "misspelling", "surprisingly", status="rejected"), bad]
    fh = io.StringIO()
    writer = ReportWriter(fh, tagset=TAGSET, generated=GENERATED)
    writer.write(record(KERR, spans))
    notes = writer.finish()
    assert "suprisingly</span>" not in fh.getvalue()
    assert len(notes) == 2
    assert "reads 'Josh Kerr' in the text" in notes.messages[0]
    assert notes.messages[1] == "1 rejected suggestion(s) left out of the report"


def test_empty_report_is_still_a_complete_page():
    fh = io.StringIO()
    ReportWriter(fh, tagset=TAGSET, generated=GENERATED).finish()
    out = fh.getvalue()
    Tree(out)
    assert "0 documents, 0 errors" in re.sub(r"<[^>]+>", "", out)


@pytest.mark.parametrize(
    ("error_type", "words"),
    [
        ("misspelled_name", "Misspelled name"),
        ("wrong_date", "Wrong date"),
        ("wrong_number", "Wrong number"),
        (None, "Type not given"),
    ],
)
def test_error_types_read_as_plain_words(error_type, words):
    assert error_type_name(error_type) == words
