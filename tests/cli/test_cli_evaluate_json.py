"""`annotator evaluate --json`: the figures per label and per error type for scripts."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import run_cli

from annotator.cli.evaluate import kb_from_csv
from annotator.core.evaluation import evaluate_engine, gold_documents
from annotator.core.formats.jsonl import iter_jsonl_records
from annotator.core.resources import resource

GOLD = Path(__file__).resolve().parents[1] / "data" / "eval" / "gold.jsonl"


def test_json_holds_the_figures_and_counts_per_label_and_error_type(db_path: Path):
    result = run_cli("evaluate", str(GOLD), "--kb-csv", str(resource("kb")), "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)  # nothing but the JSON object on stdout

    kb = kb_from_csv(resource("kb"))
    records = iter_jsonl_records(GOLD.read_text(encoding="utf-8").splitlines())
    expected = evaluate_engine(gold_documents(records), kb)
    assert out["documents"] == expected.documents
    assert out["figures"] == expected.figures()
    gold_types = {
        s["error_type"]
        for r in iter_jsonl_records(GOLD.read_text(encoding="utf-8").splitlines())
        for s in r["spans"]
        if s["error_type"]
    }
    assert gold_types and {f"error:{t}" for t in gold_types} <= out["counts"].keys()
    for t in gold_types:
        counts = expected.error_types[t]
        assert out["counts"][f"error:{t}"] == {
            "gold": counts.gold,
            "predicted": counts.predicted,
            "tp": counts.tp,
        }
        assert f"error:{t}.recall" in out["figures"]
    errors = out["counts"]["error"]
    typed = [v for k, v in out["counts"].items() if k.startswith("error:")]
    assert errors["gold"] == sum(v["gold"] for v in typed)
    assert not db_path.exists()
