"""Wiring: one object holding the open database, the tagset and the services built on them.

The CLI and the window both start from ``open_app``; nothing else opens databases.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

from annotator.core.tagset import Tagset, load_tagset
from annotator.store.database import Database, open_database

from .annotations import AnnotationService
from .documents import DocumentService
from .kb import KnowledgeBaseService
from .labels import sync_labels


def current_annotator() -> str:
    name = os.environ.get("ANNOTATOR_USER")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass
class App:
    db: Database
    tagset: Tagset
    documents: DocumentService
    annotations: AnnotationService
    kb: KnowledgeBaseService

    def close(self) -> None:
        self.db.close()


def open_app(
    db: str | os.PathLike[str] | None = None,
    *,
    tagset: Path | str | Tagset | None = None,
    annotator: str | None = None,
) -> App:
    """Open the database (creating or upgrading it) and load the tagset.

    Raises DatabaseError or TagsetError with a message for the user.
    """
    loaded = tagset if isinstance(tagset, Tagset) else load_tagset(tagset)
    database = open_database(db)
    kb = KnowledgeBaseService(database)
    try:
        sync_labels(database, loaded)
        # A new database starts with the bundled athletes and events; an old one costs a lookup.
        kb.seed_bundled_if_new()
    except Exception:
        database.close()
        raise
    return App(
        db=database,
        tagset=loaded,
        documents=DocumentService(database),
        annotations=AnnotationService(database, loaded, annotator=annotator or current_annotator()),
        kb=kb,
    )
