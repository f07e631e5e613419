"""Shared fixtures. Tests never need a display: Qt runs on the offscreen platform."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ANNOTATOR_USER", "tester")

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(autouse=True)
def _no_default_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A test must never touch the user's real database.
    monkeypatch.setenv("ANNOTATOR_DB", str(tmp_path / "default.sqlite3"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "annotator.sqlite3"


@pytest.fixture
def app(db_path: Path) -> Iterator:
    from annotator.services.app import open_app

    opened = open_app(db_path, annotator="tester")
    yield opened
    opened.close()


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    return SEEDS


@pytest.fixture
def make_document(app):
    """make_document(text, title=...) inserts one generated article through the real import
    service and returns its id."""
    import hashlib

    from annotator.core.textload import LoadedArticle
    from annotator.services.importing import import_articles

    def make(text: str, *, title: str = "Test article") -> int:
        article = LoadedArticle(
            title=title,
            text=text,
            published=None,
            sha256=hashlib.sha256(text.encode("utf-8") + title.encode()).hexdigest(),
            source=f"{title}.txt",
            encoding="utf-8",
        )
        report = import_articles(app.db, [article])
        assert report.imported, report
        return report.imported[0][0]

    return make
