"""`annotator export` in every format and `annotator import` of what it wrote, run as a user
runs them: `python -m annotator` in a subprocess, against real SQLite files."""

from __future__ import annotations

import csv
import importlib.util
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import assert_one_line_error, run_cli

from annotator.core.formats import iter_jsonl_records
from annotator.services.app import open_app

KERR = (
    "🏃‍♀️ Josh Kerr wins the 1500m in Tokyo on 12 September 2025.\n"
    'Jakob Ingebrigsten said: "I ran 3:29."\n'
)
LAROS = "# Laros on the rise\n\nNiels Laros ran 3:29 in Zürich.\n"
QUIET = "Results from Oslo.\nNothing to mark here.\n"
CORRECTION = 'Ingebrigtsen | "Jakob" \\ C:\\dir'


def _count(db: Path, table: str) -> int:
    app = open_app(db, annotator="tester")
    try:
        with app.db.engine.connect() as conn:
            return conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
    finally:
        app.close()


@pytest.fixture
def corpus(tmp_path: Path, db_path: Path, request: pytest.FixtureRequest) -> dict[str, Any]:
    """The seed articles (when present) and three generated ones, imported by the CLI, then
    annotated: an error inside an athlete span, a date with its value, a pending suggestion.
    Returns the database, the document count and the count of spans an export writes with
    --include-pending."""
    folder = tmp_path / "articles"
    folder.mkdir()
    try:
        seeds = request.getfixturevalue("seeds_dir")
    except pytest.skip.Exception:
        seeds = None
    if seeds is not None:
        for seed in sorted(seeds.glob("*.txt")):
            shutil.copy(seed, folder / seed.name)
    (folder / "kerr.txt").write_text(KERR, encoding="utf-8")
    (folder / "laros.md").write_text(LAROS, encoding="utf-8")
    (folder / "quiet.txt").write_text(QUIET, encoding="utf-8")
    documents = len(list(folder.iterdir()))
    result = run_cli("import", str(folder), db=db_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{documents} imported"

    app = open_app(db_path, annotator="tester")
    try:
        kerr = next(i for i in app.documents.ids() if app.documents.get(i).text == KERR.strip())
        text = app.documents.get(kerr).text

        def add(needle: str, label: str, **fields: Any) -> int:
            start = text.index(needle)
            return app.annotations.create(
                document_id=kerr, start=start, end=start + len(needle), label=label, **fields
            ).id

        add("Josh Kerr", "athlete")
        add("Jakob Ingebrigsten", "athlete")
        add("Ingebrigsten", "error", error_type="misspelled_name", correction=CORRECTION,
            note='KB: "Jakob Ingebrigtsen"\nsecond line')  # fmt: skip
        add("12 September 2025", "date", value="2025-09-12")
        add("1500m", "event")
        pending = add("Tokyo", "event")
        app.annotations.update(pending, status="pending")
    finally:
        app.close()
    return {"db": db_path, "documents": documents, "spans": 6}


def _summary(corpus: dict[str, Any], out: Path) -> str:
    return f"exported {corpus['documents']} documents, {corpus['spans']} spans to {out}"


def _export(corpus: dict[str, Any], out: Path, *args: str):
    return run_cli("export", *args, "-o", str(out), "--include-pending", db=corpus["db"])


def _jsonl_records(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return list(iter_jsonl_records(fh))


def _check_jsonl(out: Path, corpus: dict[str, Any]) -> None:
    records = _jsonl_records(out)
    assert len(records) == corpus["documents"]
    assert sum(len(r["spans"]) for r in records) == corpus["spans"]


def _check_csv(out: Path, corpus: dict[str, Any]) -> None:
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:4] == ["document_id", "title", "source", "label"]
    assert len(rows) == 1 + corpus["spans"]
    assert CORRECTION in {cell for row in rows for cell in row}


def _check_doccano(out: Path, corpus: dict[str, Any]) -> None:
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == corpus["documents"]
    for line in lines:
        for start, end, label in line["label"]:
            assert isinstance(label, str) and 0 <= start < end <= len(line["text"])
    # The pending suggestion is no label (doccano shows accepted spans) but travels along.
    assert sum(len(line["label"]) for line in lines) == corpus["spans"] - 1


def _check_labelstudio(out: Path, corpus: dict[str, Any]) -> None:
    with out.open(encoding="utf-8") as fh:
        tasks = json.load(fh)
    assert len(tasks) == corpus["documents"]
    predicted = [r for t in tasks for p in t["predictions"] for r in p["result"]]
    assert [r["value"]["text"] for r in predicted if r["type"] == "labels"] == ["Tokyo"]


def _check_spacy(out: Path, corpus: dict[str, Any]) -> None:
    import spacy
    from spacy.tokens import DocBin

    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("xx").vocab))
    assert len(docs) == corpus["documents"]
    assert {"Josh Kerr", "Jakob Ingebrigsten"} <= {e.text for d in docs for e in d.ents}


def _check_conll(out: Path, corpus: dict[str, Any]) -> None:
    content = out.read_text(encoding="utf-8")
    assert content.count("-DOCSTART- -X- O O\n") == corpus["documents"]
    assert "Kerr -X- _ I-athlete\n" in content


def _check_brat(out: Path, corpus: dict[str, Any]) -> None:
    assert len(list(out.glob("*.ann"))) == len(list(out.glob("*.txt"))) == corpus["documents"]
    assert (out / "annotation.conf").is_file()
    lines = [line for ann in out.glob("*.ann") for line in ann.read_text("utf-8").splitlines()]
    assert sum(line.startswith("T") for line in lines) == corpus["spans"]


def _check_w3c(out: Path, corpus: dict[str, Any]) -> None:
    with out.open(encoding="utf-8") as fh:
        collection = json.load(fh)
    assert collection["total"] == len(collection["first"]["items"]) == corpus["spans"]


def _check_claimreview(out: Path, corpus: dict[str, Any]) -> None:
    with out.open(encoding="utf-8") as fh:
        graph = json.load(fh)["@graph"]
    (review,) = graph
    assert "Ingebrigsten" in review["claimReviewed"]
    assert "Ingebrigtsen" in review["reviewBody"]


def _check_html(out: Path, corpus: dict[str, Any]) -> None:
    content = out.read_text(encoding="utf-8")
    assert content.lstrip().lower().startswith("<!doctype html")
    assert "Ingebrigtsen | &quot;Jakob&quot;" in content


def _check_pdf(out: Path, corpus: dict[str, Any]) -> None:
    assert out.read_bytes()[:5] == b"%PDF-"
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Ingebrigtsen" in text


EXPORTS = [
    ("jsonl", "corpus.jsonl", _check_jsonl),
    ("csv", "spans.csv", _check_csv),
    ("doccano", "doccano.jsonl", _check_doccano),
    ("labelstudio", "tasks.json", _check_labelstudio),
    ("spacy", "corpus.spacy", _check_spacy),
    ("conll", "corpus.conll", _check_conll),
    ("brat", "brat", _check_brat),
    ("w3c", "annotations.jsonld", _check_w3c),
    ("claimreview", "reviews.jsonld", _check_claimreview),
    ("report", "report.html", _check_html),
    ("report", "report.pdf", _check_pdf),
]


@pytest.mark.parametrize(("fmt", "name", "check"), EXPORTS, ids=[n for _, n, _ in EXPORTS])
def test_every_format_exports_with_a_summary_line(corpus, tmp_path, fmt, name, check):
    if fmt == "spacy" and importlib.util.find_spec("spacy") is None:
        pytest.skip("spaCy is not installed")
    out = tmp_path / "out" / name
    out.parent.mkdir()
    publisher = ["--publisher", "Athletics Check"] if fmt == "claimreview" else []
    result = _export(corpus, out, "--format", fmt, *publisher)
    if name.endswith(".pdf") and importlib.util.find_spec("PySide6") is None:
        # Where Qt is not installed (scripts/noqt-tests.sh) the PDF report says so in one
        # line and writes nothing; every other format works.
        assert_one_line_error(result, "needs Qt (PySide6)")
        assert not out.exists()
        return
    assert result.returncode == 0, result.stderr
    if fmt == "claimreview":
        # ClaimReview cannot carry the pending suggestion, --include-pending or not.
        summary = f"exported {corpus['documents']} documents, {corpus['spans'] - 1} spans to {out}"
        assert result.stdout.splitlines()[-1] == summary
    else:
        assert result.stdout.splitlines()[-1] == _summary(corpus, out)
    assert "Traceback" not in result.stderr
    for line in result.stderr.splitlines():
        assert line.startswith("note: "), line
    check(out, corpus)


def test_the_format_comes_from_the_output_suffix(corpus, tmp_path):
    conll = tmp_path / "x.conll"
    result = _export(corpus, conll)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == _summary(corpus, conll)
    assert conll.read_text(encoding="utf-8").startswith("-DOCSTART- -X- O O\n")

    # .json is Label Studio's alone (formats.format_for_suffix): no --format needed.
    tasks = tmp_path / "x.json"
    assert _export(corpus, tasks).returncode == 0
    _check_labelstudio(tasks, corpus)

    for name in ("x.jsonld", "x.txt"):  # two formats write .jsonld; none writes .txt
        out = tmp_path / name
        result = _export(corpus, out)
        assert_one_line_error(result, "--format", name)
        assert not out.exists()


IMPORTS = [
    ("jsonl", "corpus.jsonl", ()),
    ("doccano", "doccano.txt", ("--format", "doccano")),
    ("labelstudio", "tasks.json", ()),
    ("brat", "brat", ()),
]


@pytest.mark.parametrize(("fmt", "name", "options"), IMPORTS, ids=[f for f, _, _ in IMPORTS])
def test_an_export_imports_into_a_fresh_database_with_its_counts(
    corpus, tmp_path, fmt, name, options
):
    out = tmp_path / name
    assert _export(corpus, out, "--format", fmt).returncode == 0
    fresh = tmp_path / "fresh.sqlite3"
    result = run_cli("--db", str(fresh), "import", *options, str(out), db=corpus["db"])
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.strip() == f"{corpus['documents']} imported with {corpus['spans']} spans"

    original, again = tmp_path / "original.jsonl", tmp_path / "again.jsonl"
    assert _export(corpus, original, "--format", "jsonl").returncode == 0
    result = run_cli("--db", str(fresh), "export", "-o", str(again), "--include-pending",
                     db=corpus["db"])  # fmt: skip
    assert result.returncode == 0, result.stderr
    strip = [{k: v for k, v in r.items() if k != "id"} for r in _jsonl_records(original)]
    assert [{k: v for k, v in r.items() if k != "id"} for r in _jsonl_records(again)] == strip


def test_a_bad_record_is_skipped_by_name_and_the_others_import(corpus, tmp_path):
    out = tmp_path / "corpus.jsonl"
    assert _export(corpus, out).returncode == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, start=1) if "🏃" in line)
    record = json.loads(lines[number - 1])
    record["spans"][0]["start"] += 1
    lines[number - 1] = json.dumps(record, ensure_ascii=False)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")

    fresh = tmp_path / "fresh.sqlite3"
    result = run_cli("--db", str(fresh), "import", str(out), db=corpus["db"])
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"skipped corpus.jsonl line {number} (record {record['id']}): ")
    assert "span 0" in line
    assert result.stdout.strip() == f"{corpus['documents'] - 1} imported, 1 failed"
    assert _count(fresh, "documents") == corpus["documents"] - 1


def test_an_unknown_document_gives_one_line(corpus, tmp_path):
    out = tmp_path / "x.jsonl"
    result = run_cli("export", "-o", str(out), "--document", "999", db=corpus["db"])
    assert_one_line_error(result, "no document with id 999")
    assert not out.exists()


def test_a_brat_export_onto_the_users_folder_gives_one_line(corpus, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = run_cli("export", "--format", "brat", "-o", str(folder), db=corpus["db"])
    assert_one_line_error(result, str(folder), "other files")
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_a_doccano_file_forced_as_label_studio_is_one_skipped_line(corpus, tmp_path):
    out = tmp_path / "doccano.jsonl"
    assert _export(corpus, out, "--format", "doccano").returncode == 0
    fresh = tmp_path / "fresh.sqlite3"
    result = run_cli("--db", str(fresh), "import", "--format", "labelstudio", str(out),
                     db=corpus["db"])  # fmt: skip
    # Exit 1 per the contract: a file that could not be imported, listed on stderr.
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"skipped {out}: ")
    assert "expected a JSON array of Label Studio tasks" in line
    assert result.stdout.strip() == "0 imported, 1 failed"
    assert _count(fresh, "documents") == 0


def test_a_missing_file_with_a_forced_format_is_skipped_and_the_others_import(corpus, tmp_path):
    first, last = tmp_path / "a.jsonl", tmp_path / "c.jsonl"
    assert _export(corpus, first).returncode == 0
    record = {"title": "Kipyegon", "text": "Faith Kipyegon won the 1500m.", "spans": []}
    last.write_text(json.dumps(record) + "\n", encoding="utf-8")
    missing = tmp_path / "b.jsonl"
    fresh = tmp_path / "fresh.sqlite3"
    result = run_cli("--db", str(fresh), "import", "--format", "jsonl", str(first),
                     str(missing), str(last), db=corpus["db"])  # fmt: skip
    assert result.returncode == 1, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"skipped {missing}: ")
    assert result.stdout.strip() == (
        f"{corpus['documents'] + 1} imported with {corpus['spans']} spans, 1 failed"
    )
