"""Application use-cases (import, annotate, export, stats). No Qt: the window and the CLI
both call these, and each call that changes data commits before it returns."""
