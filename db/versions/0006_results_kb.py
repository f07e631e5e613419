"""results knowledge base

Championship medals (``kb_results``, linked to the KB's events and athletes) and world
records (``kb_records``), which the claim checks compare articles against. Only new tables:
upgrading keeps every document, span and knowledge-base entry. Databases seeded before this
revision get the bundled results and records on their next start (services.kb).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 08:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kb_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("discipline", sa.String(length=40), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("place", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("mark", sa.String(length=20), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["kb_athletes.id"],
            name=op.f("fk_kb_results_athlete_id_kb_athletes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["kb_events.id"],
            name=op.f("fk_kb_results_event_id_kb_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_results")),
        sa.UniqueConstraint(
            "event_id",
            "discipline",
            "sex",
            "athlete_id",
            name="uq_kb_results_event_id_discipline_sex_athlete_id",
        ),
    )
    with op.batch_alter_table("kb_results", schema=None) as batch_op:
        batch_op.create_index("ix_kb_results_athlete_id", ["athlete_id"], unique=False)

    op.create_table(
        "kb_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("discipline", sa.String(length=40), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("mark", sa.String(length=20), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["kb_athletes.id"],
            name=op.f("fk_kb_records_athlete_id_kb_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_records")),
        sa.UniqueConstraint("discipline", "sex", "mark", name="uq_kb_records_discipline_sex_mark"),
    )
    with op.batch_alter_table("kb_records", schema=None) as batch_op:
        batch_op.create_index("ix_kb_records_athlete_id", ["athlete_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kb_records", schema=None) as batch_op:
        batch_op.drop_index("ix_kb_records_athlete_id")
    op.drop_table("kb_records")
    with op.batch_alter_table("kb_results", schema=None) as batch_op:
        batch_op.drop_index("ix_kb_results_athlete_id")
    op.drop_table("kb_results")
