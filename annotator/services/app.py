"""Wiring: one object holding the open database, the tagset and the services built on them.

The CLI and the window both start from ``open_app``; nothing else opens databases.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import DatabaseError
from annotator.core.tagset import Tagset, load_tagset
from annotator.store.database import (
    Database,
    default_database_path,
    describe_url,
    is_sqlite,
    open_database,
    resolve_url,
    url_without_password,
)

from .annotations import AnnotationService
from .changes import ChangeLog
from .desk import Desk
from .documents import DocumentService
from .kb import KnowledgeBaseService
from .labels import sync_labels
from .people import People, check_name, current_annotator
from .search import SearchService

# The window reaches the store's URL helpers through here: it never imports the store.
__all__ = [
    "App",
    "Database",
    "DatabaseError",
    "current_annotator",
    "default_database_path",
    "describe_url",
    "is_sqlite",
    "open_app",
    "resolve_url",
    "url_without_password",
]


@dataclass
class App:
    db: Database
    tagset: Tagset
    documents: DocumentService
    annotations: AnnotationService
    kb: KnowledgeBaseService
    changes: ChangeLog
    people: People
    desk: Desk
    search: SearchService

    @property
    def user(self) -> str:
        """The person acting in this session."""
        return self.annotations.annotator

    def close(self) -> None:
        self.db.close()


def open_app(
    db: str | os.PathLike[str] | None = None,
    *,
    tagset: Path | str | Tagset | None = None,
    annotator: str | None = None,
    password: str | None = None,
    create: bool = True,
) -> App:
    """Open the database (creating or upgrading it) and load the tagset. ``annotator``: the
    person acting (default: ANNOTATOR_USER or the login name). ``password``: for a server
    whose URL carries none (else PGPASSWORD or ~/.pgpass); kept only in the engine.
    ``create=False``: a SQLite file that does not exist is refused, not created.

    Raises DatabaseError, TagsetError, or ValueError for an unusable user name.
    """
    loaded = tagset if isinstance(tagset, Tagset) else load_tagset(tagset)
    user = check_name(annotator or current_annotator())
    database = open_database(db, password=password, create=create)
    database.act_as(user)
    kb = KnowledgeBaseService(database)
    people = People(database)
    try:
        with database.setting_up():
            sync_labels(database, loaded)
            # A new database starts with the bundled athletes and events; an old one costs a
            # lookup.
            if not database.read_only:
                kb.seed_bundled_if_new()
            people.register(user)
    except Exception:
        database.close()
        raise
    annotations = AnnotationService(database, loaded, annotator=user)
    return App(
        db=database,
        tagset=loaded,
        documents=DocumentService(database, actor=user),
        annotations=annotations,
        kb=kb,
        changes=ChangeLog(database),
        people=people,
        desk=Desk(database, actor=user),
        search=SearchService(database, annotations),
    )
