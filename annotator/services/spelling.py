"""The spelling setting: which English the spelling suggester checks articles against.

Kept in the database's meta table (like the desk's layer mode) so every client of a shared
database checks the same way: ``auto`` (each article's own spellings decide, British when
they do not), ``en_GB`` or ``en_US``.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, select

from annotator.core.suggest.spelling_variant import AUTO, SETTINGS
from annotator.store.database import Database
from annotator.store.models import MetaRow, table

from . import changes as changelog

_meta = table(MetaRow)
VARIANT_KEY = "spelling_variant"


def spelling_variant(conn: Connection) -> str:
    value = conn.scalar(select(_meta.c.value).where(_meta.c.key == VARIANT_KEY))
    return value if value in SETTINGS else AUTO


class SpellingSettings:
    def __init__(self, db: Database, *, actor: str) -> None:
        self._db = db
        self.actor = actor

    def variant(self) -> str:
        with self._db.engine.connect() as conn:
            return spelling_variant(conn)

    def set_variant(self, variant: str) -> None:
        """Raises ValueError for anything but auto, en_GB or en_US."""
        if variant not in SETTINGS:
            raise ValueError(f"unknown spelling variant {variant!r}: use {', '.join(SETTINGS)}")

        def work(conn: Connection) -> None:
            before = spelling_variant(conn)
            conn.execute(delete(_meta).where(_meta.c.key == VARIANT_KEY))
            conn.execute(_meta.insert(), {"key": VARIANT_KEY, "value": variant})
            changelog.record(
                conn,
                actor=self.actor,
                action="setting",
                document_id=None,
                before={"spelling": before},
                after={"spelling": variant},
            )

        self._db.run(work)
