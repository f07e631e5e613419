"""UIMA CAS XMI (INCEpTION / WebAnno): the zip's layout, UTF-16 offsets in the file checked
without cassis, cassis reading what we write, files as INCEpTION writes them read back with
code-point offsets, and bad entries or a missing type system named."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from cassis import load_cas_from_xmi, load_typesystem

from annotator.core.formats.records import Rejected
from annotator.core.formats.xmi import SPAN_TYPE, TYPE_SYSTEM_FILE, XmiWriter
from annotator.core.formats.xmi_read import NotXmi, is_xmi_zip, iter_xmi_records
from annotator.core.tagset import load_tagset

# Emoji with zero-width joiners and variation selectors, a flag (two regional indicators):
# each takes two UTF-16 units per code point outside the BMP, so UIMA's offsets and ours differ.
TEXT = "🏃‍♂️ Jakob 🇳🇴 Ingebrigtsen won on 1993-05-13 in Oslo.\n😀 Next: Hélène 𝔸."
SPAN_NS = "{http:///webanno/custom.ecore}FactCheck"


def span(text: str, needle: str, label: str, **fields: Any) -> dict[str, Any]:
    start = text.index(needle)
    record: dict[str, Any] = dict.fromkeys(
        ("error_type", "correction", "note", "value", "entity", "annotator")
    )
    record.update(
        start=start,
        end=start + len(needle),
        label=label,
        text=needle,
        origin="manual",
        status="accepted",
    )
    record.update(fields)
    return record


def document(id: int, title: str, text: str = TEXT, spans: list | None = None) -> dict[str, Any]:
    return {
        "id": id,
        "title": title,
        "source": f"https://example.org/{id}",
        "published": "2025-09-12",
        "sha256": f"{id:064x}",
        "text": text,
        "spans": spans if spans is not None else SPANS,
    }


SPANS = [
    span(TEXT, "Jakob 🇳🇴 Ingebrigtsen", "athlete", annotator="ann", entity="Q1"),
    span(
        TEXT,
        "Ingebrigtsen",
        "error",
        error_type="misspelled_name",
        correction="=HYPERLINK()",
        note='KB: "Jakob"\nsecond line & <tag>',
    ),
    span(
        TEXT,
        "1993-05-13",
        "date",
        value="1993-05-13",
        origin="suggested",
        status="pending",
        annotator="dates",
    ),
    span(TEXT, "Hélène 𝔸", "athlete"),
]


def write_zip(tmp_path: Path, records: list[dict[str, Any]]) -> tuple[Path, list[str]]:
    out = tmp_path / "corpus.zip"
    with out.open("wb") as fh:
        writer = XmiWriter(fh, tagset=load_tagset())
        for record in records:
            writer.write(record)
        notes = writer.finish().messages
    return out, notes


def utf16(text: str, offset: int) -> int:
    return len(text[:offset].encode("utf-16-le")) // 2


def test_the_zip_holds_the_type_system_and_one_xmi_per_document(tmp_path):
    out, notes = write_zip(
        tmp_path,
        [document(1, "Jakob wins"), document(2, "Jakob wins"), document(3, "Ålesund / ../etc")],
    )
    assert notes == []
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == [
            TYPE_SYSTEM_FILE,
            "000001-Jakob-wins.xmi",
            "000002-Jakob-wins.xmi",
            "000003-Alesund-etc.xmi",
        ]
        types = ElementTree.fromstring(archive.read(TYPE_SYSTEM_FILE))
    ns = "{http://uima.apache.org/resourceSpecifier}"
    declared = {t.findtext(f"{ns}name"): t for t in types.iter(f"{ns}typeDescription")}
    assert SPAN_TYPE in declared
    features = {
        f.findtext(f"{ns}name") for f in declared[SPAN_TYPE].iter(f"{ns}featureDescription")
    }
    assert {"label", "error_type", "correction", "note", "status", "annotator"} <= features
    # The tagset's labels and error types are named for whoever sets up the INCEpTION layer.
    descriptions = " ".join(d.text or "" for d in declared[SPAN_TYPE].iter(f"{ns}description"))
    assert "athlete, event, date, error" in descriptions and "misspelled_name" in descriptions
    assert is_xmi_zip(out)


def test_offsets_in_the_file_are_utf16_units_as_uima_counts_them(tmp_path):
    out, _ = write_zip(tmp_path, [document(1, "Oslo")])
    with zipfile.ZipFile(out) as archive:
        root = ElementTree.fromstring(archive.read("000001-Oslo.xmi"))
    sofa = next(e for e in root if e.tag.endswith("Sofa"))
    assert sofa.get("sofaString") == TEXT
    units = TEXT.encode("utf-16-le")
    written = sorted(
        (int(e.get("begin")), int(e.get("end")), e.get("label")) for e in root.iter(SPAN_NS)
    )
    expected = sorted((utf16(TEXT, s["start"]), utf16(TEXT, s["end"]), s["label"]) for s in SPANS)
    assert written == expected
    # Not the code-point offsets: the emoji before the first span make them differ.
    assert written[0][0] != SPANS[0]["start"]
    for begin, end, label in written:
        covered = units[2 * begin : 2 * end].decode("utf-16-le")
        assert covered in {s["text"] for s in SPANS if s["label"] == label}


def test_cassis_reads_what_we_write_with_every_field(tmp_path):
    out, _ = write_zip(tmp_path, [document(7, "Oslo")])
    with zipfile.ZipFile(out) as archive:
        ts = load_typesystem(io.BytesIO(archive.read(TYPE_SYSTEM_FILE)))
        cas = load_cas_from_xmi(io.BytesIO(archive.read("000007-Oslo.xmi")), typesystem=ts)
    assert cas.sofa_string == TEXT
    read = sorted(cas.select(SPAN_TYPE), key=lambda a: (a.begin, a.end))
    by_start = sorted(SPANS, key=lambda s: (s["start"], s["end"]))
    assert len(read) == len(by_start)
    for annotation, expected in zip(read, by_start, strict=True):
        assert (annotation.begin, annotation.end) == (expected["start"], expected["end"])
        assert annotation.get_covered_text() == expected["text"]
        for key in (
            "label",
            "error_type",
            "correction",
            "note",
            "value",
            "entity",
            "annotator",
            "origin",
            "status",
        ):
            assert annotation.get(key) == expected[key]
    meta = cas.select("de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData")[0]
    assert (meta.documentTitle, meta.documentId, meta.documentUri) == (
        "Oslo",
        "7",
        "https://example.org/7",
    )


def test_our_zip_reads_back_as_the_records_written(tmp_path):
    records = [document(1, "Oslo"), document(2, "Quiet", text="Nothing here.\n", spans=[])]
    out, _ = write_zip(tmp_path, records)
    read = list(iter_xmi_records(out))
    assert len(read) == 2
    for got, wrote in zip(read, records, strict=True):
        assert not isinstance(got, Rejected)
        for key in ("title", "source", "published", "sha256", "text"):
            assert got[key] == wrote[key]
        spans = [{k: v for k, v in s.items() if k != "text"} for s in wrote["spans"]]
        assert got["spans"] == sorted(spans, key=lambda s: (s["start"], s["end"]))
        written = {(w["start"], w["end"]): w["text"] for w in wrote["spans"]}
        for s in got["spans"]:
            assert got["text"][s["start"] : s["end"]] == written[s["start"], s["end"]]


# As INCEpTION writes a document of a project with a "FactCheck" span layer that has only a
# label feature: its own token and sentence types around ours, offsets in UTF-16 units.
INCEPTION_TS = """<?xml version="1.0" encoding="UTF-8"?>
<typeSystemDescription xmlns="http://uima.apache.org/resourceSpecifier"><types>
<typeDescription><name>de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token</name>
<supertypeName>uima.tcas.Annotation</supertypeName></typeDescription>
<typeDescription><name>webanno.custom.FactCheck</name>
<supertypeName>uima.tcas.Annotation</supertypeName><features>
<featureDescription><name>label</name><rangeTypeName>uima.cas.String</rangeTypeName>
</featureDescription></features></typeDescription>
</types></typeSystemDescription>"""


def inception_xmi(text: str, spans: list[tuple[int, int, str]]) -> str:
    def esc(value: str) -> str:
        return (
            value.replace("&", "&amp;")
            .replace('"', "&quot;")
            .replace("<", "&lt;")
            .replace("\n", "&#10;")
        )

    body = "".join(
        f'<custom:FactCheck xmi:id="{10 + n}" sofa="1" begin="{utf16(text, s)}" '
        f'end="{utf16(text, e)}" label="{label}"/>'
        f'<type4:Token xmi:id="{50 + n}" sofa="1" begin="{utf16(text, s)}" end="{utf16(text, e)}"/>'
        for n, (s, e, label) in enumerate(spans)
    )
    members = " ".join(f"{10 + n} {50 + n}" for n in range(len(spans)))
    return (
        '<?xml version="1.0" encoding="UTF-8"?><xmi:XMI xmlns:xmi="http://www.omg.org/XMI" '
        'xmlns:cas="http:///uima/cas.ecore" xmlns:custom="http:///webanno/custom.ecore" '
        'xmlns:type4="http:///de/tudarmstadt/ukp/dkpro/core/api/segmentation/type.ecore" '
        'xmi:version="2.0"><cas:NULL xmi:id="0"/>'
        + body
        + f'<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text" '
        f'sofaString="{esc(text)}"/><cas:View sofa="1" members="{members}"/></xmi:XMI>'
    )


def test_a_file_as_inception_writes_it_reads_with_code_point_offsets(tmp_path):
    text = "🏃‍♂️ Jakob 🇳🇴 Ingebrigtsen ran.\n😀 Karsten Warholm"
    wanted = [
        (text.index("Jakob"), text.index(" ran"), "athlete"),
        (text.index("Karsten"), len(text), "athlete"),
    ]
    out = tmp_path / "inception.zip"
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("TypeSystem.xml", INCEPTION_TS)
        archive.writestr("article.txt.xmi", inception_xmi(text, wanted))
    (record,) = iter_xmi_records(out)
    assert not isinstance(record, Rejected)
    assert record["text"] == text and record["title"] == "article.txt"
    assert [(s["start"], s["end"], s["label"]) for s in record["spans"]] == wanted
    assert [record["text"][s["start"] : s["end"]] for s in record["spans"]] == [
        "Jakob 🇳🇴 Ingebrigtsen",
        "Karsten Warholm",
    ]
    assert all(s["error_type"] is None and s["status"] is None for s in record["spans"])


def test_a_single_xmi_file_reads_with_the_type_system_beside_it(tmp_path):
    text = "Jakob 😀 won."
    (tmp_path / "TypeSystem.xml").write_text(INCEPTION_TS, encoding="utf-8")
    xmi = tmp_path / "one.xmi"
    xmi.write_text(inception_xmi(text, [(0, 5, "athlete")]), encoding="utf-8")
    (record,) = iter_xmi_records(xmi)
    assert not isinstance(record, Rejected)
    assert record["spans"][0]["start"] == 0 and record["spans"][0]["end"] == 5


def test_a_broken_document_is_named_and_the_others_still_come(tmp_path):
    out = tmp_path / "mixed.zip"
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("TypeSystem.xml", INCEPTION_TS)
        archive.writestr("a-broken.xmi", "<xmi:XMI this is not xml")
        archive.writestr("b-good.xmi", inception_xmi("Jakob won.", [(0, 5, "athlete")]))
        archive.writestr("notes.txt", "ignored")
    first, second = iter_xmi_records(out)
    assert isinstance(first, Rejected) and first.where == "a-broken.xmi"
    assert "not readable as UIMA CAS XMI" in first.reason
    assert not isinstance(second, Rejected) and second["spans"][0]["label"] == "athlete"


def test_a_zip_without_a_type_system_is_refused_in_one_line(tmp_path):
    out = tmp_path / "bare.zip"
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.xmi", inception_xmi("Jakob won.", [(0, 5, "athlete")]))
    with pytest.raises(NotXmi, match="no TypeSystem.xml in the zip"):
        list(iter_xmi_records(out))
    assert not is_xmi_zip(tmp_path / "missing.zip")


def test_a_text_xml_cannot_carry_is_left_out_with_a_note_not_altered(tmp_path):
    bad = document(2, "Control", text="Jakob\x01 won.", spans=[])
    out, notes = write_zip(tmp_path, [document(1, "Oslo"), bad])
    assert notes == [
        "document 2 'Control': left out, its text holds control characters that "
        "XML 1.0 (and so XMI) cannot carry"
    ]
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == [TYPE_SYSTEM_FILE, "000001-Oslo.xmi"]


def project_export(
    tmp_path: Path, text: str, layers: dict[str, list[tuple[int, int, str]]]
) -> Path:
    """A zip laid out as INCEpTION's project export: per document and person a zip of
    ``USER.xmi`` and ``TypeSystem.xml`` under ``annotation/DOC/`` (``curation/DOC/`` for
    CURATION_USER), beside the project's JSON and the source file."""
    out = tmp_path / "project.zip"
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("exportedproject123.json", "{}")
        archive.writestr("source/oslo.txt", text)
        for n, (user, spans) in enumerate(layers.items()):
            inner = io.BytesIO()
            with zipfile.ZipFile(inner, "w") as per_user:
                per_user.writestr("TypeSystem.xml", INCEPTION_TS)
                per_user.writestr(f"{user}.xmi", inception_xmi(text, spans))
            folder = "curation" if user == "CURATION_USER" else "annotation"
            archive.writestr(f"{folder}/oslo.txt/webanno{n}export.zip", inner.getvalue())
    return out


def test_an_inception_project_export_brings_each_persons_layer(tmp_path):
    text = "😀 Jakob Ingebrigtsen beat Karsten Warholm."
    jakob = (text.index("Jakob"), text.index(" beat"), "athlete")
    karsten = (text.index("Karsten"), len(text) - 1, "athlete")
    out = project_export(
        tmp_path, text, {"klie": [jakob], "maria": [jakob, karsten], "CURATION_USER": [karsten]}
    )
    assert is_xmi_zip(out)
    records = list(iter_xmi_records(out))
    assert not any(isinstance(r, Rejected) for r in records), records
    assert [r["title"] for r in records] == ["oslo.txt"] * 3
    assert all(r["text"] == text for r in records)
    found = sorted(
        (s.get("layer") or s["annotator"], text[s["start"] : s["end"]])
        for r in records
        for s in r["spans"]
    )
    assert found == [
        ("curated", "Karsten Warholm"),
        ("klie", "Jakob Ingebrigtsen"),
        ("maria", "Jakob Ingebrigtsen"),
        ("maria", "Karsten Warholm"),
    ]
