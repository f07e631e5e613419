"""The suggestion engine compiled by mypyc at install time (hatch_build.py,
annotator/core/compiled.py): it is what the installed app runs, it suggests exactly what the
Python sources suggest, and an edited source runs instead of a build that no longer matches."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from needs import missing

from annotator.core.compiled import engine_is_compiled

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "tests" / "data" / "eval" / "gold.jsonl"
SEEDS = REPO.parent / "shared" / "seeds"

# Every suggestion on the evaluation articles and the seed articles, with and without corpus
# counts, as JSON lines; which build ran goes to stderr.
_SUGGEST_ALL = r"""
import dataclasses, datetime as dt, json, sys
from pathlib import Path
from annotator.cli.evaluate import kb_from_csv
from annotator.core.compiled import engine_is_compiled
from annotator.core.formats.jsonl import iter_jsonl_records
from annotator.core.suggest.engine import CorpusNames, SuggestionEngine
from annotator.core.textload import load_article
repo, seeds = Path(sys.argv[1]), Path(sys.argv[2])
docs = [(r["text"], dt.date.fromisoformat(r["published"]) if r.get("published") else None)
        for r in iter_jsonl_records((repo / "tests/data/eval/gold.jsonl").read_text().splitlines())]
for path in sorted(seeds.glob("*.txt")):
    art = load_article(path)
    docs.append((art.text, art.published))
corpus = CorpusNames()
for text, _ in docs:
    corpus.add_text(text)
engine = SuggestionEngine(kb_from_csv(repo / "resources/kb"), use_spacy=False)
for counts in (None, corpus):
    for text, published in docs:
        for s in engine.suggest(text, published=published, corpus=counts):
            print(json.dumps(dataclasses.asdict(s), sort_keys=True, default=str))
print("compiled" if engine_is_compiled() else "sources", file=sys.stderr)
"""

# Where three of the engine's modules were loaded from: the sentence splitter first, as an
# export would load it before any suggester.
_WHERE = (
    "import annotator.core.sentences as s\n"
    "import annotator.core.suggest.claims as c, annotator.core.suggest.dates.explicit as e\n"
    "print(s.__file__); print(c.__file__); print(e.__file__)\n"
)


def _python(code: str, *args: str, env: dict[str, str] | None = None, cwd: Path = REPO):
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done


def _needs_compiled() -> None:
    if not engine_is_compiled():
        missing(
            "the suggestion engine is not compiled here: installed with ANNOTATOR_PURE_PYTHON=1, "
            "or a source changed since `pip install -e .`"
        )


def test_the_installed_engine_is_the_compiled_one():
    _needs_compiled()
    out = _python(_WHERE).stdout.split()
    assert all(p.endswith(".so") and "_annotator_compiled" in p for p in out), out


def test_compiled_and_pure_engines_suggest_exactly_the_same():
    _needs_compiled()
    if not SEEDS.is_dir():
        missing(f"the seed articles ({SEEDS}) are needed")
    compiled = _python(_SUGGEST_ALL, str(REPO), str(SEEDS))
    pure = _python(_SUGGEST_ALL, str(REPO), str(SEEDS), env={"ANNOTATOR_PURE_PYTHON": "1"})
    assert (compiled.stderr.strip(), pure.stderr.strip()) == ("compiled", "sources")
    lines = compiled.stdout.splitlines()
    assert len(lines) > 1000
    assert lines == pure.stdout.splitlines()
    errors = [json.loads(line) for line in lines if json.loads(line)["label"] == "error"]
    assert errors and all(e["text"] for e in errors)


def _copy_of_the_sources(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(REPO / "annotator", src / "annotator",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    return src


def test_a_copy_of_unchanged_sources_loads_the_compiled_build(tmp_path):
    _needs_compiled()
    src = _copy_of_the_sources(tmp_path)
    out = _python(_WHERE, env={"PYTHONPATH": str(src)}, cwd=tmp_path).stdout.split()
    assert all(p.endswith(".so") for p in out), out


@pytest.mark.parametrize("edit", ["changed", "added", "removed"])
def test_an_edited_engine_runs_its_sources_and_nothing_compiled(tmp_path, edit):
    _needs_compiled()
    src = _copy_of_the_sources(tmp_path)
    engine = src / "annotator" / "core" / "suggest"
    if edit == "changed":  # one module changed: none of the compiled ones may load
        helpers = engine / "text_helpers.py"
        helpers.write_text(helpers.read_text(encoding="utf-8") + "\nEDITED = True\n")
    elif edit == "added":
        (engine / "dates" / "extra.py").write_text("X = 1\n", encoding="utf-8")
    else:
        (engine / "learned.py").unlink()
    out = _python(_WHERE, env={"PYTHONPATH": str(src)}, cwd=tmp_path).stdout.split()
    core = engine.parent
    assert out == [str(core / "sentences.py"), str(engine / "claims.py"),
                   str(engine / "dates" / "explicit.py")]  # fmt: skip


def test_pure_python_can_be_asked_for():
    out = _python(_WHERE, env={"ANNOTATOR_PURE_PYTHON": "1"}).stdout.split()
    core = REPO / "annotator" / "core"
    assert out == [str(core / "sentences.py"), str(core / "suggest" / "claims.py"),
                   str(core / "suggest" / "dates" / "explicit.py")]  # fmt: skip


def test_a_suggestion_pickles_and_copies():
    # A compiled class pickles only what it is told to (Suggestion.__reduce__): a process pool
    # or a copy must give back the same suggestion.
    import copy
    import pickle

    from annotator.core.suggest.model import Suggestion

    s = Suggestion(3, 9, "error", "Alfed", 0.9, "r", "misspelling", "Alfred", "n", None, None)
    assert pickle.loads(pickle.dumps(s)) == s
    assert copy.copy(s) == s and copy.deepcopy(s) == s
