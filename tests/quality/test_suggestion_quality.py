"""Suggestion quality on the evaluation set (tests/data/eval): no figure may fall below its
threshold.

The gold set is rebuilt and reviewed with tests/data/eval/make_gold.py; the engine runs with
the bundled knowledge base read from resources/kb (never a database), spaCy off, corpus names
from every gold document, as ``annotator evaluate GOLD --kb-csv resources/kb`` does. A failure
prints the whole table and every difference, so it says what regressed.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest

from annotator.cli.evaluate import kb_from_csv
from annotator.core.evaluation import EvaluationResult, evaluate_engine, gold_documents
from annotator.core.formats.jsonl import iter_jsonl_records
from annotator.core.kb import KnowledgeBase
from annotator.core.resources import resource
from annotator.core.suggest.engine import SuggestionEngine

EVAL = Path(__file__).resolve().parents[1] / "data" / "eval"
GOLD = EVAL / "gold.jsonl"
CRLF = EVAL / "crlf_article.txt"
CRLF_ID = 6

# Measured on 2026-11-25 with dates.py present, bundled KB (881 athletes, 189 events), 14
# documents, 281 gold spans, after the verb-like given names, context words, nationality nouns,
# family plurals, month surnames, "Valencia Half Marathon", pattern surnames and corpus-only
# misspelled athletes fixes:
#   athlete    P 1.000 (141/141)  R 0.928 (141/152)
#   event      P 1.000 (33/33)    R 1.000 (33/33)
#   date       P 1.000 (88/88)    R 1.000 (88/88)
#   error      P 1.000 (8/8)      R 1.000 (8/8)
#   micro      P 1.000 (270/270)  R 0.961 (270/281)
#   correction P 1.000 (7/7)      R 1.000 (7/7)
#   date values 0.966 (85/88), athlete links 0.993 (140/141), event links 0.939 (31/33)
# Thresholds: the measured value minus about 0.02, rounded down to two decimals. With 8 gold
# errors and 33 events a single new miss or false alarm in those labels fails the test, on
# purpose: it is a regression alarm, and the table says which span changed.
THRESHOLDS = {
    "athlete.precision": 0.98,
    "athlete.recall": 0.90,
    "event.precision": 0.98,
    "event.recall": 0.98,
    "date.precision": 0.98,
    "date.recall": 0.98,
    "error.precision": 0.98,
    "error.recall": 0.88,
    "micro.precision": 0.98,
    "micro.recall": 0.94,
    "correction.precision": 0.98,
    "correction.recall": 0.98,
    "date.value_accuracy": 0.94,
    "athlete.link_accuracy": 0.97,
    "event.link_accuracy": 0.91,
}

# Error spans per error type: (precision, recall), one line per type. Measured on 2026-12-06
# with the spelling suggester and name_typos.py present, bundled KB (899 athletes, 189
# events), 17 documents, 358 gold spans (articles 21-23 from articles_spelling.py added):
#   misspelled_name  P 1.000 (9/9)  R 0.900 (9/10)   "Sifan Hasan" missed; 10/10 on 20 docs
#   misspelling      P 1.000 (8/8)  R 1.000 (8/8)
#   wrong_date       P 1.000 (1/1)  R 1.000 (1/1)
#   other            P 1.000 (3/3)  R 1.000 (3/3)
#   athlete F1 0.967, event F1 1.000, date F1 0.995
# With the claim checks (claims.py) and articles 31-33 from articles_claims.py: 20 documents,
# 436 gold spans, bundled KB with results.csv (336 medals) and records.csv (57 records):
#   wrong_date       P 1.000 (3/3)  R 1.000 (3/3)
#   wrong_number     P 1.000 (4/4)  R 1.000 (4/4)
#   wrong_fact       P 1.000 (6/6)  R 1.000 (6/6)
# These articles were written alongside the checks: the figures show the planted claims are
# caught and the correct ones left alone, not how often real articles' errors are.
# With the full results KB (1,005 medals: every individual final of the 2019-2025 Worlds,
# World Indoors 2022-2025 and both Games) and articles 34-38 from articles_results.py, written
# afterwards by someone who did not look at the checks (field events, indoors, road and
# combined events, title counts, orders of marks): 25 documents, 590 gold spans:
#   wrong_date       P 1.000 (5/5)    R 0.833 (5/6)    "August 20" in a sentence naming two
#                                                      championships
#   wrong_number     P 1.000 (7/7)    R 0.700 (7/10)   a mark equal to the silver's, a points
#                                                      total before its athlete, a margin
#                                                      after "He"
#   wrong_fact       P 1.000 (12/12)  R 0.923 (12/13)  a medal in a two-championship sentence
#   error            P 1.000 (45/45)  R 0.900 (45/50)
# Article 39 (articles_phrasing.py), written after trying the engine on unseen articles: record
# claims without the words "world record", title counts after an opening phrase or naming the
# event. 26 documents, 614 gold spans: wrong_date R 0.857 (6/7), wrong_number R 0.727 (8/11),
# wrong_fact R 0.933 (14/15), error P 1.000 (49/49) R 0.907 (49/54); F1 athlete 0.974.
# Article 40, medals claimed as placings and in relative clauses: 27 documents, 630 gold spans,
# wrong_fact R 0.941 (16/17), error P 1.000 (51/51) R 0.911 (51/56).
# Same rule as above: measured minus about 0.02, rounded down, but never below the targets
# (precision 0.9, recall 0.7): wrong_number's recall threshold is its measured 0.70. Every
# error type in the gold set needs its line here (test_every_gold_error_type_has_thresholds).
ERROR_TYPE_THRESHOLDS = {
    "misspelled_name": (0.98, 0.98),
    "misspelling": (0.98, 0.98),
    "wrong_date": (0.98, 0.81),
    "wrong_number": (0.98, 0.70),
    "wrong_fact": (0.98, 0.90),
    "other": (0.98, 0.98),
}
THRESHOLDS |= {
    f"error:{error_type}.{figure}": minimum
    for error_type, pair in ERROR_TYPE_THRESHOLDS.items()
    for figure, minimum in zip(("precision", "recall"), pair, strict=True)
}
# F1 on 27 documents: athlete 0.975, event 1.000, date 1.000.
THRESHOLDS |= {"athlete.f1": 0.94, "event.f1": 0.98, "date.f1": 0.98}


def bundled_kb() -> KnowledgeBase:
    return kb_from_csv(resource("kb"))  # results and records too: the claim checks need them


def gold_records() -> list[dict]:
    return list(iter_jsonl_records(GOLD.read_text(encoding="utf-8").splitlines()))


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return bundled_kb()


@pytest.fixture(scope="module")
def result(kb: KnowledgeBase) -> EvaluationResult:
    return evaluate_engine(gold_documents(gold_records()), kb)


def _report(result: EvaluationResult) -> str:
    lines = [result.format_table(), ""]
    for m in result.problems:
        g = m.mention
        got = "" if m.got is None else f" got {m.got}"
        lines.append(f"doc {m.document} {m.kind} {g.label} {g.start}-{g.end} {g.text!r}{got}")
    return "\n".join(lines)


def test_the_dates_suggester_is_part_of_the_engine(kb):
    # The thresholds were measured with it; without it the date figures mean nothing.
    from annotator.core.suggest.dates import suggest_dates
    from annotator.core.suggest.engine import SuggestionEngine

    text = "The final is on Sunday, August 27, 2023, a week after the heats."
    own = {(s.start, s.end, s.value) for s in suggest_dates(text, published=None)}
    engine = SuggestionEngine(kb, use_spacy=False)
    found = {(s.start, s.end, s.value) for s in engine.suggest(text) if s.label == "date"}
    assert own and own <= found


def test_gold_set_is_what_make_gold_builds():
    spec = importlib.util.spec_from_file_location("make_gold", EVAL / "make_gold.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_gold"] = module
    try:
        spec.loader.exec_module(module)
        jsonl, crlf = module.render()
    finally:
        del sys.modules["make_gold"]
    assert GOLD.read_text(encoding="utf-8") == jsonl, "run tests/data/eval/make_gold.py"
    assert CRLF.read_bytes() == crlf, "run tests/data/eval/make_gold.py"


def test_gold_set_shape():
    records = gold_records()
    assert 12 <= len(records) <= 40
    assert sum(r.get("published") is None for r in records) == 2
    labels = {s["label"] for r in records for s in r["spans"]}
    assert labels == {"athlete", "event", "date", "error"}
    for r in records:
        assert 120 <= len(r["text"].split()) <= 350
        for s in r["spans"]:
            assert r["text"][s["start"] : s["end"]] == s["text"]


def test_every_gold_error_type_has_thresholds():
    types = {s["error_type"] for r in gold_records() for s in r["spans"] if s["label"] == "error"}
    assert types - ERROR_TYPE_THRESHOLDS.keys() == set(), "measure it and add its line"


@pytest.mark.parametrize("figure", sorted(THRESHOLDS))
def test_figure_meets_its_threshold(result: EvaluationResult, figure: str):
    value = result.figures()[figure]
    assert value is not None, f"{figure}: no cases\n{_report(result)}"
    assert value >= THRESHOLDS[figure], (
        f"{figure} = {value:.3f} < {THRESHOLDS[figure]}\n{_report(result)}"
    )


def test_crlf_article_imports_to_the_gold_text_and_offsets(app, kb: KnowledgeBase):
    from annotator.services.importing import import_paths

    raw = CRLF.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    record = next(r for r in gold_records() if r["id"] == CRLF_ID)

    report = import_paths(app.db, [CRLF])
    assert not report.errors and report.first_id is not None
    doc = app.documents.get(report.first_id, with_spans=False)
    assert doc.text == record["text"]
    assert doc.published == dt.date.fromisoformat(record["published"])
    assert doc.sha256 == record["sha256"]

    engine = SuggestionEngine(kb, use_spacy=False)
    found = engine.suggest(doc.text, published=doc.published)
    assert found == engine.suggest(record["text"], published=doc.published)
    for s in found:
        assert doc.text[s.start : s.end] == s.text
    predicted = {s.identity for s in found}
    femke = next(s for s in record["spans"] if s["text"] == "Femke Bol")
    assert (femke["start"], femke["end"], "athlete") in predicted
    # The raw file's offsets are not the stored text's: every line end before Femke Bol
    # would shift her by one in the CRLF text.
    assert raw.decode("utf-8").find("Femke Bol") != femke["start"]
    gold = {(s["start"], s["end"], s["label"]) for s in record["spans"]}
    assert len(gold & predicted) >= 0.8 * len(gold)
