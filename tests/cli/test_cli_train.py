"""`annotator train`, run as a user runs it: a tiny hand-tagged corpus, a model trained in
seconds, its held-out figures printed and stored, and `annotator suggest` using it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error, run_cli

from annotator.core.suggest.ner_model import ModelSuggester
from annotator.services.app import open_app

pytest.importorskip("spacy")

# Invented people and meetings, in sentences written for this test.
FIRST = [
    "Tamsin",
    "Orrin",
    "Delphine",
    "Kwabena",
    "Ilse",
    "Matteo",
    "Saoirse",
    "Rasmus",
    "Yuki",
    "Anouk",
    "Bartek",
    "Nneka",
    "Callum",
    "Petra",
    "Idris",
    "Lotta",
]
LAST = [
    "Quarrington",
    "Velasko",
    "Marchetti",
    "Oduya",
    "Brandvold",
    "Castellane",
    "Ferrow",
    "Lindqvist",
    "Takamura",
    "Vermeulen",
    "Zielinski",
    "Okonjo",
    "Haldane",
    "Novakova",
    "Benali",
    "Aaltonen",
]
MEETS = ["Harbourside Relays", "Northgate Games", "Lakeshore Classic", "Riverton Meet"]
DAYS = ["Sunday", "Monday", "Saturday", "Friday"]
#: A meeting no rule of the engine knows and nobody tagged: only the model can find it.
UNSEEN = "Petra Oduya won the 800m at the Copperfield Meet on Friday."


def article(i: int) -> tuple[str, list[tuple[str, str]]]:
    a = f"{FIRST[i % 16]} {LAST[i % 16]}"
    b = f"{FIRST[(i + 5) % 16]} {LAST[(i + 7) % 16]}"
    meet, day = MEETS[i % 4], DAYS[i % 4]
    text = (
        f"{a} won the 1500m at the {meet} on {day}. "
        f"{b} was second at the {meet}, and {a} said the race was hard."
    )
    return text, [(a, "athlete"), (meet, "event"), (day, "date"), (b, "athlete")]


@pytest.fixture
def tagged_db(db_path: Path) -> Path:
    app = open_app(str(db_path), annotator="tester")
    try:
        from annotator.core.textload import LoadedArticle
        from annotator.services.importing import import_articles

        arts, tags = [], []
        for i in range(25):
            text, spans = article(i) if i < 24 else (UNSEEN, [])
            arts.append(
                LoadedArticle(
                    title=f"a{i}",
                    text=text,
                    published=None,
                    sha256=f"{i:064x}",
                    source=f"a{i}.txt",
                    encoding="utf-8",
                )
            )
            tags.append(spans if i < 20 else [])  # the last four are left for the model
        report = import_articles(app.db, arts)
        for (doc_id, *_), spans, art in zip(report.imported, tags, arts, strict=True):
            for surface, label in spans:
                start = art.text.index(surface)
                app.annotations.create(
                    document_id=doc_id, start=start, end=start + len(surface), label=label
                )
    finally:
        app.close()
    return db_path


def test_train_prints_and_stores_held_out_figures_and_suggest_uses_the_model(tagged_db):
    result = run_cli("train", "--epochs", "25", db=tagged_db)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("trained model.ner on ") and "held out" in lines[0]
    assert lines[1].startswith("held-out precision ")
    model_dir = tagged_db.with_name(f"{tagged_db.stem}.models") / "ner"
    assert (model_dir / "meta.json").is_file()
    with closing(sqlite3.connect(tagged_db)) as conn:
        (value,) = conn.execute("SELECT value FROM meta WHERE key = 'ner_model'").fetchone()
    record = json.loads(value)
    assert record["path"] == str(model_dir.resolve())
    assert record["train_documents"] + record["heldout_documents"] == 20
    assert record["heldout_documents"] >= 1
    printed = lines[1].split()
    assert float(printed[2]) == record["precision"] and float(printed[4]) == record["recall"]
    assert 0.5 <= record["f1"] <= 1.0  # the pattern is easy; a model that learned nothing fails

    result = run_cli("suggest", "--jobs", "1", db=tagged_db)
    assert result.returncode == 0, result.stderr
    with closing(sqlite3.connect(tagged_db)) as conn:
        found = conn.execute(
            "SELECT a.label, a.text, a.confidence FROM annotations a "
            "JOIN documents d ON d.id = a.document_id "
            "WHERE a.rule = 'model.ner' AND d.title = 'a24'"
        ).fetchall()
    # Stored like any suggestion, at the held-out precision; where the engine already has a
    # span of the same label (the athlete, the weekday) the model's is not added twice.
    assert found == [("event", "Copperfield Meet", min(0.9, record["precision"]))]
    # On an article it never saw, the model finds the athlete and the meeting.
    model = ModelSuggester(model_dir, "ner", record["precision"])
    text, expected = article(21)
    got = {(s.label, s.text) for s in model.find(text)}
    assert {(label, surface) for surface, label in expected[:2]} <= got


def test_train_without_spans_or_without_spacy_says_so_in_one_line(db_path, tmp_path):
    open_app(str(db_path), annotator="tester").close()
    assert_one_line_error(run_cli("train", db=db_path), "no accepted")
    script = (
        "import sys; sys.modules['spacy'] = None\n"
        "from annotator.cli.main import main\n"
        f"sys.exit(main(['--db', {str(db_path)!r}, 'train']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert_one_line_error(result, "needs spaCy, which is not installed")
