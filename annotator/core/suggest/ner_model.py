"""A named-entity model trained on this desk's accepted spans, used as one more suggester.

spaCy is optional: everything here imports it only when called, and nothing is ever
downloaded. Training starts from a blank English pipeline (a tokenizer, no vectors), so a
model is a few megabytes, fits in seconds on a small corpus and minutes on a large one.
"""

from __future__ import annotations

import importlib.util
import random
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from .model import Suggestion

#: Our labels and the entity labels the model predicts for them.
ENTITY_LABELS = {"athlete": "ATHLETE", "event": "EVENT", "date": "DATE"}
_OUR_LABEL = {v: k for k, v in ENTITY_LABELS.items()}


def spacy_available() -> bool:
    try:
        return importlib.util.find_spec("spacy") is not None
    except (ImportError, ValueError):  # a broken or half-removed installation
        return False


@dataclass(frozen=True, slots=True)
class TrainingDoc:
    doc_id: int
    text: str
    spans: tuple[tuple[int, int, str], ...]  # (start, end, our label), code points


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float
    train_docs: int
    heldout_docs: int


def split(docs: Sequence[TrainingDoc], heldout_share: float) -> tuple[list, list]:
    """(train, held out): each document's side is fixed by its id, so a retrain on a grown
    corpus keeps testing on the documents it tested on before. Both sides get at least one
    document when there are two."""
    cut = round(heldout_share * 1000)
    train = [d for d in docs if zlib.crc32(str(d.doc_id).encode()) % 1000 >= cut]
    held = [d for d in docs if zlib.crc32(str(d.doc_id).encode()) % 1000 < cut]
    if len(docs) >= 2 and heldout_share > 0 and not held:
        held, train = train[-1:], train[:-1]
    elif len(docs) >= 2 and not train:
        train, held = held[:1], held[1:]
    return train, held


def train(
    docs: Sequence[TrainingDoc],
    out_dir: Path,
    *,
    heldout_share: float = 0.2,
    epochs: int = 10,
    seed: int = 0,
) -> Scores:
    """Fit a blank English NER pipeline on ``docs`` minus a held-out share, score it on that
    share (exact spans and labels), save it to ``out_dir``. Raises ImportError without spaCy,
    ValueError when there is nothing to learn from."""
    import spacy
    from spacy.pipeline import EntityRecognizer
    from spacy.training import Example
    from spacy.util import filter_spans, fix_random_seed, minibatch

    if not any(d.spans for d in docs):
        raise ValueError("no accepted athlete, event or date spans to learn from")
    fix_random_seed(seed)
    nlp = spacy.blank("en")
    ner = cast(EntityRecognizer, nlp.add_pipe("ner"))
    for label in ENTITY_LABELS.values():
        ner.add_label(label)
    train_docs, held = split(docs, heldout_share)

    def examples(part: Iterable[TrainingDoc]) -> list[Any]:
        out = []
        for d in part:
            doc = nlp.make_doc(d.text)
            ents = [
                span
                for s, e, label in d.spans
                if (span := doc.char_span(s, e, ENTITY_LABELS[label], alignment_mode="contract"))
                is not None
            ]
            # spaCy needs non-overlapping entities; the longest of overlapping spans stays.
            doc.ents = filter_spans(ents)
            out.append(Example(nlp.make_doc(d.text), doc))
        return out

    train_ex, held_ex = examples(train_docs), examples(held)
    nlp.initialize(lambda: train_ex)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(train_ex)
        for batch in minibatch(train_ex, size=8):
            nlp.update(batch, drop=0.2, losses={})
    scores = nlp.evaluate(held_ex) if held_ex else {}
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir)
    return Scores(
        precision=round(float(scores.get("ents_p") or 0.0), 3),
        recall=round(float(scores.get("ents_r") or 0.0), 3),
        f1=round(float(scores.get("ents_f") or 0.0), 3),
        train_docs=len(train_docs),
        heldout_docs=len(held),
    )


class ModelSuggester:
    """Suggestions from a trained model folder; ``confidence`` is its held-out precision,
    how often its spans were right on documents it never saw."""

    def __init__(self, path: Path, name: str, confidence: float) -> None:
        import spacy

        self.rule = f"model.{name}"
        self.confidence = round(min(0.9, max(0.1, confidence)), 2)
        self._nlp = spacy.load(path)

    def find(self, text: str) -> list[Suggestion]:
        out = []
        for ent in self._nlp(text).ents:
            label = _OUR_LABEL.get(ent.label_)
            if label is None or not ent.text.strip():
                continue
            s, e = ent.start_char, ent.end_char
            out.append(Suggestion(s, e, label, text[s:e], self.confidence, self.rule))
        return out
