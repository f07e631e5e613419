"""Suggesters: pure functions from an article's text (and the knowledge base) to pending spans."""

# Before any module of the engine loads: its compiled build, when installed and up to date.
import annotator.core.compiled  # noqa: F401

from .model import Suggestion

__all__ = ["Suggestion"]
