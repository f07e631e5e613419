"""Suggesters: pure functions from an article's text (and the knowledge base) to pending spans."""

from .model import Suggestion

__all__ = ["Suggestion"]
