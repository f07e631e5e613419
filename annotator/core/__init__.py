"""Pure-Python heart of annotator: no Qt, no SQLAlchemy (enforced by import-linter)."""
