"""The PySide6 window. Everything Qt lives under this package; it talks to the database only
through ``annotator.services``, and only via the undo commands in ``commands``."""
