"""team storage

Who did what, and safe concurrent writers:

- ``annotations`` is rebuilt with AUTOINCREMENT (SQLite reused a deleted span's id, and undo,
  addressing spans by id, then acted on someone else's span); ``value``, ``entity`` and
  ``annotator`` become unbounded text (PostgreSQL refused long values); each span gets a
  ``layer`` (its annotator's, or "" for the pool of suggestions), a ``version`` raised on
  every change, and who created, changed and reviewed it. A unique index keeps one layer from
  holding the same (document, start, end, label) twice; rows that already did keep their data
  and are set apart in a layer of their own ("name#id").
- ``annotators``: the people working on the database, with a role.
- ``changes``: the append-only change log.

Runs in one transaction on both engines (the store begins it, SQLite included), so a kill
leaves the database at 0002 or at 0003, never in between.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NOW = sa.text("(CURRENT_TIMESTAMP)")


def upgrade() -> None:
    op.create_table(
        "annotators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=20), server_default="annotator", nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=NOW, nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), server_default=NOW, nullable=False),
        sa.CheckConstraint("role IN ('annotator', 'curator')", name=op.f("ck_annotators_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annotators")),
        sa.UniqueConstraint("name", name=op.f("uq_annotators_name")),
    )
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), server_default=NOW, nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("client", sa.String(length=40), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("span_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_changes_document_id", "changes", ["document_id", "id"], unique=False)
    op.create_index("ix_changes_span_id", "changes", ["span_id", "id"], unique=False)

    # Nothing references annotations, so SQLite's table copy cascades nowhere.
    with op.batch_alter_table(
        "annotations", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.drop_index("ix_annotations_document_start")
        batch_op.alter_column("value", existing_type=sa.String(length=200), type_=sa.Text())
        batch_op.alter_column("entity", existing_type=sa.String(length=200), type_=sa.Text())
        batch_op.alter_column("annotator", existing_type=sa.String(length=100), type_=sa.Text())
        batch_op.add_column(sa.Column("layer", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("created_by", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("updated_by", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("reviewed_by", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("reviewed_at", sa.DateTime(), nullable=True))

    op.execute(
        "UPDATE annotations SET "
        "layer = CASE WHEN origin = 'suggested' AND status IN ('pending', 'rejected') "
        "THEN '' ELSE COALESCE(annotator, '') END, "
        "created_by = annotator, updated_by = annotator"
    )
    op.execute(
        "UPDATE annotations SET layer = layer || '#' || CAST(id AS VARCHAR(20)) "
        "WHERE id NOT IN (SELECT MIN(id) FROM annotations "
        'GROUP BY document_id, start, "end", label, layer)'
    )
    op.create_index(
        "uq_annotations_layer",
        "annotations",
        ["document_id", "start", "end", "label", "layer"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_annotations_layer", table_name="annotations")
    with op.batch_alter_table("annotations", recreate="always") as batch_op:
        batch_op.drop_column("reviewed_at")
        batch_op.drop_column("reviewed_by")
        batch_op.drop_column("updated_by")
        batch_op.drop_column("created_by")
        batch_op.drop_column("version")
        batch_op.drop_column("layer")
        batch_op.alter_column("annotator", existing_type=sa.Text(), type_=sa.String(length=100))
        batch_op.alter_column("entity", existing_type=sa.Text(), type_=sa.String(length=200))
        batch_op.alter_column("value", existing_type=sa.Text(), type_=sa.String(length=200))
        batch_op.create_index(
            "ix_annotations_document_start", ["document_id", "start"], unique=False
        )
    op.drop_index("ix_changes_span_id", table_name="changes")
    op.drop_index("ix_changes_document_id", table_name="changes")
    op.drop_table("changes")
    op.drop_table("annotators")
