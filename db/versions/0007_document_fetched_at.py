"""when a web page was fetched

Articles imported by their address keep the moment they were downloaded
(``documents.fetched_at``, UTC), since a page can change after it was checked. One nullable
column: upgrading keeps every document as it was (files have no fetch time).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 10:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


# Plain ALTER TABLE on both backends (SQLite has had DROP COLUMN since 3.35): a batch
# migration would copy and rename `documents`, which the other tables' foreign keys and the
# search index's triggers refer to, and SQLite refuses to drop it then ("table is locked").
def upgrade() -> None:
    op.add_column("documents", sa.Column("fetched_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column("documents", "fetched_at")
