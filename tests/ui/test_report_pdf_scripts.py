"""The PDF report prints every script a desk quotes, and emoji: the fonts of the report's
fallback list are embedded and the text reads back, rather than empty .notdef boxes."""

from __future__ import annotations

import unicodedata

import pytest
from pypdf import PdfReader

from annotator.ui.report_pdf import export_report_pdf

pytestmark = [pytest.mark.gui]

EMOJI = ("🏃", "🥇", "🎉", "🙂")
TEXT = (
    "🏃 Faith Kipyegon 🥇 won again 🎉.\n"
    "Кипьегон выиграла 1500 метров в Париже; Ингебригсен был четвёртым.\n"
    "Η Κιπιέγκον κέρδισε τα 1500 μέτρα στο Παρίσι.\n"
    "فازت كيبييغون بسباق 1500 متر في باريس.\n"
    "基普耶贡在巴黎赢得了比赛。"
)


def _annotate(app, doc: int, text: str) -> None:
    def add(needle: str, label: str, **fields: str) -> None:
        start = text.index(needle)
        app.annotations.create(
            document_id=doc, start=start, end=start + len(needle), label=label, **fields
        )

    add(
        "Ингебригсен",
        "error",
        error_type="misspelled_name",
        correction="Ингебригтсен",
        note="Ελληνικά 🙂 العربية 中文",
    )
    add("Παρίσι", "event")
    add("باريس", "event")
    add("巴黎", "event")


def _pdf(app, doc: int, path) -> PdfReader:
    export_report_pdf(app.db, path, tagset=app.tagset, documents=[doc])
    return PdfReader(path)


def _fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/"))
    return names


def _images(reader: PdfReader) -> int:
    return sum(len(page["/Resources"].get("/XObject", {})) for page in reader.pages)


def test_greek_cyrillic_arabic_chinese_and_emoji_are_printed(qapp, app, make_document, tmp_path):
    doc = make_document(TEXT, title="Кипьегон 基普耶贡")
    _annotate(app, doc, TEXT)
    reader = _pdf(app, doc, tmp_path / "scripts.pdf")
    text = unicodedata.normalize(
        "NFKC", " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    )
    for words in (
        "выиграла 1500 метров",
        "Ингебригсен",
        "Ингебригтсен",
        "Κιπιέγκον κέρδισε",
        "基普耶贡在",
        "赢得了比赛",
        "Ελληνικά",
    ):
        assert words in text
    # The PDF stores Arabic as shaped glyphs in visual order: each letter of a word reads
    # back (the shaping folded away by NFKC), which a missing glyph would not.
    assert set("باريس كيبييغون") <= set(text)
    fonts = _fonts(reader)
    # The serif article's Arabic and Chinese come from the report's own fallbacks.
    assert any(name.endswith("NotoNaskhArabic-Regular") for name in fonts), fonts
    assert any("NotoSerifCJKsc" in name for name in fonts), fonts
    # Colour emoji are painted as images, one per distinct emoji; boxes would be none.
    assert _images(reader) == len(EMOJI)

    plain = "Faith Kipyegon won again.\nJakob Ingebrigsten was fourth."
    other = make_document(plain, title="Plain")
    reader = _pdf(app, other, tmp_path / "plain.pdf")
    assert _images(reader) == 0
    assert not any("Noto" in name for name in _fonts(reader))
