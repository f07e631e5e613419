"""Throwaway PostgreSQL databases for the tests, on the server scripts/pg-test-server.sh starts.

The server is named by ANNOTATOR_TEST_PG_URL (an SQLAlchemy URL with no password, e.g.
``postgresql+psycopg://annotator_test@127.0.0.1:PORT/postgres``) and the password comes from
PGPASSWORD, which libpq reads by itself: no URL handed to a test ever carries it.
"""

from __future__ import annotations

import itertools
import os
import re
import secrets

PG_URL_ENV = "ANNOTATOR_TEST_PG_URL"

_counter = itertools.count(1)


def admin_url_from_env() -> str | None:
    return os.environ.get(PG_URL_ENV) or None


def _libpq_conninfo(url: str) -> str:
    """The SQLAlchemy URL as a libpq URI (psycopg.connect does not know ``+psycopg``)."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _name_for(hint: str) -> str:
    """A database name no other test (or process) uses: ``t_<pid>_<n>_<random>_<hint>``."""
    slug = re.sub(r"[^a-z0-9]+", "_", hint.lower()).strip("_")
    base = f"t_{os.getpid()}_{next(_counter)}_{secrets.token_hex(3)}"
    return f"{base}_{slug}"[:63].rstrip("_")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class PgAdmin:
    """One autocommit connection to the server's maintenance database, creating and dropping
    a database per test (about 12 ms to create and 7 ms to drop one on the test server)."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self._conn = None

    def _connection(self):
        import psycopg

        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = psycopg.connect(
                _libpq_conninfo(self.admin_url), autocommit=True, connect_timeout=10
            )
        return self._conn

    def url_for(self, name: str) -> str:
        """The SQLAlchemy URL of database ``name`` on the same server, as the admin URL
        gives it (so without a password)."""
        from sqlalchemy.engine import make_url

        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def create_database(self, hint: str = "") -> str:
        """Create a brand-new empty database and return its name. template0 holds nothing
        a test could have added to template1."""
        name = _name_for(hint)
        self._connection().execute(
            f"CREATE DATABASE {_quote(name)} TEMPLATE template0 ENCODING 'UTF8'"
        )
        return name

    def recreate_from(self, name: str, template: str) -> None:
        """Make database ``name`` a copy of ``template`` (which nobody may be connected to)."""
        self.drop_database(name)
        self._connection().execute(f"CREATE DATABASE {_quote(name)} TEMPLATE {_quote(template)}")

    def drop_database(self, name: str) -> None:
        """Drop it even when a test left connections open."""
        self._connection().execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")

    def server_version(self) -> int:
        return self._connection().info.server_version

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
