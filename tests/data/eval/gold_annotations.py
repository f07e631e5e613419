"""The shape of a gold annotation and the helpers that write one, shared by make_gold.py and
the article modules: ``(surface, occurrence, label, error_type, correction, value, entity)``,
where ``occurrence`` counts the surface's hits at word boundaries (1 = first)."""

from __future__ import annotations

Ann = tuple[str, int, str, str | None, str | None, str | None, str | None]


def ath(surface: str, name: str | None = None, n: int = 1) -> Ann:
    """An athlete; ``name`` is the KB name (None: not in the KB)."""
    return (surface, n, "athlete", None, None, None, f"athlete:{name}" if name else None)


def evt(surface: str, key: str | None, n: int = 1) -> Ann:
    """An event; ``key`` is "<KB name> <year>" (None: the edition is not in the KB)."""
    return (surface, n, "event", None, None, None, f"event:{key}" if key else None)


def date(surface: str, value: str | None, n: int = 1) -> Ann:
    return (surface, n, "date", None, None, value, None)


def err(
    surface: str, error_type: str, correction: str, n: int = 1, entity: str | None = None
) -> Ann:
    return (surface, n, "error", error_type, correction, None, entity)
