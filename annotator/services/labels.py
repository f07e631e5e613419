"""Keeping the labels table in step with the tagset in use."""

from __future__ import annotations

from sqlalchemy import select

from annotator.core.tagset import Tagset
from annotator.store.database import Database
from annotator.store.models import LabelRow


def sync_labels(db: Database, tagset: Tagset) -> None:
    """Insert the tagset's labels and refresh their names and colours. Labels no longer in the
    tagset stay, so spans that use them keep a valid reference."""
    with db.sessions.begin() as session:
        existing = {row.key: row for row in session.scalars(select(LabelRow))}
        for label in tagset.labels:
            row = existing.get(label.key)
            if row is None:
                session.add(
                    LabelRow(key=label.key, name=label.name, color=label.color,
                             shortcut=label.shortcut)
                )
            elif (row.name, row.color, row.shortcut) != (label.name, label.color, label.shortcut):
                row.name, row.color, row.shortcut = label.name, label.color, label.shortcut
