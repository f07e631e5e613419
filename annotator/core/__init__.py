"""Pure-Python heart of annotator: no Qt, no SQLAlchemy (enforced by import-linter)."""

# Before any module below loads: the suggestion engine's compiled build, when installed and up
# to date (hatch_build.py).
import annotator.core.compiled  # noqa: F401
