"""`annotator evaluate`, run as a user runs it: `python -m annotator` in a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error, new_database, run_cli

from annotator.cli.evaluate import kb_from_csv
from annotator.core.evaluation import evaluate_engine, gold_documents
from annotator.core.formats.jsonl import iter_jsonl_records
from annotator.core.resources import resource

GOLD = Path(__file__).resolve().parents[1] / "data" / "eval" / "gold.jsonl"


def expected_table() -> str:
    kb = kb_from_csv(resource("kb"))
    records = iter_jsonl_records(GOLD.read_text(encoding="utf-8").splitlines())
    return evaluate_engine(gold_documents(records), kb).format_table()


def test_evaluate_prints_the_table_with_the_database_kb(db_path: Path):
    new_database(db_path)
    result = run_cli("evaluate", str(GOLD), db=db_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    documents = len(GOLD.read_text(encoding="utf-8").splitlines())
    assert f"gold: {GOLD} ({documents} documents, " in out
    assert f"({db_path})" in out  # the KB came from the database, seeded with the bundled one
    for row in (
        "athlete",
        "event",
        "date",
        "error",
        "micro (all labels)",
        "correction (misspelled_name)",
        "date values",
        "athlete links",
        "event links",
    ):
        assert any(line.startswith(row) for line in out.splitlines()), row
    # A new database holds the bundled KB, so the figures are the CSVs' figures.
    assert expected_table() in out


def test_evaluate_with_csv_kb_and_details_leaves_no_database(db_path: Path):
    result = run_cli(
        "evaluate", str(GOLD), "--kb-csv", str(resource("kb")), "--details", db=db_path
    )
    assert result.returncode == 0, result.stderr
    assert expected_table() in result.stdout
    details = result.stdout.split(expected_table(), 1)[1].strip().splitlines()
    assert details and all(len(line.split("\t")) >= 5 for line in details)
    assert any("\tmissed\t" in line for line in details)
    assert not db_path.exists()


def _bad_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    good = GOLD.read_text(encoding="utf-8").splitlines()
    record = json.loads(good[0])
    shifted = dict(record, spans=[dict(record["spans"][0], start=1)])
    dated = dict(record, published="last Tuesday")
    cases = {
        "missing": (tmp / "absent.jsonl", "no such file"),
        "not json": (tmp / "broken.jsonl", "line 2: not valid JSON"),
        "bad offsets": (tmp / "offsets.jsonl", "line 1"),
        "bad published": (tmp / "published.jsonl", "'published' 'last Tuesday'"),
        "empty": (tmp / "empty.jsonl", "no documents"),
        "not utf-8": (tmp / "latin1.jsonl", "not UTF-8"),
        "a folder": (tmp, "cannot read"),
    }
    cases["not json"][0].write_text(good[0] + "\n{oops\n", encoding="utf-8")
    cases["bad offsets"][0].write_text(json.dumps(shifted) + "\n", encoding="utf-8")
    cases["bad published"][0].write_text(json.dumps(dated) + "\n", encoding="utf-8")
    cases["empty"][0].write_text("\n\n", encoding="utf-8")
    cases["not utf-8"][0].write_bytes('{"text": "Zürich", "spans": []}\n'.encode("latin-1"))
    return cases


@pytest.mark.parametrize(
    "case",
    ["missing", "not json", "bad offsets", "bad published", "empty", "not utf-8", "a folder"],
)
def test_bad_gold_file_is_one_line_and_exit_2(tmp_path: Path, db_path: Path, case: str):
    path, needle = _bad_files(tmp_path)[case]
    result = run_cli("evaluate", str(path), "--kb-csv", str(resource("kb")), db=db_path)
    assert_one_line_error(result, needle)


def test_bad_kb_folder_is_one_line_and_exit_2(tmp_path: Path, db_path: Path):
    result = run_cli("evaluate", str(GOLD), "--kb-csv", str(tmp_path), db=db_path)
    assert_one_line_error(result, "athletes.csv")
