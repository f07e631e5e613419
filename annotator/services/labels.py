"""Keeping the labels table in step with the tagset in use."""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from annotator.core.tagset import Tagset
from annotator.store.database import Database
from annotator.store.models import LabelRow, table
from annotator.store.sql import insert_or_ignore

_labels = table(LabelRow)


def sync_labels(db: Database, tagset: Tagset) -> None:
    """Insert the tagset's labels and refresh their names and colours. Labels no longer in the
    tagset stay, so spans that use them keep a valid reference. Writes only when something
    differs (every client runs this at start), under the set-up lock."""
    wanted = {label.key: (label.name, label.color, label.shortcut) for label in tagset.labels}
    with db.engine.connect() as conn:
        stored = {r.key: (r.name, r.color, r.shortcut) for r in conn.execute(select(_labels))}
    if all(stored.get(key) == values for key, values in wanted.items()) or db.read_only:
        return

    def work(conn: Connection) -> None:
        db.lock_setup(conn)
        for key, (name, color, shortcut) in wanted.items():
            values = {"name": name, "color": color, "shortcut": shortcut}
            conn.execute(insert_or_ignore(conn, _labels), {"key": key, **values})
            conn.execute(update(_labels).where(_labels.c.key == key).values(**values))

    db.run(work)
