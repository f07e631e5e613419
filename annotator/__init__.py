"""annotator: a desktop tool for fact-checking news articles about athletics."""

__version__ = "0.1.0"
