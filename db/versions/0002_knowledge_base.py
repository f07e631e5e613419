"""knowledge base

Athletes and events the suggesters match against (with their aliases), a ``meta`` table that
remembers the bundled knowledge base was imported once, and ``annotations.rule``: which
suggester rule produced a span. Only new tables and one nullable column, so upgrading keeps
every document and span; on SQLite the column is added with ALTER TABLE, no table copy.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 10:14:05.180217
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NOW = sa.text("(CURRENT_TIMESTAMP)")


def upgrade() -> None:
    op.create_table(
        "kb_athletes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("discipline", sa.String(length=40), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=NOW, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_athletes")),
        sa.UniqueConstraint("name", name=op.f("uq_kb_athletes_name")),
    )
    op.create_table(
        "kb_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=NOW, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_events")),
        sa.UniqueConstraint("name", "year", name="uq_kb_events_name_year"),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_meta")),
    )
    op.create_table(
        "kb_athlete_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["kb_athletes.id"],
            name=op.f("fk_kb_athlete_aliases_athlete_id_kb_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_athlete_aliases")),
        sa.UniqueConstraint("athlete_id", "alias", name="uq_kb_athlete_aliases_athlete_id_alias"),
    )
    with op.batch_alter_table("kb_athlete_aliases", schema=None) as batch_op:
        batch_op.create_index("ix_kb_athlete_aliases_alias", ["alias"], unique=False)

    op.create_table(
        "kb_event_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["kb_events.id"],
            name=op.f("fk_kb_event_aliases_event_id_kb_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_event_aliases")),
        sa.UniqueConstraint("event_id", "alias", name="uq_kb_event_aliases_event_id_alias"),
    )
    with op.batch_alter_table("kb_event_aliases", schema=None) as batch_op:
        batch_op.create_index("ix_kb_event_aliases_alias", ["alias"], unique=False)

    with op.batch_alter_table("annotations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rule", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("annotations", schema=None) as batch_op:
        batch_op.drop_column("rule")

    with op.batch_alter_table("kb_event_aliases", schema=None) as batch_op:
        batch_op.drop_index("ix_kb_event_aliases_alias")

    op.drop_table("kb_event_aliases")
    with op.batch_alter_table("kb_athlete_aliases", schema=None) as batch_op:
        batch_op.drop_index("ix_kb_athlete_aliases_alias")

    op.drop_table("kb_athlete_aliases")
    op.drop_table("meta")
    op.drop_table("kb_events")
    op.drop_table("kb_athletes")
