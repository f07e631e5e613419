"""GUI fixtures: QSettings isolated per test so no test sees another's window state."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, qapp) -> Path:
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("annotator-tests")
    QCoreApplication.setApplicationName("annotator-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    folder = tmp_path / "settings"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


# -- two people on one database (live refresh, conflicts, history) ----------------------------


@pytest.fixture
def alice(db_url: str):
    """The person at the window under test: an App of her own on the test database."""
    from annotator.services.app import open_app

    opened = open_app(db_url, annotator="alice")
    yield opened
    opened.close()


@pytest.fixture
def bob(db_url: str, alice):
    """A colleague on the same database, another client: his changes reach alice's window
    only through the change log (live refresh), as they would from another machine."""
    from annotator.services.app import open_app

    opened = open_app(db_url, annotator="bob")
    yield opened
    opened.close()


@pytest.fixture
def add_article(alice):
    """add_article(text, title=...) imports one article through the real import service."""
    import hashlib

    from annotator.core.textload import LoadedArticle
    from annotator.services.importing import import_articles

    def add(text: str, *, title: str = "Test article", db=None) -> int:
        article = LoadedArticle(
            title=title, text=text, published=None,
            sha256=hashlib.sha256(f"{title}\n{text}".encode()).hexdigest(),
            source=f"{title}.txt", encoding="utf-8",
        )  # fmt: skip
        report = import_articles((db or alice.db), [article])
        assert report.imported, report
        return report.imported[0][0]

    return add
