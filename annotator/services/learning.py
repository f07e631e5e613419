"""What a suggestion run learns from the desk before it starts: the strings users tagged by
hand, how often they accept each rule's suggestions, and a trained model if there is one.

Each is read once per run with a GROUP BY (or one meta row), so a corpus of 100,000 documents
costs a few queries, not a pass over its spans. Training (``train_model``) does read every
accepted span; it is an explicit command, never part of a run.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, and_, case, delete, func, or_, select

from annotator.core.model import Origin, SpanStatus
from annotator.core.suggest import learned, ner_model
from annotator.core.suggest.learned import LearnedString, StringMatcher
from annotator.core.suggest.model import Suggestion
from annotator.store.database import Database, is_sqlite, parse_url
from annotator.store.models import AnnotationRow, DocumentTextRow, MetaRow, table

from . import changes as changelog
from .desk_stats import RuleCounts, rule_counts

log = logging.getLogger(__name__)

_annotations = table(AnnotationRow)
_meta = table(MetaRow)
MODEL_KEY = "ner_model"


@dataclass
class Learning:
    strings: StringMatcher
    factors: dict[str, float]  # rule -> confidence factor (0: not proposed)
    model: ner_model.ModelSuggester | None = None

    def apply(self, text: str, suggested: list[Suggestion]) -> list[Suggestion]:
        """The engine's suggestions for ``text`` with the learned ones added, then ranked."""
        extra = self.strings.find(text) if len(self.strings) else []
        if self.model is not None:
            extra += self.model.find(text)
        out = learned.with_learned(suggested, extra) if extra else suggested
        return learned.rank(out, self.factors) if self.factors else out


def learned_strings(conn: Connection) -> list[LearnedString]:
    """(label, text) of every athlete or event tagged by hand and accepted, with the number
    of documents it was tagged in and the number where its learned suggestion was rejected."""
    a = _annotations.c
    tagged = and_(a.origin == Origin.MANUAL.value, a.status == SpanStatus.ACCEPTED.value)
    refused = and_(a.rule == learned.RULE, a.status == SpanStatus.REJECTED.value)
    accepted = func.count(func.distinct(case((tagged, a.document_id))))
    rejected = func.count(func.distinct(case((refused, a.document_id))))
    rows = conn.execute(
        select(a.label, a.text, accepted, rejected)
        .where(a.label.in_(learned.LABELS), or_(tagged, refused))
        .group_by(a.label, a.text)
        .having(accepted > 0)
    )
    return [LearnedString(label, text, int(n), int(r)) for label, text, n, r in rows]


def load_learning(db: Database) -> Learning:
    with db.engine.connect() as conn:
        strings = StringMatcher(learned_strings(conn))
        factors = learned.rule_factors(
            {r.rule: (r.accepted, r.rejected) for r in rule_counts(conn)}
        )
        record = model_record(conn)
    # A learned string is itself judged by how its suggestions fare, string by string, above.
    factors.pop(learned.RULE, None)
    return Learning(strings, factors, _load_model(record))


def rule_acceptance(db: Database) -> tuple[RuleCounts, ...]:
    """Each rule's accepted / rejected / pending counts, for the window to show."""
    with db.engine.connect() as conn:
        return rule_counts(conn)


def model_record(conn: Connection) -> dict | None:
    """The trained model's meta row: path, name and held-out figures; None if none."""
    value = conn.scalar(select(_meta.c.value).where(_meta.c.key == MODEL_KEY))
    try:
        record = json.loads(value) if value else None
    except ValueError:
        return None
    return record if isinstance(record, dict) and "path" in record else None


def _load_model(record: dict | None) -> ner_model.ModelSuggester | None:
    if record is None or not ner_model.spacy_available():
        return None
    path = Path(record["path"])
    if not path.is_dir():
        log.warning("the trained model %s is missing; its suggestions are off", path)
        return None
    try:
        return ner_model.ModelSuggester(
            path, record.get("name", "ner"), float(record.get("precision", 0.5))
        )
    except Exception:  # a broken model folder must not stop a suggestion run
        log.warning("the trained model %s could not be loaded", path, exc_info=True)
        return None


def default_model_dir(db: Database, name: str) -> Path | None:
    """Next to a SQLite file ("corpus.sqlite3" -> "corpus.models/<name>"); None for a server,
    where the caller must say where."""
    if not is_sqlite(db.url):
        return None
    database = parse_url(db.url).database
    if not database or database == ":memory:":
        return None
    path = Path(database)
    return path.with_name(f"{path.stem}.models") / name


def training_docs(db: Database) -> list[ner_model.TrainingDoc]:
    """Every document with an accepted athlete, event or date span, with those spans (one per
    characters and label, whoever accepted it)."""
    a = _annotations.c
    spans: dict[int, set[tuple[int, int, str]]] = {}
    with db.engine.connect() as conn:
        for doc_id, start, end, label in conn.execute(
            select(a.document_id, a.start, a.end, a.label)
            .where(
                a.status == SpanStatus.ACCEPTED.value, a.label.in_(list(ner_model.ENTITY_LABELS))
            )
            .order_by(a.document_id)
        ):
            spans.setdefault(doc_id, set()).add((start, end, label))
        texts = dict(conn.execute(
            select(DocumentTextRow.document_id, DocumentTextRow.text)
            .where(DocumentTextRow.document_id.in_(list(spans)))
        ).all()) if spans else {}  # fmt: skip
    return [
        ner_model.TrainingDoc(i, texts[i], tuple(sorted(s)))
        for i, s in sorted(spans.items())
        if i in texts
    ]


def train_model(
    db: Database,
    *,
    name: str = "ner",
    out_dir: Path | None = None,
    heldout_share: float = 0.2,
    epochs: int = 10,
    actor: str,
) -> tuple[Path, ner_model.Scores]:
    """Train, save, and record the model in the meta table so `annotator suggest` uses it.
    Raises ImportError without spaCy, ValueError without spans or without a place to save."""
    out = out_dir or default_model_dir(db, name)
    if out is None:
        raise ValueError("a server database has no folder of its own: give --out")
    scores = ner_model.train(training_docs(db), out, heldout_share=heldout_share, epochs=epochs)
    record = {
        "path": str(out.resolve()),
        "name": name,
        "precision": scores.precision,
        "recall": scores.recall,
        "f1": scores.f1,
        "train_documents": scores.train_docs,
        "heldout_documents": scores.heldout_docs,
        "trained_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    }

    def work(conn: Connection) -> None:
        before = model_record(conn)
        conn.execute(delete(_meta).where(_meta.c.key == MODEL_KEY))
        conn.execute(_meta.insert(), {"key": MODEL_KEY, "value": json.dumps(record)})
        changelog.record(
            conn,
            actor=actor,
            action="setting",
            document_id=None,
            before={"ner_model": before},
            after={"ner_model": record},
        )

    db.run(work)
    return out, scores
