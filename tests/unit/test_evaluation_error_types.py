"""Error spans scored per error type (annotator.core.evaluation), on hand-made cases."""

from __future__ import annotations

from annotator.core.evaluation import UNTYPED, Counts, EvaluationResult
from annotator.core.suggest.model import Suggestion

TEXT = "She won the the bronze medal in Tokio, her frist world title, in 2023 at 3:55.02."


def at(surface: str, n: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(n):
        start = TEXT.index(surface, start + 1)
    return start, start + len(surface)


def gold(surface: str, error_type: str | None, n: int = 1) -> dict:
    start, end = at(surface, n)
    return {
        "start": start,
        "end": end,
        "label": "error",
        "text": surface,
        "error_type": error_type,
        "correction": "x",
    }


def sug(surface: str, error_type: str | None, n: int = 1) -> Suggestion:
    start, end = at(surface, n)
    return Suggestion(
        start, end, "error", surface, 0.9, "test", error_type=error_type, correction="x"
    )


REPEAT = gold("the", "other", 2)
FRIST = gold("frist", "misspelling")
BRONZE = gold("bronze", "wrong_fact")
MARK = gold("3:55.02", "wrong_number")


def scored(gold_spans, predicted) -> EvaluationResult:
    result = EvaluationResult()
    result.add_document(gold_spans, predicted, document=1)
    return result


def test_each_error_type_is_counted_on_its_own():
    r = scored(
        [REPEAT, FRIST, BRONZE, MARK],
        [
            sug("the", "other", 2),
            sug("frist", "misspelling"),
            sug("Tokio", "misspelling"),
            sug("bronze", "wrong_fact"),
        ],
    )
    assert r.error_types == {
        "other": Counts(tp=1),
        "misspelling": Counts(tp=1, fp=1),
        "wrong_fact": Counts(tp=1),
        "wrong_number": Counts(fn=1),
    }
    assert r.label("error") == Counts(tp=3, fp=1, fn=1)  # the label's figure is unchanged
    figures = r.figures()
    assert figures["error:misspelling.precision"] == 0.5
    assert figures["error:misspelling.recall"] == 1.0
    assert figures["error:wrong_number.recall"] == 0.0
    assert figures["error:other.f1"] == 1.0
    assert "error:wrong_date.precision" not in figures  # no case on either side


def test_the_right_span_with_the_wrong_type_is_a_miss_and_a_false_alarm():
    r = scored([BRONZE], [sug("bronze", "wrong_number")])
    assert r.label("error") == Counts(tp=1)  # the span was found...
    assert r.error_types == {"wrong_fact": Counts(fn=1), "wrong_number": Counts(fp=1)}
    problem = next(p for p in r.problems if p.kind == "error_type")
    assert problem.mention.error_type == "wrong_fact"
    assert problem.got is not None and problem.got.error_type == "wrong_number"


def test_an_error_without_a_type_is_counted_as_untyped():
    r = scored([gold("frist", None)], [sug("frist", None), sug("Tokio", "misspelling")])
    assert r.error_types == {UNTYPED: Counts(tp=1), "misspelling": Counts(fp=1)}
    assert not [p for p in r.problems if p.kind == "error_type"]


def test_types_accumulate_over_documents():
    r = EvaluationResult()
    r.add_document([FRIST], [sug("frist", "misspelling")], document=1)
    r.add_document([FRIST], [], document=2)
    assert r.error_types == {"misspelling": Counts(tp=1, fn=1)}


def test_the_table_lists_the_types_under_the_error_row_in_the_guides_order():
    table = scored(
        [REPEAT, FRIST, BRONZE, MARK, gold("Tokio", "misspelled_name")],
        [sug("the", "other", 2), sug("frist", "misspelling")],
    ).format_table()
    lines = table.splitlines()
    first = [line.split()[0] for line in lines if line and not line.startswith("-")]
    i = first.index("error")
    assert first[i + 1 : i + 6] == [
        "misspelled_name",
        "misspelling",
        "wrong_number",
        "wrong_fact",
        "other",
    ]
    assert first[i + 6] == "micro"
    header = next(line for line in lines if "precision" in line)
    row = next(line for line in lines if line.startswith("  misspelling "))
    assert len(row) == len(header) and row.split()[1:] == [
        "1",
        "1",
        "1",
        "1.000",
        "1.000",
        "1.000",
    ]
