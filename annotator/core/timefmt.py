"""Times stored as naive UTC (the change log's), shown on the reader's own clock."""

from __future__ import annotations

import datetime as dt


def local_time(at: dt.datetime) -> dt.datetime:
    return (at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at).astimezone()


def when_text(at: dt.datetime) -> str:
    """ "14:03:05" today, "2026-12-05 14:03" on another day."""
    local = local_time(at)
    return f"{local:%H:%M:%S}" if local.date() == dt.date.today() else f"{local:%Y-%m-%d %H:%M}"
