"""Pure-Python heart of annotator: no Qt, no SQLAlchemy (enforced by import-linter)."""

from annotator.core.compiled import install_finder

# Before any module below loads: the suggestion engine's compiled build, when installed and up
# to date (hatch_build.py).
install_finder()
