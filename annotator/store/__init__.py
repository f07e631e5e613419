"""Persistence: SQLAlchemy 2 ORM, engine factory, Alembic-driven schema, repositories."""
