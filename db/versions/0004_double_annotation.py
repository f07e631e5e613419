"""double annotation

``document_progress``: each person's own status on a document, and whether it is assigned to
them. ``curation_decisions``: the disagreements a curator settled (and which documents were
merged automatically). Documents already marked in progress or done keep that status for the
people known to have worked on them: whoever last set the status (from the change log) and
everyone with spans in their own layer there. ``documents.status`` stays, as the desk's
overall status.

Only new tables and rows copied into one: one transaction on both engines, like 0003.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 05:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NOW = sa.text("(CURRENT_TIMESTAMP)")


def upgrade() -> None:
    op.create_table(
        "document_progress",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("annotator", sa.Text(), nullable=False),
        sa.Column("assigned", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="new", nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), server_default=NOW, nullable=False),
        sa.CheckConstraint(
            "status IN ('new', 'in_progress', 'done')", name=op.f("ck_document_progress_status")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_progress_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "annotator", name=op.f("pk_document_progress")),
    )
    op.create_index(
        "ix_document_progress_annotator",
        "document_progress",
        ["annotator", "assigned"],
        unique=False,
    )
    op.create_table(
        "curation_decisions",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("curator", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), server_default=NOW, nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_curation_decisions_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "start", "end", name=op.f("pk_curation_decisions")),
    )
    # The people who worked on a document: the last to set its status, and every layer with
    # accepted spans ("" is the suggestion pool; "name#id" layers hold set-apart duplicates).
    op.execute(
        "INSERT INTO document_progress (document_id, annotator, status, done_at) "
        "SELECT d.id, w.annotator, d.status, "
        "CASE WHEN d.status = 'done' THEN d.updated_at END "
        "FROM documents d JOIN ("
        "  SELECT document_id, layer AS annotator FROM annotations "
        "  WHERE status = 'accepted' AND layer <> '' AND layer NOT LIKE '%#%' "
        "  UNION "
        "  SELECT c.document_id, c.actor FROM changes c WHERE c.action = 'status' "
        "  AND c.id = (SELECT MAX(c2.id) FROM changes c2 "
        "              WHERE c2.document_id = c.document_id AND c2.action = 'status')"
        ") w ON w.document_id = d.id "
        "WHERE d.status <> 'new'"
    )


def downgrade() -> None:
    op.drop_table("curation_decisions")
    op.drop_index("ix_document_progress_annotator", table_name="document_progress")
    op.drop_table("document_progress")
