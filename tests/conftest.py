"""Shared fixtures. Tests never need a display: Qt runs on the offscreen platform.

Every test that uses ``app`` (or ``db_url``) runs twice: on a fresh SQLite file (``[sqlite]``)
and on a fresh, empty PostgreSQL database (``[pg]``) of the server that scripts/run-tests.sh
starts (scripts/pg-test-server.sh; ANNOTATOR_TEST_PG_URL and PGPASSWORD name it). Without that
server the ``[pg]`` runs are skipped, and fail under CI. A test that also uses ``db_path``
works on the SQLite file itself and runs on SQLite only, as does one marked ``sqlite_only``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from needs import missing
from pg_server import PgAdmin, admin_url_from_env

# A desktop-sized virtual screen (Qt's offscreen default is 800x800): the window opens no
# larger than the screen, and tests of the full layout need the room a user's screen has.
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    _SCREEN = Path(__file__).resolve().parent / "offscreen-screen.json"
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"
os.environ.setdefault("ANNOTATOR_USER", "tester")

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"


BACKEND_IDS = {"sqlite": "sqlite", "postgresql": "pg"}


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    # Without pytest-qt (scripts/noqt-tests.sh runs the suite where PySide6 is absent) its
    # settings in pyproject.toml would be unknown keys to --strict-config.
    if not pluginmanager.hasplugin("pytestqt"):
        for key in ("qt_api", "qt_log_level_fail"):
            parser.addini(key, "pytest-qt's setting (pytest-qt is not installed)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sqlite_only: run a test that uses app/db_url/backend on SQLite only (it looks at the "
        "SQLite file itself)",
    )
    config.addinivalue_line(
        "markers",
        "postgresql: set by conftest on every test that runs on PostgreSQL (select with -m)",
    )
    config.addinivalue_line(
        "markers",
        "fresh_database: the app fixture migrates and seeds a new database instead of copying "
        "the session's template (for tests that change what seeding reads)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # `-m postgresql` picks the PostgreSQL runs (`-k pg` also matches e.g. "upgrading").
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_pg = callspec is not None and callspec.params.get("backend") == "postgresql"
        if on_pg or "pg_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgresql)


@pytest.hookimpl(tryfirst=True)
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # A test that asks for db_path, or is marked sqlite_only, gets no [pg] run. The
    # parametrize mark takes precedence over the backend fixture's own params.
    if "backend" not in metafunc.fixturenames:
        return
    for mark in metafunc.definition.iter_markers("parametrize"):
        names = mark.args[0] if mark.args else mark.kwargs.get("argnames", "")
        if "backend" in (names.replace(" ", "").split(",") if isinstance(names, str) else names):
            return
    if "db_path" in metafunc.fixturenames or metafunc.definition.get_closest_marker("sqlite_only"):
        metafunc.definition.add_marker(
            pytest.mark.parametrize("backend", ["sqlite"], ids=["sqlite"], indirect=True)
        )


@pytest.fixture(autouse=True)
def _no_default_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A test must never touch the user's real database.
    monkeypatch.setenv("ANNOTATOR_DB", str(tmp_path / "default.sqlite3"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "annotator.sqlite3"


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """The server's maintenance database as an SQLAlchemy URL without a password."""
    url = admin_url_from_env()
    if url is None:
        reason = (
            "no PostgreSQL test server: ANNOTATOR_TEST_PG_URL is not set (scripts/run-tests.sh "
            "starts one; or `bash scripts/pg-test-server.sh start DIR` and "
            "`set -a; . DIR/pg.env; set +a`)"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return url


@pytest.fixture(scope="session")
def pg_admin(pg_admin_url: str) -> Iterator[PgAdmin]:
    admin = PgAdmin(pg_admin_url)
    yield admin
    admin.close()


@pytest.fixture
def pg_url(pg_admin: PgAdmin, request: pytest.FixtureRequest) -> Iterator[str]:
    """A brand-new, empty PostgreSQL database for this test, dropped after it; the URL has no
    password (libpq takes it from PGPASSWORD)."""
    name = pg_admin.create_database(request.node.name)
    yield pg_admin.url_for(name)
    pg_admin.drop_database(name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """The SQLite file db_path names, as a URL."""
    return f"sqlite:///{tmp_path / 'annotator.sqlite3'}"


@pytest.fixture(params=list(BACKEND_IDS), ids=list(BACKEND_IDS.values()))
def backend(request: pytest.FixtureRequest) -> str:
    """Either "sqlite" or "postgresql": a test using it (through app or db_url) runs on both."""
    return request.param


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A fresh database for this test: on SQLite the path of a new file (the one db_path
    names), on PostgreSQL the URL of a new empty database."""
    if backend == "sqlite":
        return str(tmp_path / "annotator.sqlite3")
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated and seeded SQLite file: ``app`` copies it instead of migrating and seeding
    each test's database (0.75 s a test; the copy opens in 16 ms)."""
    from annotator.services.app import open_app

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    open_app(path, annotator="tester").close()  # the last close folds the WAL into the file
    return path


@pytest.fixture(scope="session")
def _pg_template(pg_admin: PgAdmin) -> Iterator[str]:
    """The same on PostgreSQL: a database that ``app`` databases are created from."""
    from annotator.services.app import open_app

    name = pg_admin.create_database("template")
    open_app(pg_admin.url_for(name), annotator="tester").close()
    yield name
    pg_admin.drop_database(name)


@pytest.fixture
def app(db_url: str, backend: str, request: pytest.FixtureRequest) -> Iterator:
    """The services on a fresh database, made from the session's migrated template (a test
    marked fresh_database migrates and seeds its own)."""
    from annotator.services.app import open_app

    if request.node.get_closest_marker("fresh_database"):
        pass
    elif backend == "sqlite":
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), db_url)
    else:
        from sqlalchemy.engine import make_url

        admin: PgAdmin = request.getfixturevalue("pg_admin")
        template = request.getfixturevalue("_pg_template")
        admin.recreate_from(make_url(db_url).database or "", template)
    opened = open_app(db_url, annotator="tester")
    yield opened
    opened.close()


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        missing("../shared/seeds is not present")
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
