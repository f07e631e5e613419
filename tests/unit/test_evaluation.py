"""The evaluation metrics on tiny hand-made cases (annotator.core.evaluation)."""

from __future__ import annotations

import datetime as dt

import pytest

from annotator.core.evaluation import (
    Counts,
    EvaluationResult,
    Mention,
    as_mention,
    date_bounds,
    gold_documents,
    same_date_value,
)
from annotator.core.suggest.model import Suggestion

TEXT = "Josh Kerr beat Jakob Ingebrigsten in Budapest last August."


def span(start: int, end: int, label: str, **kw) -> dict:
    """A gold span as a dataset record holds it."""
    return {"start": start, "end": end, "label": label, "text": TEXT[start:end], **kw}


def sug(start: int, end: int, label: str, **kw) -> Suggestion:
    return Suggestion(start, end, label, TEXT[start:end], 0.9, "test", **kw)


KERR = span(0, 9, "athlete", entity="athlete:Josh Kerr")
JAKOB = span(15, 33, "athlete", entity="athlete:Jakob Ingebrigtsen")
TYPO = span(21, 33, "error", error_type="misspelled_name", correction="Ingebrigtsen")
AUGUST = span(46, 57, "date", value="2023-08-01/2023-08-31")
GOLD = [KERR, JAKOB, TYPO, AUGUST]


def perfect() -> list[Suggestion]:
    return [
        sug(0, 9, "athlete", entity="athlete:Josh Kerr"),
        sug(15, 33, "athlete", entity="athlete:Jakob Ingebrigtsen"),
        sug(21, 33, "error", error_type="misspelled_name", correction="Ingebrigtsen"),
        sug(46, 57, "date", value="2023-08"),  # the same month, written another way
    ]


def scored(gold, predicted) -> EvaluationResult:
    result = EvaluationResult()
    result.add_document(gold, predicted, document=1)
    return result


def test_spans_match_their_text():
    assert [TEXT[s["start"] : s["end"]] for s in GOLD] == [
        "Josh Kerr",
        "Jakob Ingebrigsten",
        "Ingebrigsten",
        "last August",
    ]


def test_perfect_predictions_score_one_everywhere():
    r = scored(GOLD, perfect())
    figures = r.figures()
    assert figures.pop("event.link_accuracy") is None  # no event spans: no case to score
    for name, value in figures.items():
        assert value == 1.0, name
    assert r.micro == Counts(tp=4)
    assert r.date_values.correct == r.date_values.total == 1
    assert r.links["athlete"].correct == 2
    assert r.problems == []


def test_partial_predictions():
    # Kerr found; Jakob's span one character short (a miss and a false positive); the date
    # found with the wrong year; no error predicted; one spurious athlete.
    predicted = [
        sug(0, 9, "athlete", entity="athlete:Josh Kerr"),
        sug(15, 32, "athlete", entity="athlete:Jakob Ingebrigtsen"),
        sug(37, 45, "athlete"),
        sug(46, 57, "date", value="2024-08"),
    ]
    r = scored(GOLD, predicted)
    athlete = r.label("athlete")
    assert (athlete.tp, athlete.fp, athlete.fn) == (1, 2, 1)
    assert athlete.precision == pytest.approx(1 / 3)
    assert athlete.recall == pytest.approx(1 / 2)
    assert athlete.f1 == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))
    assert r.label("date") == Counts(tp=1)
    assert r.label("error") == Counts(fn=1)
    assert r.micro == Counts(tp=2, fp=2, fn=2)
    assert r.micro.precision == r.micro.recall == 0.5
    assert r.correction == Counts(fn=1)
    assert (r.date_values.correct, r.date_values.total) == (0, 1)
    assert r.figures()["date.value_accuracy"] == 0.0
    kinds = sorted(p.kind for p in r.problems)
    assert kinds == ["correction", "missed", "missed", "spurious", "spurious", "value"]


def test_empty_gold_and_predictions():
    r = scored([], [])
    assert r.micro == Counts()
    assert r.micro.precision == r.micro.recall == r.micro.f1 == 1.0
    assert r.date_values.value is None
    assert r.figures()["event.link_accuracy"] is None
    assert "-" in r.format_table().splitlines()[-1]


def test_nothing_predicted_or_nothing_to_find():
    missed = scored(GOLD, [])
    assert missed.micro == Counts(fn=4)
    assert missed.micro.precision == missed.micro.recall == missed.micro.f1 == 0.0
    spurious = scored([], perfect())
    assert spurious.micro == Counts(fp=4)
    assert spurious.micro.precision == spurious.micro.recall == 0.0


def test_wrong_label_is_a_miss_and_a_false_positive():
    r = scored([KERR], [sug(0, 9, "event")])
    assert r.label("athlete") == Counts(fn=1)
    assert r.label("event") == Counts(fp=1)
    assert r.links["athlete"].total == 0  # links are scored on matched spans only


def test_correction_must_match_as_well_as_the_span():
    wrong_fix = sug(21, 33, "error", error_type="misspelled_name", correction="Ingebrigsen")
    r = scored([TYPO], [wrong_fix])
    assert r.label("error") == Counts(tp=1)  # the span is right...
    assert r.correction == Counts(fp=1, fn=1)  # ...the correction is not
    assert r.correction.precision == r.correction.recall == 0.0
    problem = next(p for p in r.problems if p.kind == "correction")
    assert problem.got is not None and problem.got.correction == "Ingebrigsen"


def test_only_misspelled_names_count_as_corrections():
    wrong_year = span(46, 57, "error", error_type="wrong_date", correction="2023")
    r = scored([wrong_year], [sug(46, 57, "error", error_type="wrong_date", correction="2022")])
    assert r.label("error") == Counts(tp=1)
    assert r.correction == Counts()


def test_entity_links_on_matched_spans():
    predicted = [
        sug(0, 9, "athlete", entity="athlete:Hamish Kerr"),
        sug(15, 33, "athlete", entity="athlete:Jakob Ingebrigtsen"),
    ]
    r = scored([KERR, JAKOB], predicted)
    assert (r.links["athlete"].correct, r.links["athlete"].total) == (1, 2)
    assert r.figures()["athlete.link_accuracy"] == 0.5


def test_unknown_athlete_must_stay_unlinked():
    r = scored([span(0, 9, "athlete")], [sug(0, 9, "athlete", entity="athlete:Josh Kerr")])
    assert r.links["athlete"].correct == 0
    r = scored([span(0, 9, "athlete")], [sug(0, 9, "athlete")])
    assert r.links["athlete"].correct == 1


def test_counts_accumulate_over_documents():
    r = EvaluationResult()
    r.add_document(GOLD, perfect(), document=1)
    r.add_document([KERR], [], document=2)
    assert r.documents == 2
    assert r.label("athlete") == Counts(tp=2, fn=1)
    assert r.problems[0].document == 2


def test_duplicate_predictions_count_once():
    r = scored([KERR], [sug(0, 9, "athlete"), sug(0, 9, "athlete")])
    assert r.label("athlete") == Counts(tp=1)


@pytest.mark.parametrize(
    ("gold", "predicted", "same"),
    [
        ("2023-10", "2023-10-01/2023-10-31", True),
        ("2024", "2024-01-01/2024-12-31", True),
        ("2024-02", "2024-02-01/2024-02-29", True),
        ("2024-08-06", "2024-08-06", True),
        ("2024-08-06", "2024-08-07", False),
        ("2024", "2024-08", False),
        (None, None, True),
        ("2024", None, False),
        (None, "2024", False),
        ("soon", "soon", True),
    ],
)
def test_date_values_compare_by_the_days_they_name(gold, predicted, same):
    assert same_date_value(gold, predicted) is same


def test_date_bounds():
    assert date_bounds("2023-12") == (dt.date(2023, 12, 1), dt.date(2023, 12, 31))
    assert date_bounds("2025-01-01/2025-09-12") == (dt.date(2025, 1, 1), dt.date(2025, 9, 12))
    assert date_bounds("2024-02-30") is None
    assert date_bounds("next week") is None


def test_format_table_is_aligned():
    table = scored(GOLD, perfect()).format_table()
    lines = table.splitlines()
    header = next(line for line in lines if "precision" in line)
    rows = [
        line
        for line in lines
        if line.split("  ")[0].strip()
        in ("athlete", "date", "error", "micro (all labels)", "correction (misspelled_name)")
    ]
    assert len(rows) == 5
    for row in rows:  # every figure ends in the same column as its heading
        assert len(row) == len(header)
        assert row.endswith("1.000")
    assert lines[0] == "documents: 1"
    assert any(line.startswith("date values") and "1/1" in line for line in lines)


def test_mentions_from_records_and_objects_agree():
    assert as_mention(TYPO) == as_mention(perfect()[2]).__class__(
        21, 33, "error", "Ingebrigsten", "misspelled_name", "Ingebrigtsen", None, None
    )
    assert isinstance(as_mention(KERR), Mention)


def test_gold_documents_parse_published():
    docs = gold_documents(
        [
            {"id": 7, "text": TEXT, "published": "2024-03-04", "spans": [KERR]},
            {"text": TEXT, "spans": []},
        ]
    )
    assert docs[0].published == dt.date(2024, 3, 4) and docs[0].id == 7
    assert docs[1].published is None and docs[1].id == 2
    assert docs[0].spans == (as_mention(KERR),)
    with pytest.raises(ValueError, match="record 3: 'published' 'March' is not an ISO date"):
        gold_documents([{"id": 3, "text": "", "published": "March", "spans": []}])
